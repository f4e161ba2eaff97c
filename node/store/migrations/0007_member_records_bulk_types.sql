ALTER TABLE "member_records" ALTER COLUMN "key" SET DATA TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "member_records" ALTER COLUMN "subject" SET DATA TYPE text COLLATE "C";--> statement-breakpoint
ALTER TABLE "member_records" ALTER COLUMN "data" SET DATA TYPE json USING "data"::json;