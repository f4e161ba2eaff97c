CREATE TABLE "audit_checkpoints" (
	"size" bigint PRIMARY KEY NOT NULL,
	"root_hash" "bytea" NOT NULL,
	"note" text NOT NULL,
	"signed_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_entries" (
	"idx" bigint PRIMARY KEY NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"type" text NOT NULL,
	"actor" text NOT NULL,
	"subject" text,
	"body" "bytea" NOT NULL,
	"leaf_hash" "bytea" NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_hashes" (
	"idx" bigint PRIMARY KEY NOT NULL,
	"hash" "bytea" NOT NULL
);
--> statement-breakpoint
CREATE TABLE "erasures" (
	"id" text PRIMARY KEY NOT NULL,
	"subject" text NOT NULL,
	"actor" text NOT NULL,
	"reason" text NOT NULL,
	"executed_at" timestamp with time zone NOT NULL,
	"deleted" jsonb NOT NULL,
	"kept" jsonb NOT NULL,
	"audit_index" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "peer_served" (
	"peer" text NOT NULL,
	"from_idx" bigint NOT NULL,
	"to_idx" bigint NOT NULL,
	"times" integer NOT NULL,
	"first_served_at" timestamp with time zone NOT NULL,
	"last_served_at" timestamp with time zone NOT NULL,
	CONSTRAINT "peer_served_peer_from_idx_to_idx_pk" PRIMARY KEY("peer","from_idx","to_idx")
);
--> statement-breakpoint
CREATE TABLE "retention_sweeps" (
	"id" text PRIMARY KEY NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor" text NOT NULL,
	"counts" jsonb NOT NULL,
	"audit_index" bigint NOT NULL
);
--> statement-breakpoint
CREATE INDEX "audit_entries_subject" ON "audit_entries" USING btree ("subject","idx");--> statement-breakpoint
CREATE INDEX "audit_entries_type" ON "audit_entries" USING btree ("type","idx");--> statement-breakpoint
CREATE INDEX "erasures_subject" ON "erasures" USING btree ("subject");--> statement-breakpoint
CREATE INDEX "erasures_executed" ON "erasures" USING btree ("executed_at");--> statement-breakpoint
CREATE INDEX "peer_served_range" ON "peer_served" USING btree ("from_idx","to_idx");--> statement-breakpoint
CREATE INDEX "retention_sweeps_at" ON "retention_sweeps" USING btree ("at");