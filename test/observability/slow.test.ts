import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../src/db/client.js';
import { observeStatements } from '../../src/db/timing.js';
import { ingestRaw } from '../../src/ingest/pipeline.js';
import { createTestDb } from '../support/db.js';
import { TEST_CONFIG, testServer } from '../support/graphql.js';
import { generatePages } from '../support/newsPages.js';
import { LogCapture, post } from './support.js';

const SEARCH = /* GraphQL */ `
  query SlowSearch($text: String!) {
    search(query: $text, first: 3) { totalCount }
    articles(first: 2) { edges { node { headline topics { topic { slug } } events { name } } } }
  }
`;

const INGEST = /* GraphQL */ `
  mutation Ingest($input: IngestArticleInput!) {
    ingestArticle(input: $input) { status }
  }
`;

describe('slow-query and slow-request logs', () => {
  let handle: DbHandle;

  beforeAll(async () => {
    handle = await createTestDb();
    for (const page of generatePages(4)) await ingestRaw(handle.db, { raw: page.raw, url: page.url });
  }, 120_000);

  afterAll(async () => {
    await handle?.close();
  });

  function server(settings: { slowQueryMs?: number; slowRequestMs?: number }) {
    const capture = new LogCapture();
    const yoga = testServer(handle, { log: capture.logger('info'), config: { ...TEST_CONFIG, ...settings } });
    return { capture, yoga };
  }

  it('logs every statement at threshold 0: text without parameter values, duration, request id', async () => {
    const { capture, yoga } = server({ slowQueryMs: 0 });
    const response = await post(yoga, { query: SEARCH, variables: { text: 'quasar-parameter-value' } }, { 'x-request-id': 'slow-1' });
    expect((await response.json()).errors).toBeUndefined();

    const slow = capture.find('slow SQL statement');
    const [request] = capture.find('request');
    // One line per statement the request ran: the same count the request line reports.
    expect(slow.length).toBeGreaterThanOrEqual(3);
    expect(slow).toHaveLength(request!['sqlStatements'] as number);
    for (const line of slow) {
      expect(line).toMatchObject({ level: 'warn', requestId: 'slow-1', operation: 'SlowSearch', failed: false });
      expect(typeof line['ms']).toBe('number');
      expect(line['statement']).toMatch(/^\s*(select|with)\b/i);
    }
    // Values travel as parameters ($1, ...), never in the logged text.
    expect(slow.some((l) => /\$1\b/.test(String(l['statement'])))).toBe(true);
    expect(capture.raw.join('\n')).not.toContain('quasar-parameter-value');
  });

  it('logs nothing when every statement is under the threshold', async () => {
    const { capture, yoga } = server({ slowQueryMs: 3_600_000 });
    await post(yoga, { query: SEARCH, variables: { text: 'quasar' } });
    expect(capture.find('slow SQL statement')).toHaveLength(0);
    // The request ran statements, and was logged.
    expect(capture.find('request')[0]!['sqlStatements']).toBeGreaterThan(0);
  });

  it("times the statements inside an ingest's transaction, with the request id", async () => {
    const { capture, yoga } = server({ slowQueryMs: 0 });
    const [page] = generatePages(1, 300);
    const response = await post(yoga, { query: INGEST, variables: { input: { raw: page!.raw, url: page!.url } } }, { 'x-request-id': 'slow-ingest' });
    expect((await response.json()).data.ingestArticle.status).toBe('CREATED');
    const writes = capture.find('slow SQL statement').filter((l) => /^\s*insert\b/i.test(String(l['statement'])));
    expect(writes.length).toBeGreaterThan(0);
    for (const line of writes) expect(line['requestId']).toBe('slow-ingest');
    expect(capture.raw.join('\n')).not.toContain(page!.headline);
  });

  it('reports failed statements as failed', async () => {
    const seen: Array<{ text: string; failed: boolean }> = [];
    await observeStatements(
      (text, _ms, failed) => seen.push({ text, failed }),
      () => handle.db.execute(sql`select * from no_such_table_here`).catch(() => null),
    );
    expect(seen).toEqual([{ text: 'select * from no_such_table_here', failed: true }]);
  });

  it('times nothing outside observeStatements', async () => {
    const seen: string[] = [];
    await observeStatements((text) => seen.push(text), async () => {
      await handle.db.execute(sql`select 1 as inside`);
    });
    await handle.db.execute(sql`select 1 as outside`);
    expect(seen).toEqual(['select 1 as inside']);
  });

  it('logs a request over SLOW_REQUEST_MS at warn, flagged slow, and others at info', async () => {
    const slow = server({ slowRequestMs: 0 });
    await post(slow.yoga, { query: '{ articles(first: 1) { totalCount } }' });
    expect(slow.capture.find('slow request')).toMatchObject([{ level: 'warn', slow: true, status: 200 }]);
    expect(slow.capture.find('request')).toHaveLength(0);

    const fast = server({ slowRequestMs: 3_600_000 });
    await post(fast.yoga, { query: '{ articles(first: 1) { totalCount } }' });
    expect(fast.capture.find('slow request')).toHaveLength(0);
    expect(fast.capture.find('request')).toMatchObject([{ level: 'info', status: 200 }]);
  });
});
