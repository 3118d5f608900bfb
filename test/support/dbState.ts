import { sql } from 'drizzle-orm';
import type { Db } from '../../src/db/client.js';
import { rowsOf } from '../../src/db/rows.js';

/** Row count of every table the application owns (the public schema; drizzle's own bookkeeping lives apart). */
export async function tableCounts(db: Db): Promise<Record<string, number>> {
  const tables = await rowsOf<{ name: string }>(
    db,
    sql`select table_name as name from information_schema.tables
        where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`,
  );
  const counts: Record<string, number> = {};
  for (const { name } of tables) {
    const [row] = await rowsOf<{ n: number }>(db, sql`select count(*)::int as n from ${sql.identifier(name)}`);
    counts[name] = row!.n;
  }
  return counts;
}

/**
 * Rules the stored graph keeps whatever was ingested, beyond what foreign keys enforce. Returns one line per
 * broken rule with a few offending rows; empty when the database is consistent.
 */
export async function invariantViolations(db: Db): Promise<string[]> {
  const checks: Array<[string, ReturnType<typeof sql>]> = [
    ['article without a content hash', sql`select id from articles where content_hash is null or length(content_hash) = 0`],
    ['two articles with one content hash', sql`select content_hash from articles group by content_hash having count(*) > 1`],
    ['article related to itself', sql`select article_id from related_articles where article_id = related_id`],
    [
      'related pair where one is a duplicate of the other',
      sql`select r.article_id, r.related_id from related_articles r
          join articles a on a.id = r.article_id join articles b on b.id = r.related_id
          where a.duplicate_of = b.id or b.duplicate_of = a.id`,
    ],
    ['article marked a duplicate of itself', sql`select id from articles where duplicate_of = id`],
    [
      'article_people quote count differs from its quotes',
      sql`select ap.article_id, ap.person_id from article_people ap
          where ap.quote_count <> (select count(*) from quotes q where q.article_id = ap.article_id and q.speaker_id = ap.person_id)`,
    ],
    [
      'quote speaker not among the article people',
      sql`select q.id from quotes q where q.speaker_id is not null
          and not exists (select 1 from article_people ap where ap.article_id = q.article_id and ap.person_id = q.speaker_id)`,
    ],
  ];
  const problems: string[] = [];
  for (const [rule, query] of checks) {
    const rows = await rowsOf<Record<string, unknown>>(db, query);
    if (rows.length > 0) problems.push(`${rule}: ${JSON.stringify(rows.slice(0, 5))}`);
  }
  // Offsets count UTF-16 code units, as the API documents (`body.slice(start, end) == text`), so this one is
  // checked here rather than in SQL, which counts code points.
  const quoteRows = await rowsOf<{ id: number; start: number; end: number; text: string; body: string }>(
    db,
    sql`select q.id, q.start, q."end" as end, q.text, a.body from quotes q join articles a on a.id = q.article_id`,
  );
  const misplaced = quoteRows.filter((q) => q.start < 0 || q.end <= q.start || q.body.slice(q.start, q.end) !== q.text);
  if (misplaced.length > 0) {
    problems.push(`quote text is not body.slice(start, end): ${JSON.stringify(misplaced.slice(0, 5).map(({ body: _, ...q }) => q))}`);
  }
  return problems;
}
