CREATE TABLE "storylines" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "storylines_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"first_seen" timestamp with time zone NOT NULL,
	"last_seen" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "articles" ADD COLUMN "storyline_id" integer;--> statement-breakpoint
ALTER TABLE "articles" ADD CONSTRAINT "articles_storyline_id_storylines_id_fk" FOREIGN KEY ("storyline_id") REFERENCES "public"."storylines"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "articles_storyline_idx" ON "articles" USING btree ("storyline_id");