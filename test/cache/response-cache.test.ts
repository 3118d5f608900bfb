import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DbHandle } from '../../src/db/client.js';
import { createLocalArticleEvents } from '../../src/events/articles.js';
import { ingestBatch } from '../../src/ingest/pipeline.js';
import { RESPONSE_CACHE_DEFAULTS } from '../../src/cache/responseCache.js';
import { loadConfig } from '../../src/config.js';
import { createRegistry } from '../../src/observability/index.js';
import { CountingLogger, createTestDb } from '../support/db.js';
import { execute, query, TEST_CONFIG, testServer } from '../support/graphql.js';
import { generatePages } from '../support/newsPages.js';

const LIST = `query { articles(first: 5) { totalCount edges { node { id headline topics { topic { slug } } } } } }`;
const INGEST = `mutation ($input: IngestArticleInput!) { ingestArticle(input: $input) { created userErrors { message } } }`;

describe('response cache', () => {
  const logger = new CountingLogger();
  let handle: DbHandle;
  const pages = generatePages(4);

  beforeAll(async () => {
    handle = await createTestDb({ logger });
    await ingestBatch(handle.db, pages.slice(0, 2).map((p) => ({ raw: p.raw, url: p.url })));
  });
  afterAll(async () => {
    await handle?.close();
  });

  const statementsFor = async (run: () => Promise<unknown>) => {
    logger.reset();
    await run();
    return logger.count;
  };

  it('is off by default: every repeat of a query runs SQL', async () => {
    expect(RESPONSE_CACHE_DEFAULTS.enabled).toBe(false);
    expect(loadConfig({}).responseCache.enabled).toBe(false);
    const yoga = testServer(handle);
    await query(yoga, LIST);
    expect(await statementsFor(() => query(yoga, LIST))).toBeGreaterThan(0);
  });

  it('answers a repeated query from memory, and drops everything when an article is stored elsewhere', async () => {
    const events = createLocalArticleEvents();
    const yoga = testServer(handle, { events, config: { ...TEST_CONFIG, responseCache: { enabled: true, ttlMs: 60_000, maxEntries: 100 } } });
    const first = await query(yoga, LIST);
    expect(first.articles.totalCount).toBe(2);
    let again: any;
    expect(await statementsFor(async () => (again = await query(yoga, LIST)))).toBe(0);
    expect(again).toEqual(first);

    // An ingest by another process (the CLI, another instance through Redis) arrives as an event.
    const outcomes = await ingestBatch(handle.db, [{ raw: pages[2]!.raw, url: pages[2]!.url }], { onStored: (ids) => events.publish(ids) });
    expect(outcomes[0]!.status).toBe('created');
    let fresh: any;
    expect(await statementsFor(async () => (fresh = await query(yoga, LIST)))).toBeGreaterThan(0);
    expect(fresh.articles.totalCount).toBe(3);
    await events.close();
  });

  it('caches the answers of compiled execution (graphql-jit, the default) without the cache being bypassed', async () => {
    const registry = createRegistry();
    const warnings: unknown[] = [];
    const warn = vi.spyOn(console, 'warn').mockImplementation((...args) => void warnings.push(args));
    try {
      const yoga = testServer(handle, { registry, config: { ...TEST_CONFIG, responseCache: { enabled: true, ttlMs: 60_000, maxEntries: 100 } } });
      const first = await query(yoga, LIST);
      expect(await statementsFor(async () => expect(await query(yoga, LIST)).toEqual(first))).toBe(0);
      const executions = await registry.getSingleMetric('news_graph_executions_total')!.get();
      expect(executions.values.find((v) => v.labels['executor'] === 'compiled')?.value).toBe(1);
      expect(warnings).toEqual([]);
    } finally {
      warn.mockRestore();
    }
  });

  it('drops cached answers when this server ingests, and never caches the mutation', async () => {
    const yoga = testServer(handle, { config: { ...TEST_CONFIG, responseCache: { enabled: true, ttlMs: 60_000, maxEntries: 100 } } });
    const before = await query(yoga, LIST);
    const ingested = await execute(yoga, INGEST, { input: { raw: pages[3]!.raw, url: pages[3]!.url } });
    expect(ingested.data?.ingestArticle).toEqual({ created: true, userErrors: [] });
    const after = await query(yoga, LIST);
    expect(after.articles.totalCount).toBe(before.articles.totalCount + 1);
    // The same page again is a new request, answered by the pipeline ("unchanged"), not by a cached payload.
    const repeat = await execute(yoga, INGEST, { input: { raw: pages[3]!.raw, url: pages[3]!.url } });
    expect(repeat.data?.ingestArticle).toEqual({ created: false, userErrors: [] });
  });

  it('keeps no answer that carries errors', async () => {
    const yoga = testServer(handle, { config: { ...TEST_CONFIG, responseCache: { enabled: true, ttlMs: 60_000, maxEntries: 100 } } });
    const bad = `query { article(id: "QXJ0aWNsZTox") { id } nope: article(id: "bm90LWFuLWlk") { id } }`;
    await execute(yoga, bad);
    expect(await statementsFor(() => execute(yoga, bad))).toBeGreaterThan(0);
  });

  it('reads its settings from the environment, listing bad values', () => {
    expect(loadConfig({ RESPONSE_CACHE: 'true', RESPONSE_CACHE_TTL_MS: '5000', RESPONSE_CACHE_MAX_ENTRIES: '10' }).responseCache).toEqual({
      enabled: true,
      ttlMs: 5000,
      maxEntries: 10,
    });
    expect(() => loadConfig({ RESPONSE_CACHE: 'yes', RESPONSE_CACHE_TTL_MS: '0' })).toThrow(/RESPONSE_CACHE[\s\S]*RESPONSE_CACHE_TTL_MS/);
  });
});
