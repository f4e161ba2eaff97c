CREATE TABLE "derivation_subjects" (
	"subject" text PRIMARY KEY NOT NULL,
	"subject_kid" text NOT NULL,
	"state" text NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "derived_signals" (
	"subject" text NOT NULL,
	"key" text NOT NULL,
	"fingerprint" text NOT NULL,
	"signal_id" text NOT NULL,
	"log_index" integer NOT NULL,
	"expires_at" text NOT NULL,
	"published_at" timestamp with time zone NOT NULL,
	CONSTRAINT "derived_signals_subject_key_pk" PRIMARY KEY("subject","key")
);
--> statement-breakpoint
CREATE TABLE "import_runs" (
	"id" text PRIMARY KEY NOT NULL,
	"status" text NOT NULL,
	"mapping" text NOT NULL,
	"files" jsonb NOT NULL,
	"summary" jsonb NOT NULL,
	"rejects_path" text,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone,
	"error" text
);
--> statement-breakpoint
CREATE TABLE "member_records" (
	"key" text PRIMARY KEY NOT NULL,
	"entity" text NOT NULL,
	"subject" text NOT NULL,
	"customer_ref" text NOT NULL,
	"hash" text NOT NULL,
	"data" jsonb NOT NULL,
	"sealed" "bytea",
	"import_id" text NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "derivation_subjects_state" ON "derivation_subjects" USING btree ("state");--> statement-breakpoint
CREATE INDEX "member_records_subject" ON "member_records" USING btree ("subject");--> statement-breakpoint
CREATE INDEX "member_records_customer" ON "member_records" USING btree ("customer_ref");