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
CREATE INDEX "external_score_cache_subject" ON "external_score_cache" USING btree ("subject");--> statement-breakpoint
CREATE INDEX "external_score_provenance_subject" ON "external_score_provenance" USING btree ("subject");--> statement-breakpoint
CREATE INDEX "external_score_provenance_consent" ON "external_score_provenance" USING btree ("consent_id");