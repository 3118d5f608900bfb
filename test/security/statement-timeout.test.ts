import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type DbHandle } from '../../src/db/client.js';
import { ingestRaw } from '../../src/ingest/pipeline.js';
import { sqlState, STATEMENT_TIMEOUT } from '../../src/security/dbErrors.js';
import { createTestDb, onPostgresServer } from '../support/db.js';
import { execute, query, testServer } from '../support/graphql.js';
import { generatePages } from '../support/newsPages.js';

type Row = Record<string, unknown>;
/** Rows of `db.execute`: postgres.js returns an array, PGlite an object holding one. */
const rowsOf = (result: unknown): Row[] => (Array.isArray(result) ? result : (result as { rows: Row[] }).rows);

const ARTICLES = '{ articles(first: 2) { edges { node { headline } } } }';

describe('statement_timeout', () => {
  let handle: DbHandle & { url?: string };

  beforeAll(async () => {
    handle = await createTestDb();
    for (const page of generatePages(2)) {
      expect(await ingestRaw(handle.db, { raw: page.raw, url: page.url })).toMatchObject({ status: 'created' });
    }
  }, 120_000);

  afterAll(async () => {
    await handle?.close();
  });

  /** A second handle on the same database (PostgreSQL), or a fresh embedded one, with this timeout. */
  function open(statementTimeoutMs?: number) {
    return createDb({ databaseUrl: handle.url ?? null, dataDir: 'memory://', statementTimeoutMs, maxConnections: 4 });
  }

  it('is 5 s by default', async () => {
    expect(rowsOf(await handle.db.execute(sql`show statement_timeout`))[0]).toEqual({ statement_timeout: '5s' });
  });

  it('is set on every connection the pool opens', async () => {
    const db = await open(1234);
    try {
      // Concurrent statements that each hold their connection for a moment, so the pool opens one per statement.
      const results = await Promise.all(
        Array.from({ length: 4 }, () =>
          db.db.execute(sql`select current_setting('statement_timeout') as timeout, pg_backend_pid() as pid, pg_sleep(0.2)::text as slept`),
        ),
      );
      const rows = results.map((r) => rowsOf(r)[0]!);
      expect(new Set(rows.map((r) => r.timeout))).toEqual(new Set(['1234ms']));
      // PGlite is one embedded backend; a PostgreSQL pool of 4 opened 4 connections.
      expect(new Set(rows.map((r) => r.pid)).size).toBe(onPostgresServer ? 4 : 1);
    } finally {
      await db.close();
    }
  });

  it('turns a statement the database cancelled (SQLSTATE 57014) into STATEMENT_TIMEOUT, with no SQL or stack', async () => {
    // Raised by the database itself, so the error arrives in the driver's own shape (postgres.js or PGlite).
    const cancelled = sql`do $$ begin raise exception 'canceling statement due to statement timeout' using errcode = 'query_canceled'; end $$`;
    const yoga = testServer(handle, {
      ingest: async () => {
        await handle.db.execute(cancelled);
        throw new Error('unreachable');
      },
    });
    const result = await execute(yoga, 'mutation { ingestArticle(input: { raw: "x" }) { status } }');
    expect(result.data ?? null).toBeNull();
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0]).toMatchObject({ path: ['ingestArticle'], extensions: { code: STATEMENT_TIMEOUT } });
    expect(result.errors![0]!.message).toMatch(/statement timeout/);
    expect(JSON.stringify(result)).not.toMatch(/raise exception|do \$\$|\bat .*\.(ts|js):\d+|stack/i);
    // The same server answers the next request.
    expect((await query(yoga, ARTICLES)).articles.edges).toHaveLength(2);
  });

  it('leaves other database errors masked as before', async () => {
    const yoga = testServer(handle, {
      ingest: async () => {
        await handle.db.execute(sql`select * from no_such_table_here`);
        throw new Error('unreachable');
      },
    });
    const result = await execute(yoga, 'mutation { ingestArticle(input: { raw: "x" }) { status } }');
    expect(result.errors![0]).toMatchObject({ message: 'Unexpected error.' });
    expect(result.errors![0]!.extensions?.code).not.toBe(STATEMENT_TIMEOUT);
    expect(JSON.stringify(result)).not.toMatch(/no_such_table/);
  });

  // PGlite runs in this thread as WebAssembly with no timer signals: it records statement_timeout but cannot
  // interrupt a running statement, so a real timeout can only be shown on a PostgreSQL server.
  it.runIf(onPostgresServer)('cancels a query stuck behind a lock past the timeout, answers STATEMENT_TIMEOUT, and the pool recovers', async () => {
    const timed = await open(300);
    const locker = postgres(handle.url!, { max: 1, onnotice: () => {} });
    try {
      const yoga = testServer(timed);
      expect((await query(yoga, ARTICLES)).articles.edges).toHaveLength(2);

      let stuck: Awaited<ReturnType<typeof execute>> | undefined;
      let direct: unknown;
      await locker.begin(async (tx) => {
        await tx`lock table articles in access exclusive mode`;
        stuck = await execute(yoga, ARTICLES);
        direct = await timed.db.execute(sql`select count(*) from articles`).then(
          () => null,
          (error: unknown) => error,
        );
      });
      expect(sqlState(direct)).toBe('57014');
      expect(stuck!.data ?? null).toBeNull();
      expect(stuck!.errors![0]).toMatchObject({ path: ['articles'], extensions: { code: STATEMENT_TIMEOUT } });
      expect(JSON.stringify(stuck)).not.toMatch(/select|\bat .*\.(ts|js):\d+/i);

      // Every pooled connection still works once the lock is gone: more requests at once than the pool holds.
      const after = await Promise.all(Array.from({ length: 8 }, () => query(yoga, ARTICLES)));
      for (const data of after) expect(data.articles.edges).toHaveLength(2);
    } finally {
      await locker.end();
      await timed.close();
    }
  });
});
