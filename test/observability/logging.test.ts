import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../src/db/client.js';
import { ingestRaw } from '../../src/ingest/pipeline.js';
import { idOf } from '../../src/schema/ids.js';
import { createTestDb } from '../support/db.js';
import { LOOPBACK, testServer } from '../support/graphql.js';
import { generatePages } from '../support/newsPages.js';
import { LogCapture, post } from './support.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const SEARCH = /* GraphQL */ `
  query FindSecret($text: String!) {
    search(query: $text, first: 2) { totalCount }
  }
`;

const INGEST = /* GraphQL */ `
  mutation Ingest($input: IngestArticleInput!) {
    ingestArticle(input: $input) { status article { id } userErrors { field message } }
  }
`;

describe('request ids and request logs', () => {
  let handle: DbHandle;

  beforeAll(async () => {
    handle = await createTestDb();
    for (const page of generatePages(3)) await ingestRaw(handle.db, { raw: page.raw, url: page.url });
  }, 120_000);

  afterAll(async () => {
    await handle?.close();
  });

  it('echoes a safe x-request-id, and replaces a missing or unsafe one with a UUID', async () => {
    const yoga = testServer(handle);
    const ask = (headers: Record<string, string>) => post(yoga, { query: '{ __typename }' }, headers);

    expect((await ask({ 'x-request-id': 'client-7f3a.9:B_x' })).headers.get('x-request-id')).toBe('client-7f3a.9:B_x');

    const generated = (await ask({})).headers.get('x-request-id');
    expect(generated).toMatch(UUID);
    const another = (await ask({})).headers.get('x-request-id');
    expect(another).toMatch(UUID);
    expect(another).not.toBe(generated);

    for (const unsafe of ['has space', 'quote"d', 'x'.repeat(129), 'semi;colon', '<script>']) {
      const id = (await ask({ 'x-request-id': unsafe })).headers.get('x-request-id');
      expect(id, unsafe).toMatch(UUID);
    }
  });

  it('puts the id on answers that never reach GraphQL', async () => {
    const yoga = testServer(handle);
    const health = await yoga.fetch('http://localhost/healthz', { headers: { 'x-request-id': 'probe-1' } }, LOOPBACK);
    expect(health.status).toBe(200);
    expect(health.headers.get('x-request-id')).toBe('probe-1');
    const missing = await yoga.fetch('http://localhost/no/such/page', { headers: { 'x-request-id': 'lost-1' } }, LOOPBACK);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('x-request-id')).toBe('lost-1');
  });

  it('logs one line per request with the id, operation, status and SQL count, and no query text, variables or credentials', async () => {
    const capture = new LogCapture();
    const yoga = testServer(handle, { log: capture.logger('info') });
    const response = await post(
      yoga,
      { query: SEARCH, variables: { text: 'zebracorn-variable-value' }, operationName: 'FindSecret' },
      { 'x-request-id': 'req-log-1' },
    );
    expect(response.status).toBe(200);
    expect((await response.json()).errors).toBeUndefined();
    // With no keys configured a key is refused; the refusal is logged like any answer, the key is not.
    const refused = await post(yoga, { query: SEARCH, variables: { text: 'x' } }, { 'x-request-id': 'req-log-2', authorization: 'Bearer ngk_000000000000_secret-token-value' });
    expect(refused.status).toBeGreaterThanOrEqual(400);

    const lines = capture.find('request');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatchObject({ requestId: 'req-log-2', status: refused.status });
    const line = lines[0]!;
    expect(line).toMatchObject({
      level: 'info',
      requestId: 'req-log-1',
      method: 'POST',
      path: '/graphql',
      status: 200,
      operation: 'FindSecret',
    });
    expect(typeof line['ms']).toBe('number');
    expect(line['sqlStatements']).toBeGreaterThan(0);
    const everything = capture.raw.join('\n');
    expect(everything).not.toContain('zebracorn-variable-value');
    expect(everything).not.toContain('secret-token-value');
    expect(everything).not.toContain('search(query');
  });

  it('names the operation from the document when the client does not, and lists error codes', async () => {
    const capture = new LogCapture();
    const yoga = testServer(handle, { log: capture.logger('info') });
    await post(yoga, { query: 'query Named { articles(first: 1) { totalCount } }' });
    await post(yoga, { query: 'query Wrong { articles(first: 1) { nope } }' });
    const [named, wrong] = capture.find('request');
    expect(named).toMatchObject({ operation: 'Named', status: 200 });
    expect(named).not.toHaveProperty('errors');
    expect(wrong).toMatchObject({ errors: ['GRAPHQL_VALIDATION_FAILED'] });
  });

  it("gives resolvers a logger carrying the request id (context.log)", async () => {
    const capture = new LogCapture();
    const yoga = testServer(handle, { log: capture.logger('info') });
    const [page] = generatePages(1, 50);
    const response = await post(yoga, { query: INGEST, variables: { input: { raw: page!.raw, url: page!.url } } }, { 'x-request-id': 'ingest-42' });
    const body = await response.json();
    expect(body.data.ingestArticle.status).toBe('CREATED');
    const [ingested] = capture.find('page ingested');
    expect(ingested).toMatchObject({ requestId: 'ingest-42', status: 'created' });
    expect(idOf(body.data.ingestArticle.article.id, 'Article', 'id')).toBe(ingested!['articleId']);
    // The raw page is never logged.
    expect(capture.raw.join('\n')).not.toContain(page!.raw.slice(0, 60));
  });

  it('logs probes and scrapes at debug only, so they stay out of an info log', async () => {
    const info = new LogCapture();
    await testServer(handle, { log: info.logger('info') }).fetch('http://localhost/healthz', {}, LOOPBACK);
    expect(info.lines).toHaveLength(0);
    const debug = new LogCapture();
    await testServer(handle, { log: debug.logger('debug') }).fetch('http://localhost/metrics', {}, LOOPBACK);
    expect(debug.find('request')).toMatchObject([{ level: 'debug', path: '/metrics', status: 200 }]);
  });

  it('writes nothing at LOG_LEVEL=silent', async () => {
    const capture = new LogCapture();
    const yoga = testServer(handle, { log: capture.logger('silent') });
    await post(yoga, { query: 'query Quiet { articles(first: 1) { totalCount } }' });
    expect(capture.lines).toHaveLength(0);
  });
});
