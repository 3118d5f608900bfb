import postgres from 'postgres';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type DbHandle } from '../../src/db/client.js';
import { rowsOf } from '../../src/db/rows.js';
import { loadSampleIfEmpty } from '../../src/ingest/sample.js';
import { createLoaders } from '../../src/loaders/index.js';
import { findArticle, listArticles } from '../../src/loaders/lists.js';
import { createTestDb, onPostgresServer } from '../support/db.js';
import { query, testServer } from '../support/graphql.js';

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
    const rows = await rowsOf<{ statement: string }>(handle.db, sql`select statement from pg_prepared_statements`);
    return rows.map((r) => r.statement);
  }

  it('prepares the front page and the by-id loaders once, and not a statement whose text varies', async () => {
    for (let i = 0; i < 3; i++) {
      const loaders = createLoaders(handle.db);
      const page = await listArticles(handle.db, loaders, {}, 5, null, { topics: true, people: true });
      const id = page.page.rows[0]!.id;
      await loaders.quotesByArticleId.load(id);
      // A loader whose IN list changes with the batch: never prepared.
      await loaders.articleByHeadlineKey.loadMany(['a', 'b', 'c'].slice(0, i + 1));
    }
    const statements = await prepared();
    const page = statements.filter((s) => s.includes('part_topics'));
    const quotes = statements.filter((s) => s.includes('"quotes"') && s.includes('any('));
    expect(page).toHaveLength(1);
    expect(quotes).toHaveLength(1);
    expect(statements.filter((s) => s.includes('headline_key" in ('))).toEqual([]);
  });

  it('prepares search and topic timelines, whose text depends only on the filters given', async () => {
    const yoga = testServer(handle);
    for (const word of ['ministry', 'security']) {
      const data = await query(
        yoga,
        `query Q($q: String!) { search(query: $q, first: 2) { totalCount edges { node { id } } }
          topics(first: 2) { edges { node { slug timeline(interval: MONTH, from: "2013-01-01T00:00:00Z", to: "2014-01-01T00:00:00Z") { count } } } } }`,
        { q: word },
      );
      expect(data.topics.edges[0].node.timeline).toHaveLength(12);
    }
    const statements = await prepared();
    expect(statements.filter((s) => s.includes('websearch_to_tsquery')).length).toBe(2); // the page and its count
    expect(statements.filter((s) => s.includes('generate_series'))).toHaveLength(1);
  });

  it('plans an article page once: after the first runs it is served by a generic plan', async () => {
    const ids = (await listArticles(handle.db, createLoaders(handle.db), {}, 3, null)).page.rows.map((a) => a.id);
    for (let i = 0; i < 9; i++) await findArticle(handle.db, createLoaders(handle.db), { id: ids[i % ids.length]! }, { quotes: true, related: 5 });
    const rows = await rowsOf<{ statement: string; generic_plans: number; custom_plans: number }>(
      handle.db,
      sql`select statement, generic_plans, custom_plans from pg_prepared_statements where statement like '%part_related%'`,
    );
    expect(rows).toHaveLength(1);
    expect(Number(rows[0]!.generic_plans)).toBeGreaterThanOrEqual(3);
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
