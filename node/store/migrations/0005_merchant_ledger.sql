CREATE TABLE "merchant_authorizations" (
	"id" text PRIMARY KEY NOT NULL,
	"client_id" text NOT NULL,
	"subject" text NOT NULL,
	"consent_id" text NOT NULL,
	"decision_id" text NOT NULL,
	"amount_minor" bigint NOT NULL,
	"currency" text NOT NULL,
	"merchant_reference" text NOT NULL,
	"state" text NOT NULL,
	"captured_minor" bigint NOT NULL,
	"repaid_admin_minor" bigint NOT NULL,
	"repaid_import_minor" bigint NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"captured_at" timestamp with time zone,
	"released_at" timestamp with time zone,
	"expired_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "merchant_ledger_entries" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"subject" text NOT NULL,
	"authorization_id" text,
	"kind" text NOT NULL,
	"amount_minor" bigint NOT NULL,
	"currency" text NOT NULL,
	"source" text NOT NULL,
	"reference" text,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "merchant_lines" (
	"subject" text PRIMARY KEY NOT NULL,
	"currency" text NOT NULL,
	"outstanding_minor" bigint NOT NULL,
	"version" integer NOT NULL,
	"seen_decision_id" text,
	"seen_limit_minor" bigint,
	"seen_status" text,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "merchant_repayments" (
	"id" text PRIMARY KEY NOT NULL,
	"subject" text NOT NULL,
	"reference" text NOT NULL,
	"amount_minor" bigint NOT NULL,
	"currency" text NOT NULL,
	"authorization_id" text,
	"allocations" jsonb NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "merchant_webhook_deliveries" (
	"id" text PRIMARY KEY NOT NULL,
	"event_id" text NOT NULL,
	"endpoint_id" text NOT NULL,
	"client_id" text NOT NULL,
	"event_type" text NOT NULL,
	"payload" jsonb NOT NULL,
	"state" text NOT NULL,
	"attempts" integer NOT NULL,
	"next_attempt_at" timestamp with time zone,
	"last_attempt_at" timestamp with time zone,
	"last_status" integer,
	"last_error" text,
	"created_at" timestamp with time zone NOT NULL,
	"delivered_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "merchant_webhook_endpoints" (
	"id" text PRIMARY KEY NOT NULL,
	"client_id" text NOT NULL,
	"url" text NOT NULL,
	"sealed_secret" "bytea" NOT NULL,
	"active" boolean NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"disabled_at" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX "merchant_authorizations_subject" ON "merchant_authorizations" USING btree ("subject","state");--> statement-breakpoint
CREATE INDEX "merchant_authorizations_expiry" ON "merchant_authorizations" USING btree ("state","expires_at");--> statement-breakpoint
CREATE INDEX "merchant_authorizations_client" ON "merchant_authorizations" USING btree ("client_id","created_at");--> statement-breakpoint
CREATE INDEX "merchant_ledger_entries_subject" ON "merchant_ledger_entries" USING btree ("subject","seq");--> statement-breakpoint
CREATE INDEX "merchant_ledger_entries_authorization" ON "merchant_ledger_entries" USING btree ("authorization_id");--> statement-breakpoint
CREATE UNIQUE INDEX "merchant_repayments_reference" ON "merchant_repayments" USING btree ("subject","reference");--> statement-breakpoint
CREATE INDEX "merchant_webhook_deliveries_due" ON "merchant_webhook_deliveries" USING btree ("state","next_attempt_at");--> statement-breakpoint
CREATE INDEX "merchant_webhook_deliveries_client" ON "merchant_webhook_deliveries" USING btree ("client_id","created_at");--> statement-breakpoint
CREATE INDEX "merchant_webhook_endpoints_client" ON "merchant_webhook_endpoints" USING btree ("client_id");