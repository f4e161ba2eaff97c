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
CREATE INDEX "decision_events_subject" ON "decision_events" USING btree ("subject","created_at");--> statement-breakpoint
CREATE INDEX "decision_reviews_state_created" ON "decision_reviews" USING btree ("state","created_at");--> statement-breakpoint
CREATE INDEX "decision_reviews_decision" ON "decision_reviews" USING btree ("decision_id");--> statement-breakpoint
CREATE INDEX "decisions_subject_created" ON "decisions" USING btree ("subject","created_at");