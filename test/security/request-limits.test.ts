import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../src/db/client.js';
import { DEFAULT_BODY_LIMITS, isIngestOnly, PAYLOAD_TOO_LARGE, type BodyLimits } from '../../src/security/bodyLimit.js';
import type { NewsGraphServer } from '../../src/server.js';
import { CountingLogger, createTestDb } from '../support/db.js';
import { execute, LOOPBACK, TEST_CONFIG, testServer } from '../support/graphql.js';
import { pageText } from '../support/newsPages.js';

const INGEST = 'mutation Ingest($input: IngestArticleInput!) { ingestArticle(input: $input) { status userErrors { field message } } }';
const COUNT = '{ articles { totalCount } }';
const MB = 1024 * 1024;

/** A JSON body of exactly `bytes` bytes: the operation, padded through `extensions` (which the server ignores). */
function paddedBody(query: string, bytes: number, variables?: Record<string, unknown>): string {
  const bare = JSON.stringify({ query, variables, extensions: { pad: '' } });
  const body = JSON.stringify({ query, variables, extensions: { pad: 'x'.repeat(bytes - bare.length) } });
  expect(Buffer.byteLength(body)).toBe(bytes);
  return body;
}

/** A body stream without a declared length (sent chunked), recording how much of it the server pulled. */
function chunkedBody(text: string, chunk = 64 * 1024) {
  const bytes = Buffer.from(text);
  const state = { pulled: 0 };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (state.pulled >= bytes.length) {
        controller.close();
        return;
      }
      const next = bytes.subarray(state.pulled, state.pulled + chunk);
      state.pulled += next.length;
      controller.enqueue(new Uint8Array(next));
    },
  });
  return { stream, state, total: bytes.length };
}

/** A readable news page of about `bytes` bytes. */
function pageOfSize(bytes: number, index: number): string {
  const paragraph = (i: number) =>
    `The finance ministry said on Monday that talks on the budget would continue through the week, in paragraph ${i} of report ${index}.`;
  const paragraphs = [`BEIJING, June 3 (Xinhua) -- Zhang Wei, a spokesman for the ministry, said the talks had made progress.`];
  for (let i = 0; Buffer.byteLength(paragraphs.join('\n\n')) < bytes; i += 1) paragraphs.push(paragraph(i));
  return pageText(`Budget talks continue in report ${index} of the series`, '10:00, June 04, 2013', paragraphs);
}

describe('request body limits', () => {
  const logger = new CountingLogger();
  let handle: DbHandle;
  let yoga: NewsGraphServer;

  async function post(body: BodyInit, options: { on?: NewsGraphServer; headers?: Record<string, string> } = {}) {
    logger.reset();
    const response = await (options.on ?? yoga).fetch(
      'http://localhost/graphql',
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...options.headers },
        body,
        duplex: 'half',
      },
      LOOPBACK,
    );
    const text = await response.text();
    return { status: response.status, type: response.headers.get('content-type'), json: JSON.parse(text), statements: logger.count };
  }

  async function articleCount(): Promise<number> {
    return (await execute(yoga, COUNT)).data.articles.totalCount;
  }

  function expect413(outcome: Awaited<ReturnType<typeof post>>, message: RegExp) {
    expect(outcome.status).toBe(413);
    expect(outcome.type).toMatch(/^application\/(graphql-response\+)?json/);
    expect(outcome.json.errors).toHaveLength(1);
    expect(outcome.json.errors[0].extensions.code).toBe(PAYLOAD_TOO_LARGE);
    expect(outcome.json.errors[0].message).toMatch(message);
    expect(outcome.statements, 'SQL statements for a refused body').toBe(0);
  }

  beforeAll(async () => {
    handle = await createTestDb({ logger });
    yoga = testServer(handle);
  }, 60_000);

  afterAll(async () => {
    await handle?.close();
  });

  it('serves a body of exactly the limit (1 MB by default) and refuses one byte more with 413 naming both sizes', async () => {
    const served = await post(paddedBody(COUNT, DEFAULT_BODY_LIMITS.maxBodyBytes));
    expect(served.status).toBe(200);
    expect(served.json.data.articles.totalCount).toBe(0);
    expect(served.statements).toBeGreaterThan(0);

    const refused = await post(paddedBody(COUNT, DEFAULT_BODY_LIMITS.maxBodyBytes + 1));
    expect413(refused, /^Request body is 1048577 bytes; the limit is 1048576 bytes \(5242880 for a mutation selecting only ingestArticle\)/);
    expect(refused.json.errors[0].extensions.limit).toBe(DEFAULT_BODY_LIMITS.maxBodyBytes);
  });

  it('counts a chunked body without Content-Length while reading it', async () => {
    const body = chunkedBody(paddedBody(COUNT, 2 * MB));
    expect413(await post(body.stream), /^Request body is 2097152 bytes; the limit is 1048576 bytes/);
  });

  it('stops reading a chunked body at the ingest limit instead of buffering it all', async () => {
    const body = chunkedBody(paddedBody(INGEST, 20 * MB, { input: { raw: 'a' } }));
    const refused = await post(body.stream);
    expect413(refused, /^Request body is more than 5242880 bytes; the limit is 5242880 bytes even for an ingestArticle mutation/);
    // The stream is pulled a chunk or two ahead of the parser; far from its 20 MB.
    expect(body.state.pulled).toBeLessThan(DEFAULT_BODY_LIMITS.maxIngestBodyBytes + 4 * 64 * 1024);
  });

  it('refuses a declared Content-Length over the ingest limit before reading any of the body', async () => {
    const body = chunkedBody(paddedBody(INGEST, 20 * MB, { input: { raw: 'a' } }));
    const refused = await post(body.stream, { headers: { 'content-length': String(body.total) } });
    expect413(refused, /^Request body is 20971520 bytes; the limit is 5242880 bytes even for an ingestArticle mutation/);
    expect(body.state.pulled).toBeLessThanOrEqual(64 * 1024);
  });

  it('refuses a 20 MB page with 413, naming its size, and writes nothing', async () => {
    const before = await articleCount();
    const text = JSON.stringify({ query: INGEST, variables: { input: { raw: 'a'.repeat(20 * MB) } } });
    const refused = await post(text);
    expect413(refused, new RegExp(`^Request body is ${Buffer.byteLength(text)} bytes; the limit is 5242880 bytes even for an ingestArticle mutation`));
    expect(await articleCount()).toBe(before);
  });

  it('answers a malformed Content-Length with 400', async () => {
    const refused = await post(JSON.stringify({ query: COUNT }), { headers: { 'content-length': '10, 10' } });
    expect(refused.status).toBe(400);
    expect(refused.statements).toBe(0);
  });

  describe('the ingest allowance', () => {
    // Small limits keep the pages small: a body limit of 8 KB, pages up to 16 KB, ingest bodies up to 64 KB.
    const limits: BodyLimits = { maxBodyBytes: 8 * 1024, maxIngestBodyBytes: 64 * 1024 };
    let small: NewsGraphServer;

    beforeAll(() => {
      small = testServer(handle, { config: { ...TEST_CONFIG, maxPageBytes: 16 * 1024, bodyLimits: limits } });
    });

    it('lets an ingestArticle mutation past the body limit, and the page is stored', async () => {
      const before = await articleCount();
      const raw = pageOfSize(12 * 1024, 1);
      const outcome = await post(JSON.stringify({ query: INGEST, variables: { input: { raw } } }), { on: small });
      expect(outcome.status).toBe(200);
      expect(outcome.json.data.ingestArticle).toEqual({ status: 'CREATED', userErrors: [] });
      expect(await articleCount()).toBe(before + 1);
    });

    it('a page between the page limit and the ingest body limit still gets a userError naming its size', async () => {
      const before = await articleCount();
      const outcome = await post(JSON.stringify({ query: INGEST, variables: { input: { raw: 'a'.repeat(40 * 1024) } } }), { on: small });
      expect(outcome.status).toBe(200);
      expect(outcome.json.data.ingestArticle.userErrors).toEqual([{ field: ['input', 'raw'], message: 'raw is 40960 bytes; the limit is 16384 bytes' }]);
      expect(await articleCount()).toBe(before);
    });

    it('does not extend to queries, other mutations, or an ingest mixed with another field', async () => {
      const raw = 'a'.repeat(12 * 1024);
      for (const query of [
        `query Q($input: IngestArticleInput!) { articles { totalCount } }`,
        `mutation M($input: IngestArticleInput!) { ingestArticle(input: $input) { status } mergePeople(input: { into: "x", from: ["y"] }) { userErrors { message } } }`,
        `mutation M($input: IngestArticleInput!) { ...I } fragment I on Mutation { ingestArticle(input: $input) { status } }`,
      ]) {
        expect413(await post(JSON.stringify({ query, variables: { input: { raw } } }), { on: small }), /the limit is 8192 bytes \(65536 for a mutation selecting only ingestArticle\)/);
      }
    });
  });

  it('recognises an ingest-only operation', () => {
    const ingest = 'mutation { a: ingestArticle(input: { raw: "x" }) { status } b: ingestArticle(input: { raw: "y" }) { status } }';
    expect(isIngestOnly({ query: ingest })).toBe(true);
    expect(isIngestOnly({ query: `query Q { articles { totalCount } } ${INGEST}`, operationName: 'Ingest' })).toBe(true);
    expect(isIngestOnly({ query: `query Q { articles { totalCount } } ${INGEST}`, operationName: 'Q' })).toBe(false);
    expect(isIngestOnly({ query: `query Q { articles { totalCount } } ${INGEST}` })).toBe(false);
    expect(isIngestOnly({ query: 'mutation { ingestArticle(input: { raw: "x" }) { status } __typename }' })).toBe(false);
    expect(isIngestOnly({ query: 'mutation {' })).toBe(false);
    expect(isIngestOnly([{ query: ingest }])).toBe(false);
    expect(isIngestOnly({ extensions: { persistedQuery: { sha256Hash: 'abc' } } })).toBe(false);
  });

  it('refuses batched operations (a JSON array body) with a clean 400', async () => {
    const refused = await post(JSON.stringify([{ query: COUNT }, { query: COUNT }]));
    expect(refused.status).toBe(400);
    expect(refused.json).toEqual({ errors: [{ message: 'Batching is not supported.', extensions: { code: 'BAD_REQUEST' } }] });
    expect(refused.statements).toBe(0);
    expect((await post(JSON.stringify({ query: COUNT }))).status).toBe(200);
  });

  describe('over a real HTTP connection', () => {
    let server: http.Server;
    let url: string;

    beforeAll(async () => {
      server = http.createServer(yoga);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
    });

    afterAll(async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    async function send(body: BodyInit) {
      logger.reset();
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        // @ts-expect-error needed for a stream body; missing from the DOM RequestInit types
        duplex: 'half',
      });
      return { status: response.status, json: await response.json(), statements: logger.count };
    }

    it('answers 413 to a declared 6 MB ingest and to a chunked one, then keeps serving', async () => {
      const text = JSON.stringify({ query: INGEST, variables: { input: { raw: 'a'.repeat(6 * MB) } } });
      const declared = await send(text); // fetch declares Content-Length for a string body
      expect(declared.status).toBe(413);
      expect(declared.json.errors[0]).toMatchObject({ message: `Request body is ${Buffer.byteLength(text)} bytes; the limit is 5242880 bytes even for an ingestArticle mutation.`, extensions: { code: PAYLOAD_TOO_LARGE } });

      const chunked = await send(chunkedBody(text).stream);
      expect(chunked.status).toBe(413);
      expect(chunked.json.errors[0].message).toMatch(/^Request body is more than 5242880 bytes/);
      expect(chunked.statements).toBe(0);

      const after = await send(JSON.stringify({ query: COUNT }));
      expect(after.status).toBe(200);
      expect(after.json.data.articles.totalCount).toBeGreaterThanOrEqual(0);
    });

    it('reads no byte past a declared Content-Length', async () => {
      // A declared length within the limit is trusted without counting: the bytes after it on the connection
      // (here a second, pipelined request) never become part of the first body.
      const body = JSON.stringify({ query: COUNT });
      const request = `POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
      const { port } = server.address() as AddressInfo;
      const answer = await new Promise<string>((resolve, reject) => {
        let text = '';
        const socket = net.connect(port, '127.0.0.1', () => socket.write(request + request));
        socket.on('data', (chunk) => {
          text += chunk.toString('utf8');
          if ((text.match(/"totalCount"/g) ?? []).length === 2) socket.end();
        });
        socket.on('close', () => resolve(text));
        socket.on('error', reject);
        setTimeout(() => reject(new Error(`no answer; got ${text.slice(0, 300)}`)), 20_000).unref();
      });
      expect(answer.match(/HTTP\/1\.1 200 /g)).toHaveLength(2);
      expect(answer.match(/"totalCount"/g)).toHaveLength(2);
    });
  });
});
