ALTER TABLE "people" ADD COLUMN "merged_keys" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
CREATE INDEX "people_merged_keys_idx" ON "people" USING gin ("merged_keys");