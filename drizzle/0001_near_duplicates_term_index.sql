CREATE TABLE "article_terms" (
	"term" text NOT NULL,
	"article_id" integer NOT NULL,
	CONSTRAINT "article_terms_term_article_id_pk" PRIMARY KEY("term","article_id")
);
--> statement-breakpoint
DROP INDEX "articles_terms_idx";--> statement-breakpoint
ALTER TABLE "articles" ADD COLUMN "authors" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "articles" ADD COLUMN "duplicate_of" integer;--> statement-breakpoint
ALTER TABLE "article_terms" ADD CONSTRAINT "article_terms_article_id_articles_id_fk" FOREIGN KEY ("article_id") REFERENCES "public"."articles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "article_terms_article_idx" ON "article_terms" USING btree ("article_id");--> statement-breakpoint
ALTER TABLE "articles" ADD CONSTRAINT "articles_duplicate_of_articles_id_fk" FOREIGN KEY ("duplicate_of") REFERENCES "public"."articles"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "articles_duplicate_of_idx" ON "articles" USING btree ("duplicate_of");