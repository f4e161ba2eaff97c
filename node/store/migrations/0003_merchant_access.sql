CREATE TABLE "merchant_clients" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"scopes" jsonb NOT NULL,
	"secret_hash" "bytea" NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"rotated_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"rate_per_second" integer NOT NULL,
	"burst" integer NOT NULL,
	"daily_quota" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "merchant_idempotency" (
	"client_id" text NOT NULL,
	"key" text NOT NULL,
	"request_hash" text NOT NULL,
	"state" text NOT NULL,
	"status" integer,
	"response_headers" jsonb,
	"response_body" text,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "merchant_idempotency_client_id_key_pk" PRIMARY KEY("client_id","key")
);
--> statement-breakpoint
CREATE TABLE "merchant_query_log" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"client_id" text NOT NULL,
	"subject" text NOT NULL,
	"purpose" text NOT NULL,
	"consent_id" text NOT NULL,
	"action" text NOT NULL,
	"outcome" text NOT NULL,
	"request_id" text NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "merchant_signing_keys" (
	"kid" text PRIMARY KEY NOT NULL,
	"public_key" "bytea" NOT NULL,
	"sealed_secret_key" "bytea" NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"retired_at" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX "merchant_idempotency_created" ON "merchant_idempotency" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "merchant_query_log_subject" ON "merchant_query_log" USING btree ("subject","at");--> statement-breakpoint
CREATE INDEX "merchant_query_log_client" ON "merchant_query_log" USING btree ("client_id","at");