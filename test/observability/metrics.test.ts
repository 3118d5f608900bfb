import DataLoader from 'dataloader';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../src/db/client.js';
import { ingestRaw } from '../../src/ingest/pipeline.js';
import { buildSchema } from 'graphql';
import { createLoaders } from '../../src/loaders/index.js';
import { hasDeprecations } from '../../src/observability/metrics.js';
import { schema } from '../../src/schema/index.js';
import { BatchLoader } from '../../src/loaders/util.js';
import { createTestDb } from '../support/db.js';
import { execute, LOOPBACK, query, TEST_CONFIG, testServer } from '../support/graphql.js';
import { generatePages } from '../support/newsPages.js';
import { from, keysFile, securedServer, send } from '../security/auth-support.js';
import { parseMetrics, post, scrape, value } from './support.js';

const LATEST = /* GraphQL */ `
  query Latest {
    articles(first: 3) { totalCount edges { node { id headline } } }
  }
`;

// Five articles, each asking for its topics: the topic loader must get all five ids in one batch.
const WITH_TOPICS = /* GraphQL */ `
  query WithTopics {
    articles(first: 5) { edges { node { id topics { score topic { slug } } events { name } } } }
  }
`;

const INGEST = /* GraphQL */ `
  mutation Ingest($input: IngestArticleInput!) {
    ingestArticle(input: $input) { status article { id } userErrors { field message } }
  }
`;

describe('/metrics', () => {
  let handle: DbHandle;

  beforeAll(async () => {
    handle = await createTestDb();
    for (const page of generatePages(8)) {
      expect(await ingestRaw(handle.db, { raw: page.raw, url: page.url })).toMatchObject({ status: 'created' });
    }
  }, 120_000);

  afterAll(async () => {
    await handle?.close();
  });

  it('counts GraphQL operations and their latencies by operation name, and every HTTP request by route and status', async () => {
    const yoga = testServer(handle);
    await query(yoga, LATEST);
    await query(yoga, LATEST);
    const before = await scrape(yoga);
    expect(value(before, 'graphql_envelop_request', { operationName: 'Latest', operationType: 'query' })).toBe(2);
    expect(value(before, 'graphql_envelop_request_duration_count', { operationName: 'Latest', operationType: 'query' })).toBe(2);
    expect(value(before, 'graphql_envelop_phase_execute_count', { operationName: 'Latest' })).toBe(2);
    expect(value(before, 'graphql_yoga_http_duration_count', { operationName: 'Latest', method: 'POST', statusCode: '200' })).toBe(2);
    expect(value(before, 'news_graph_http_requests_total', { method: 'POST', route: '/graphql', status: '200' })).toBe(2);
    // The URL label is off: a GET request's URL would carry the whole query text.
    expect(before.some((s) => 'url' in s.labels)).toBe(false);

    await query(yoga, LATEST);
    const after = await scrape(yoga);
    expect(value(after, 'graphql_envelop_request', { operationName: 'Latest' })).toBe(3);
    expect(value(after, 'graphql_envelop_request_duration_count', { operationName: 'Latest' })).toBe(3);
    // The first scrape is counted once it has been answered.
    expect(value(after, 'news_graph_http_requests_total', { method: 'GET', route: '/metrics', status: '200' })).toBe(1);
  });

  it('counts errors by phase and extensions.code', async () => {
    const yoga = testServer(handle);
    const invalid = await execute(yoga, 'query Broken { articles(first: 1) { noSuchField } }');
    expect(invalid.errors?.[0]?.extensions?.['code']).toBe('GRAPHQL_VALIDATION_FAILED');
    const unparsable = await execute(yoga, 'query Broken2 { articles(first: 1) { ');
    expect(unparsable.errors?.[0]?.extensions?.['code']).toBe('GRAPHQL_PARSE_FAILED');
    const badId = await execute(yoga, 'query BadId { article(id: "not-a-global-id") { id } }');
    const badIdCode = badId.errors?.[0]?.extensions?.['code'];
    expect(typeof badIdCode).toBe('string');

    const samples = await scrape(yoga);
    expect(value(samples, 'graphql_envelop_error_result', { operationName: 'Broken', phase: 'validate', code: 'GRAPHQL_VALIDATION_FAILED' })).toBe(1);
    expect(value(samples, 'graphql_envelop_error_result', { phase: 'parse', code: 'GRAPHQL_PARSE_FAILED' })).toBe(1);
    expect(value(samples, 'graphql_envelop_error_result', { operationName: 'BadId', phase: 'execute', code: badIdCode as string })).toBe(1);
    // A failed validation is never executed, so it is not an operation count.
    expect(value(samples, 'graphql_envelop_request', { operationName: 'Broken' })).toBe(0);
  });

  it('observes the size of each DataLoader batch, by loader', async () => {
    const yoga = testServer(handle);
    const data = await query(yoga, WITH_TOPICS);
    expect(data.articles.edges).toHaveLength(5);
    const samples = await scrape(yoga);
    // Topics come with the page (one statement); events are loaded for the five articles in one batch.
    expect(value(samples, 'news_graph_dataloader_batch_size_count', { loader: 'topicsByArticleId' })).toBe(0);
    expect(value(samples, 'news_graph_dataloader_batch_size_count', { loader: 'eventsByArticleId' })).toBe(1);
    expect(value(samples, 'news_graph_dataloader_batch_size_sum', { loader: 'eventsByArticleId' })).toBe(5);
    expect(value(samples, 'news_graph_dataloader_batch_size_bucket', { loader: 'eventsByArticleId', le: '2' })).toBe(0);
    expect(value(samples, 'news_graph_dataloader_batch_size_bucket', { loader: 'eventsByArticleId', le: '5' })).toBe(1);
  });

  it('makes every loader a BatchLoader, so no loader escapes the histogram', () => {
    const all = createLoaders(handle.db);
    const loaders: [string, unknown][] = [];
    // for...in: the loaders are made on first use, and every name is listed before that.
    for (const name in all) loaders.push([name, all[name as keyof typeof all]]);
    loaders.splice(0, loaders.length, ...loaders.filter(([, l]) => l instanceof DataLoader));
    expect(loaders.length).toBeGreaterThan(20);
    for (const [name, loader] of loaders) expect(loader, name).toBeInstanceOf(BatchLoader);
  });

  it('times the SQL statements of each request', async () => {
    const yoga = testServer(handle);
    await query(yoga, WITH_TOPICS);
    const samples = await scrape(yoga);
    // articles page, totalCount-free: the page query (with its topics) and the events batch.
    expect(value(samples, 'news_graph_sql_statement_duration_seconds_count', { command: 'select' })).toBeGreaterThanOrEqual(2);
    expect(value(samples, 'news_graph_sql_statements_per_request_count')).toBe(1);
    expect(value(samples, 'news_graph_sql_statements_per_request_sum')).toBe(
      value(samples, 'news_graph_sql_statement_duration_seconds_count', { command: 'select' }),
    );
  });

  it('counts ingests by outcome', async () => {
    const yoga = testServer(handle);
    const [page] = generatePages(1, 100);
    const input = { raw: page!.raw, url: page!.url };
    const first = await execute(yoga, INGEST, { input });
    expect(first.data?.ingestArticle.status).toBe('CREATED');
    const again = await execute(yoga, INGEST, { input });
    expect(again.data?.ingestArticle.status).toBe('UNCHANGED');
    const refused = await execute(yoga, INGEST, { input: { raw: page!.raw, url: 'ftp://example.com/page' } });
    expect(refused.data?.ingestArticle.userErrors[0].field).toEqual(['input', 'url']);

    const samples = await scrape(yoga);
    expect(value(samples, 'news_graph_ingest_articles_total', { outcome: 'created' })).toBe(1);
    expect(value(samples, 'news_graph_ingest_articles_total', { outcome: 'unchanged' })).toBe(1);
    expect(value(samples, 'news_graph_ingest_articles_total', { outcome: 'failed' })).toBe(1);
    expect(value(samples, 'news_graph_ingest_articles_total', { outcome: 'updated' })).toBe(0);
  });

  it('counts an ingest that throws as an error, and still answers', async () => {
    const yoga = testServer(handle, {
      ingest: async () => {
        throw new Error('disk on fire');
      },
    });
    const [page] = generatePages(1, 200);
    const result = await execute(yoga, INGEST, { input: { raw: page!.raw } });
    expect(result.errors?.[0]?.message).toBe('Unexpected error.');
    expect(value(await scrape(yoga), 'news_graph_ingest_articles_total', { outcome: 'error' })).toBe(1);
  });

  it('walks documents for deprecated fields only when the schema has one; the counter is exported either way', async () => {
    expect(hasDeprecations(schema)).toBe(false);
    expect(hasDeprecations(buildSchema('type Query { a: Int @deprecated(reason: "b") b: Int }'))).toBe(true);
    expect(hasDeprecations(buildSchema('type Query { a(x: Int @deprecated): Int }'))).toBe(true);
    expect(hasDeprecations(buildSchema('input I { x: Int @deprecated } type Query { a(i: I): Int }'))).toBe(true);
    const yoga = testServer(handle);
    await execute(yoga, LATEST);
    const text = await (await yoga.fetch('http://localhost/metrics', {}, LOOPBACK)).text();
    expect(text).toMatch(/^# TYPE graphql_envelop_deprecated_field counter$/m);
  });

  it('keeps one registry per server: two servers count apart', async () => {
    const a = testServer(handle);
    const b = testServer(handle);
    await query(a, LATEST);
    expect(value(await scrape(a), 'graphql_envelop_request', { operationName: 'Latest' })).toBe(1);
    expect(value(await scrape(b), 'graphql_envelop_request', { operationName: 'Latest' })).toBe(0);
  });

  it('answers /metrics without an API key while GraphQL requires one', async () => {
    const { file } = await keysFile({ reader: ['read'] });
    const { yoga } = securedServer(handle, { readAccess: 'key', apiKeysFile: file });
    const remote = from('203.0.113.9');
    const refused = await send(yoga, { query: LATEST }, { client: remote });
    expect(refused.body.data).toBeUndefined();
    expect(refused.body.errors?.length).toBeGreaterThan(0);
    const scraped = await yoga.fetch('http://localhost/metrics', {}, remote);
    expect(scraped.status).toBe(200);
    expect(value(parseMetrics(await scraped.text()), 'news_graph_http_requests_total', { route: '/graphql', status: String(refused.status) })).toBe(1);
  });

  it('serves metrics in the Prometheus text format, and not at all with METRICS_ENABLED=false', async () => {
    const on = await testServer(handle).fetch('http://localhost/metrics', {}, LOOPBACK);
    expect(on.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(parseMetrics(await on.text()).length).toBeGreaterThan(0);

    const yoga = testServer(handle, { config: { ...TEST_CONFIG, metricsEnabled: false } });
    const off = await yoga.fetch('http://localhost/metrics', {}, LOOPBACK);
    expect(off.status).toBe(404);
    // Requests are still served.
    expect((await post(yoga, { query: LATEST })).status).toBe(200);
  });
});

