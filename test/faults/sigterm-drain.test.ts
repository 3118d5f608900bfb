import net from 'node:net';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, onPostgresServer } from '../support/db.js';
import { generatePage } from '../support/newsPages.js';
import { post, startService, statusOf, type ServiceProcess } from '../support/service.js';

/**
 * SIGTERM while a request is in flight: the service stops taking connections, finishes the request with its
 * data, and exits 0. The request is held in flight by a table lock the test takes on its own connection, which
 * needs a second client of the database: PostgreSQL only (the embedded PGlite admits one process).
 */
const INGEST = `mutation Ingest($input: IngestArticleInput!) {
  ingestArticle(input: $input) { status article { id } userErrors { message } }
}`;
const READ = '{ articles(first: 5) { totalCount edges { node { headline } } } }';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Whether a new TCP connection to `port` is accepted (true) or refused (false). */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe.skipIf(!onPostgresServer)('SIGTERM drains in-flight requests', () => {
  let handle: Awaited<ReturnType<typeof createTestDb>>;
  let service: ServiceProcess;
  let sql: postgres.Sql;

  beforeAll(async () => {
    handle = await createTestDb();
    sql = postgres(handle.url!, { max: 2, onnotice: () => {} });
    service = await startService({ DATABASE_URL: handle.url!, NEWS_GRAPH_SAMPLE: 'false', RATE_LIMIT_PER_SECOND: '0' });
  }, 120_000);

  afterAll(async () => {
    if (service?.child.exitCode === null) service.child.kill('SIGKILL');
    await sql?.end();
    await handle?.close();
  });

  it('refuses new connections, answers the request in flight with its data, then exits 0', async () => {
    const pages = [generatePage(1), generatePage(2)];
    for (const page of pages) {
      const stored = await post(service.origin, INGEST, { input: { raw: page.raw, url: page.url } });
      expect(stored.json?.data?.ingestArticle.status).toBe('CREATED');
    }
    const port = Number(new URL(service.origin).port);

    let inFlight!: Promise<Response>;
    let answered: Response | null = null;
    // The lock is held by this transaction until the callback returns; the read blocks behind it.
    await sql.begin(async (tx) => {
      await tx`LOCK TABLE articles IN ACCESS EXCLUSIVE MODE`;
      inFlight = fetch(`${service.origin}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
        body: JSON.stringify({ query: READ }),
      });
      void inFlight.then((a) => (answered = a));

      // Provably in flight: the service's statement waits for this lock inside PostgreSQL.
      let waiting = 0;
      for (let attempt = 0; attempt < 50 && waiting === 0; attempt += 1) {
        const [row] = await sql<{ n: number }[]>`
          select count(*)::int as n from pg_stat_activity
          where datname = current_database() and wait_event_type = 'Lock' and query ilike '%from "articles"%'`;
        waiting = row!.n;
        if (waiting === 0) await sleep(50);
      }
      expect(waiting).toBeGreaterThan(0);

      expect(await statusOf(`${service.origin}/healthz`)).toBe(200);
      service.child.kill('SIGTERM');

      // The listening socket closes: new connections are refused while the request is still waiting.
      let refused = false;
      for (let attempt = 0; attempt < 40 && !refused; attempt += 1) {
        refused = !(await accepts(port));
        if (!refused) await sleep(25);
      }
      expect(refused).toBe(true);
      expect(await statusOf(`${service.origin}/healthz`)).toBe(0);
      expect(answered).toBeNull();
      expect(service.child.exitCode).toBeNull();
    });

    // Lock released: the drained request completes with the rows, and only then does the process exit.
    const answer = await inFlight;
    expect(answer.status).toBe(200);
    // Its socket is not kept alive for another request: nothing holds the process open after the answer.
    expect(answer.headers.get('connection')).toBe('close');
    const body = (await answer.json()) as { data: { articles: { totalCount: number; edges: { node: { headline: string } }[] } }; errors?: unknown };
    expect(body.errors).toBeUndefined();
    expect(body.data.articles.totalCount).toBe(2);
    expect(body.data.articles.edges.map((e) => e.node.headline).sort()).toEqual(pages.map((p) => p.headline).sort());
    // Exits 0, and before an idle keep-alive socket would have timed out (5 s).
    expect(await Promise.race([service.exited, sleep(4_000).then(() => 'still running')])).toBe(0);
    expect(service.log()).toContain('"signal":"SIGTERM"');
  }, 60_000);
});
