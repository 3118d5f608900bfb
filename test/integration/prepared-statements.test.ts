import postgres from 'postgres';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type DbHandle } from '../../src/db/client.js';
import { loadSampleIfEmpty } from '../../src/ingest/sample.js';
import { createLoaders } from '../../src/loaders/index.js';
import { listArticles } from '../../src/loaders/lists.js';
import { createTestDb, onPostgresServer } from '../support/db.js';

// postgres.js prepares only what it is asked to; the loaders' fixed statements must be prepared on the server
// (parsed and planned once per connection), and statements whose text varies must not pile up there.
describe.skipIf(!onPostgresServer)('statements prepared on the PostgreSQL server', () => {
  let setup: DbHandle & { url?: string };
  let handle: DbHandle;

  beforeAll(async () => {
    setup = await createTestDb();
    await loadSampleIfEmpty(setup.db);
    // One connection, so pg_prepared_statements (per session) shows what the loaders' connection holds.
    handle = await createDb({ databaseUrl: setup.url!, maxConnections: 1 });
  }, 60_000);

  afterAll(async () => {
    await handle?.close();
    await setup?.close();
  });

  async function prepared(): Promise<string[]> {
    const rows = await handle.db.execute<{ statement: string }>(sql`select statement from pg_prepared_statements`);
    return [...rows].map((r) => r.statement);
  }

  it('prepares the front page and the by-id loaders once, and not a statement whose text varies', async () => {
    for (let i = 0; i < 3; i++) {
      const loaders = createLoaders(handle.db);
      const page = await listArticles(handle.db, loaders, {}, 5, null, { topics: true, people: true });
      const id = page.page.rows[0]!.id;
      await loaders.quotesByArticleId.load(id);
      // A by-key loader whose IN list changes with the batch: never prepared.
      await loaders.sourceById.loadMany([1, 2, 3].slice(0, i + 1));
    }
    const statements = await prepared();
    const page = statements.filter((s) => s.includes('part_topics'));
    const quotes = statements.filter((s) => s.includes('"quotes"') && s.includes('any('));
    expect(page).toHaveLength(1);
    expect(quotes).toHaveLength(1);
    expect(statements.filter((s) => s.includes('"sources"'))).toEqual([]);
  });

  it('keeps answering after the prepared statement is invalidated by a schema change', async () => {
    const loaders = createLoaders(handle.db);
    const before = await listArticles(handle.db, loaders, {}, 3, null, { topics: true });
    const admin = postgres(setup.url!, { max: 1, onnotice: () => {} });
    await admin`alter table topics add column bench_note text`;
    await admin`alter table topics drop column bench_note`;
    await admin.end();
    const after = await listArticles(handle.db, createLoaders(handle.db), {}, 3, null, { topics: true });
    expect(after.page.rows.map((a) => a.id)).toEqual(before.page.rows.map((a) => a.id));
  });
});
