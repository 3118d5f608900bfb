import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../src/db/client.js';
import { ensureTaxonomy } from '../../src/ingest/taxonomy.js';
import { clientAddress, isLocalRequest, isLoopbackAddress } from '../../src/security/access.js';
import type { NewsGraphServer } from '../../src/server.js';
import { createTestDb } from '../support/db.js';
import { testServer } from '../support/graphql.js';
import { generatePage } from '../support/newsPages.js';
import { from, send } from './auth-support.js';

const INGEST = `mutation Ingest($input: IngestArticleInput!) { ingestArticle(input: $input) { status userErrors { message } } }`;
const page = (n: number) => ({ query: INGEST, variables: { input: { raw: generatePage(n).raw } } });

const local = (headers: Record<string, string> = {}, url = 'http://localhost:4000/graphql', address: string | null = '127.0.0.1', hops = 0) =>
  isLocalRequest(new Request(url, { method: 'POST', headers }), new URL(url), address, hops);

describe('who counts as a local client', () => {
  it('knows loopback addresses in their IPv4, IPv6 and mapped forms', () => {
    for (const a of ['127.0.0.1', '127.3.2.1', '::1', '::ffff:127.0.0.1']) expect(isLoopbackAddress(a)).toBe(true);
    for (const a of ['10.0.0.1', '::ffff:10.0.0.1', '203.0.113.7', 'fe80::1', '', null]) expect(isLoopbackAddress(a)).toBe(false);
  });

  it('is a loopback client addressing a loopback host, with no page of another origin behind it', () => {
    expect(local()).toBe(true);
    expect(local({}, 'http://127.0.0.1:4000/graphql')).toBe(true);
    expect(local({}, 'http://[::1]:4000/graphql', '::1')).toBe(true);
    expect(local({ origin: 'http://localhost:4000', 'sec-fetch-site': 'same-origin' })).toBe(true);
    // GraphiQL and /explore served by this service post with their own origin.
    expect(local({ origin: 'http://127.0.0.1:4000' }, 'http://127.0.0.1:4000/graphql')).toBe(true);
  });

  it('is not a remote address, an in-process call without a socket, or a proxied request', () => {
    expect(local({}, undefined, '203.0.113.7')).toBe(false);
    expect(local({}, undefined, null)).toBe(false);
    // A reverse proxy on this host makes every client look like 127.0.0.1.
    expect(local({ 'x-forwarded-for': '203.0.113.7' })).toBe(false);
    expect(local({ forwarded: 'for=203.0.113.7' })).toBe(false);
  });

  it('is not a page of another site in the local browser, nor a DNS-rebound name', () => {
    expect(local({ origin: 'https://evil.example' })).toBe(false);
    expect(local({ origin: 'http://localhost:3000' })).toBe(false);
    expect(local({ origin: 'null' })).toBe(false);
    expect(local({ 'sec-fetch-site': 'cross-site' })).toBe(false);
    expect(local({}, 'http://rebound.evil.example:4000/graphql')).toBe(false);
  });

  it('takes the client address from X-Forwarded-For only as far back as the trusted proxies reach', () => {
    const request = (xff?: string) => new Request('http://localhost/graphql', { headers: xff ? { 'x-forwarded-for': xff } : {} });
    const peer = from('10.0.0.2');
    expect(clientAddress(request('1.1.1.1'), peer, 0)).toBe('10.0.0.2');
    // One proxy appends the address it saw; anything before it is the client's own claim.
    expect(clientAddress(request('6.6.6.6, 203.0.113.7'), peer, 1)).toBe('203.0.113.7');
    expect(clientAddress(request('6.6.6.6, 203.0.113.7, 10.0.0.9'), peer, 2)).toBe('203.0.113.7');
    expect(clientAddress(request(), peer, 1)).toBe('10.0.0.2');
    expect(clientAddress(request('127.0.0.1'), from(null), 1)).toBeNull();
    // Behind a trusted proxy on this host, the client it names decides, not the proxy's loopback socket.
    const proxied = clientAddress(request('203.0.113.7'), from('127.0.0.1'), 1);
    expect(local({ 'x-forwarded-for': '203.0.113.7' }, undefined, proxied, 1)).toBe(false);
    expect(local({ 'x-forwarded-for': '127.0.0.1' }, undefined, clientAddress(request('127.0.0.1'), from('127.0.0.1'), 1), 1)).toBe(true);
  });
});

describe('with no keys configured', () => {
  let handle: DbHandle;
  let yoga: NewsGraphServer;

  beforeAll(async () => {
    handle = await createTestDb();
    await ensureTaxonomy(handle.db);
    yoga = testServer(handle);
  });

  afterAll(async () => {
    await handle.close();
  });

  it('takes mutations from a loopback client', async () => {
    const result = await send(yoga, page(21), { client: from('::ffff:127.0.0.1') });
    expect(result.body.data.ingestArticle).toMatchObject({ status: 'CREATED', userErrors: [] });
  });

  it('refuses them from a remote client, a socketless caller and a foreign page, naming the scope', async () => {
    for (const [client, headers] of [
      [from('203.0.113.7'), {}],
      [from(null), {}],
      [from('127.0.0.1'), { origin: 'https://evil.example' }],
    ] as const) {
      const result = await send(yoga, page(22), { client, headers });
      expect(result.status).toBe(403);
      expect(result.body.data ?? null).toBeNull();
      expect(result.body.errors?.[0]).toMatchObject({
        message: expect.stringMatching(/accepted only from this machine while no API keys are configured/),
        extensions: { code: 'FORBIDDEN', requiredScope: 'ingest' },
      });
    }
    const read = await send(yoga, { query: '{ articles(first: 1) { totalCount } }' }, { client: from('203.0.113.7') });
    expect(read.body.data.articles.totalCount).toBe(1);
  });

  it('takes a mutation over a real loopback socket', async () => {
    const server = http.createServer(testServer(handle));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(page(23)),
      });
      expect(((await response.json()) as any).data.ingestArticle.status).toBe('CREATED');
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
