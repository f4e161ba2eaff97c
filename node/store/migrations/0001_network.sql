CREATE TABLE "consents" (
	"id" text PRIMARY KEY NOT NULL,
	"subject" text NOT NULL,
	"purpose" text NOT NULL,
	"record" jsonb NOT NULL,
	"ref" text NOT NULL,
	"signature" text NOT NULL,
	"granted_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"withdrawn_at" timestamp with time zone,
	"withdrawal_signal_id" text,
	CONSTRAINT "consents_ref_unique" UNIQUE("ref")
);
--> statement-breakpoint
CREATE TABLE "subjects" (
	"pseudonym" text PRIMARY KEY NOT NULL,
	"pseudonym_kid" text NOT NULL,
	"sealed_identifier" "bytea" NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cosignatures" (
	"origin" text NOT NULL,
	"size" bigint NOT NULL,
	"witness" text NOT NULL,
	"line" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "cosignatures_origin_size_witness_pk" PRIMARY KEY("origin","size","witness")
);
--> statement-breakpoint
CREATE TABLE "held_signals" (
	"issuer" text NOT NULL,
	"log_index" bigint NOT NULL,
	"signal_id" text NOT NULL,
	"type" text NOT NULL,
	"subject_kid" text NOT NULL,
	"subject_value" text NOT NULL,
	"issued_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"entry" "bytea" NOT NULL,
	"status" text NOT NULL,
	CONSTRAINT "held_signals_issuer_log_index_pk" PRIMARY KEY("issuer","log_index")
);
--> statement-breakpoint
CREATE TABLE "log_checkpoints" (
	"size" bigint PRIMARY KEY NOT NULL,
	"root_hash" "bytea" NOT NULL,
	"note" text NOT NULL,
	"signed_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "log_entries" (
	"idx" bigint PRIMARY KEY NOT NULL,
	"entry" "bytea" NOT NULL,
	"leaf_hash" "bytea" NOT NULL,
	"signal_id" text NOT NULL,
	CONSTRAINT "log_entries_signal_id_unique" UNIQUE("signal_id")
);
--> statement-breakpoint
CREATE TABLE "log_hashes" (
	"idx" bigint PRIMARY KEY NOT NULL,
	"hash" "bytea" NOT NULL
);
--> statement-breakpoint
CREATE TABLE "peer_evidence" (
	"id" serial PRIMARY KEY NOT NULL,
	"member_id" text NOT NULL,
	"kind" text NOT NULL,
	"previous" text,
	"offending" text NOT NULL,
	"detail" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "peer_state" (
	"member_id" text PRIMARY KEY NOT NULL,
	"checkpoint" text,
	"verified_size" bigint NOT NULL,
	"root_hash" "bytea",
	"frontier" "bytea" NOT NULL,
	"applied_size" bigint NOT NULL,
	"seen_size" bigint NOT NULL,
	"state" text NOT NULL,
	"last_error" text,
	"attempts" integer NOT NULL,
	"verified_at" timestamp with time zone,
	"last_attempt_at" timestamp with time zone,
	"next_attempt_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "peer_token_ids" (
	"jti" text PRIMARY KEY NOT NULL,
	"issuer" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "consents_subject_purpose" ON "consents" USING btree ("subject","purpose");--> statement-breakpoint
CREATE UNIQUE INDEX "held_signals_issuer_signal" ON "held_signals" USING btree ("issuer","signal_id");--> statement-breakpoint
CREATE INDEX "held_signals_subject" ON "held_signals" USING btree ("subject_value");--> statement-breakpoint
CREATE INDEX "peer_evidence_member" ON "peer_evidence" USING btree ("member_id");--> statement-breakpoint
CREATE INDEX "peer_token_ids_expires" ON "peer_token_ids" USING btree ("expires_at");