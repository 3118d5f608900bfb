import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type DbHandle } from '../../src/db/client.js';
import { connectRedisArticleEvents, type ArticleEvents } from '../../src/events/articles.js';
import { ingestBatch } from '../../src/ingest/pipeline.js';
import { ensureTaxonomy } from '../../src/ingest/taxonomy.js';
import { createLogger } from '../../src/log.js';
import { createServer } from '../../src/server.js';
import { createTestDb } from '../support/db.js';
import { TEST_CONFIG } from '../support/graphql.js';
import { generatePage } from '../support/newsPages.js';
import { redisSkipReason, testRedis, type TestRedis } from '../support/redis.js';
import { subscribe, type SseSubscription } from '../support/sse.js';

/**
 * Two instances of the service behind one Redis, as behind a load balancer: an article ingested through
 * instance A reaches a subscriber of instance B, over real HTTP and Server-Sent Events.
 * Redis: NEWS_GRAPH_TEST_REDIS_URL (.ci/redis.sh), else a redis-server this test starts on a free port.
 */
const skipReason = redisSkipReason;
if (skipReason) console.warn(`live-redis.test.ts skipped: ${skipReason}`);

const ARTICLE_ADDED = 'subscription Added($filter: ArticleAddedFilter) { articleAdded(filter: $filter) { id headline } }';
const INGEST = `mutation Ingest($input: IngestArticleInput!) {
  ingestArticle(input: $input) { status article { id headline } userErrors { message } }
}`;
const silent = createLogger('silent');

interface Instance {
  events: ArticleEvents;
  server: Server;
  url: string;
}

/** One service instance: its own Redis clients, its own HTTP server on a free port of 127.0.0.1. */
async function startInstance(db: DbHandle['db'], redisUrl: string): Promise<Instance> {
  const events = await connectRedisArticleEvents(redisUrl, { log: silent, connectTimeoutMs: 5_000 });
  const server = createHttpServer(createServer({ db, config: TEST_CONFIG, events }));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return { events, server, url: `http://127.0.0.1:${port}/graphql` };
}

async function post(url: string, query: string, variables: Record<string, unknown>): Promise<any> {
  const response = await fetch(url, {
    method: 'POST',
    signal: AbortSignal.timeout(30_000),
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: any; errors?: unknown[] };
  expect(body.errors).toBeUndefined();
  return body.data;
}

describe.skipIf(skipReason !== null)('live updates across two instances through Redis', () => {
  let redis: TestRedis | null = null;
  let handle: DbHandle & { url?: string };
  let second: DbHandle | null = null;
  const instances: Instance[] = [];
  let publisher: ArticleEvents | null = null;
  const subscriptions: SseSubscription[] = [];

  beforeAll(async () => {
    redis = await testRedis();
    const redisUrl = redis.url;
    handle = await createTestDb();
    await ensureTaxonomy(handle.db);
    // On PostgreSQL each instance has its own connection pool to the one database; PGlite is one handle in process.
    second = handle.url ? await createDb({ databaseUrl: handle.url, maxConnections: 4 }) : null;
    instances.push(await startInstance(handle.db, redisUrl));
    instances.push(await startInstance((second ?? handle).db, redisUrl));
    publisher = await connectRedisArticleEvents(redisUrl, { log: silent, subscribe: false, connectTimeoutMs: 5_000 });
  }, 60_000);

  afterAll(async () => {
    for (const subscription of subscriptions) await subscription.close();
    for (const { events, server } of instances) {
      await events.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    await publisher?.close();
    await second?.close();
    await handle?.close();
    await redis?.stop();
  }, 30_000);

  it('delivers an article ingested through instance A to a subscriber of instance B, filter applied on B', async () => {
    const [a, b] = instances as [Instance, Instance];
    const onB = await subscribe(fetch, b.url, ARTICLE_ADDED);
    const onBFiltered = await subscribe(fetch, b.url, ARTICLE_ADDED, { filter: { topic: 'cyber-security' } });
    const onA = await subscribe(fetch, a.url, ARTICLE_ADDED);
    subscriptions.push(onB, onBFiltered, onA);
    expect(onB.status).toBe(200);
    expect(onB.contentType).toMatch(/text\/event-stream/);

    const trade = generatePage(1);
    const tradeStored = await post(a.url, INGEST, { input: { raw: trade.raw, url: trade.url } });
    expect(tradeStored.ingestArticle).toMatchObject({ status: 'CREATED', userErrors: [] });
    const security = generatePage(0);
    const securityStored = await post(a.url, INGEST, { input: { raw: security.raw, url: security.url } });
    expect(securityStored.ingestArticle.status).toBe('CREATED');

    const first = await onB.next(10_000);
    expect(first.errors).toBeUndefined();
    expect(first.data.articleAdded).toEqual({ id: tradeStored.ingestArticle.article.id, headline: trade.headline });
    expect((await onB.next(10_000)).data.articleAdded.headline).toBe(security.headline);
    // Filtered on B: the trade story is not about cyber security, so the first event is the second story.
    expect((await onBFiltered.next(10_000)).data.articleAdded.headline).toBe(security.headline);
    // Every instance delivers, the ingesting one included.
    expect((await onA.next(10_000)).data.articleAdded.headline).toBe(trade.headline);

    // The same page again is UNCHANGED and announces nothing: B's next event is the next new story.
    expect((await post(a.url, INGEST, { input: { raw: trade.raw, url: trade.url } })).ingestArticle.status).toBe('UNCHANGED');
    const next = generatePage(5);
    await post(a.url, INGEST, { input: { raw: next.raw, url: next.url } });
    expect((await onB.next(10_000)).data.articleAdded.headline).toBe(next.headline);
  });

  it('delivers what a CLI ingests straight into the database with REDIS_URL set', async () => {
    const b = instances[1]!;
    const onB = await subscribe(fetch, b.url, ARTICLE_ADDED);
    subscriptions.push(onB);
    // What `news-graph ingest` does with DATABASE_URL and REDIS_URL: databaseSink → ingestBatch, publish-only Redis.
    const pages = [generatePage(20), generatePage(21)];
    const outcomes = await ingestBatch(handle.db, pages.map((p) => ({ raw: p.raw, url: p.url })), {
      onStored: (ids) => publisher!.publish(ids),
    });
    expect(outcomes.map((o) => o.status)).toEqual(['created', 'created']);
    const headlines = [(await onB.next(10_000)).data.articleAdded.headline, (await onB.next(10_000)).data.articleAdded.headline];
    expect(headlines.sort()).toEqual(pages.map((p) => p.headline).sort());
  });
});
