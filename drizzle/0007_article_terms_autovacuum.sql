-- Relating a new story reads the postings of its terms with an index-only scan on article_terms. Rows added
-- since the table's last vacuum are not yet marked all-visible, so the scan visits the heap for each of them.
-- article_terms only grows by inserts (40 rows per story), and the default insert trigger (20% of the table)
-- lets hundreds of thousands of unmarked rows pile up on a large corpus: vacuum it after every 20,000 new rows
-- instead. Vacuuming an insert-only table reads only the pages added since the last run.
ALTER TABLE "article_terms" SET (autovacuum_vacuum_insert_threshold = 20000, autovacuum_vacuum_insert_scale_factor = 0);
