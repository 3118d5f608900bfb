import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { rowsOf } from '../../src/db/rows.js';
import { createTestDb } from '../support/db.js';

it('article_terms is vacuumed after every 20,000 new rows rather than after a fifth of the table', async () => {
  // Relating reads postings with an index-only scan, which visits the heap for rows not yet vacuumed.
  const handle = await createTestDb();
  try {
    const [row] = await rowsOf<{ reloptions: string[] | null }>(
      handle.db,
      sql`select reloptions from pg_class where oid = 'article_terms'::regclass`,
    );
    expect(row?.reloptions).toEqual(
      expect.arrayContaining(['autovacuum_vacuum_insert_threshold=20000', 'autovacuum_vacuum_insert_scale_factor=0']),
    );
  } finally {
    await handle.close();
  }
});
