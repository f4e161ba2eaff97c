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
CREATE TABLE "external_score_cache" (
	"provider" text NOT NULL,
	"subject" text NOT NULL,
	"outcome" jsonb NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "external_score_cache_provider_subject_pk" PRIMARY KEY("provider","subject")
);
--> statement-breakpoint
CREATE TABLE "external_score_provenance" (
	"id" text PRIMARY KEY NOT NULL,
	"provider" text NOT NULL,
	"subject" text NOT NULL,
	"consent_id" text NOT NULL,
	"reference" text,
	"raw_response" text NOT NULL,
	"signature" jsonb NOT NULL,
	"requested_at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"record" jsonb NOT NULL
);
--> statement-breakpoint
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
CREATE TABLE "decision_events" (
	"id" text PRIMARY KEY NOT NULL,
	"subject" text NOT NULL,
	"kind" text NOT NULL,
	"decision_ids" jsonb NOT NULL,
	"detail" jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "decision_review_requests" (
	"id" text PRIMARY KEY NOT NULL,
	"decision_id" text NOT NULL,
	"subject" text NOT NULL,
	"channel" text NOT NULL,
	"reason" text,
	"review_id" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "decision_reviews" (
	"id" text PRIMARY KEY NOT NULL,
	"decision_id" text NOT NULL,
	"subject" text NOT NULL,
	"kind" text NOT NULL,
	"chain" jsonb NOT NULL,
	"step" integer NOT NULL,
	"state" text NOT NULL,
	"actions" jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"decided_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "decisions" (
	"id" text PRIMARY KEY NOT NULL,
	"seq" bigserial NOT NULL,
	"subject" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"trigger" text NOT NULL,
	"inputs_digest" text NOT NULL,
	"model_id" text NOT NULL,
	"model_version" text NOT NULL,
	"model_sha256" text NOT NULL,
	"policy_version" text NOT NULL,
	"catalogue_version" text NOT NULL,
	"grade" text NOT NULL,
	"vip_tier" text,
	"limit_minor" bigint NOT NULL,
	"status" text NOT NULL,
	"decision" jsonb NOT NULL,
	"evidence" jsonb NOT NULL
);
--> statement-breakpoint
ALTER TABLE "decision_review_requests" ADD CONSTRAINT "decision_review_requests_decision_id_decisions_id_fk" FOREIGN KEY ("decision_id") REFERENCES "public"."decisions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "decision_reviews" ADD CONSTRAINT "decision_reviews_decision_id_decisions_id_fk" FOREIGN KEY ("decision_id") REFERENCES "public"."decisions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "consents_subject_purpose" ON "consents" USING btree ("subject","purpose");--> statement-breakpoint
CREATE UNIQUE INDEX "held_signals_issuer_signal" ON "held_signals" USING btree ("issuer","signal_id");--> statement-breakpoint
CREATE INDEX "held_signals_subject" ON "held_signals" USING btree ("subject_value");--> statement-breakpoint
CREATE INDEX "peer_evidence_member" ON "peer_evidence" USING btree ("member_id");--> statement-breakpoint
CREATE INDEX "peer_token_ids_expires" ON "peer_token_ids" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "external_score_cache_subject" ON "external_score_cache" USING btree ("subject");--> statement-breakpoint
CREATE INDEX "external_score_provenance_subject" ON "external_score_provenance" USING btree ("subject");--> statement-breakpoint
CREATE INDEX "external_score_provenance_consent" ON "external_score_provenance" USING btree ("consent_id");--> statement-breakpoint
CREATE INDEX "derivation_subjects_state" ON "derivation_subjects" USING btree ("state");--> statement-breakpoint
CREATE INDEX "member_records_subject" ON "member_records" USING btree ("subject");--> statement-breakpoint
CREATE INDEX "member_records_customer" ON "member_records" USING btree ("customer_ref");--> statement-breakpoint
CREATE INDEX "decision_events_subject" ON "decision_events" USING btree ("subject","created_at");--> statement-breakpoint
CREATE INDEX "decision_reviews_state_created" ON "decision_reviews" USING btree ("state","created_at");--> statement-breakpoint
CREATE INDEX "decision_reviews_decision" ON "decision_reviews" USING btree ("decision_id");--> statement-breakpoint
CREATE INDEX "decisions_subject_created" ON "decisions" USING btree ("subject","created_at");