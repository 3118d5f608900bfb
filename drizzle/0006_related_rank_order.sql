DROP INDEX "related_articles_rank_idx";--> statement-breakpoint
CREATE INDEX "related_articles_rank_idx" ON "related_articles" USING btree ("article_id","score" DESC NULLS FIRST,"related_id");