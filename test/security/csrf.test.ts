import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../src/db/client.js';
import { CSRF_HEADER } from '../../src/security/index.js';
import type { NewsGraphServer } from '../../src/server.js';
import { createTestDb } from '../support/db.js';
import { LOOPBACK, testServer } from '../support/graphql.js';

const MUTATION = 'mutation { mergePeople(input: { keep: "UGVyc29uOjE=", merge: "UGVyc29uOjI=" }) { userErrors { message } } }';

let handle: DbHandle;
let yoga: NewsGraphServer;

beforeAll(async () => {
  handle = await createTestDb();
  yoga = testServer(handle);
});

afterAll(async () => {
  await handle.close();
});

const post = (body: BodyInit, contentType: string, headers: Record<string, string> = {}) =>
  yoga.fetch('http://localhost/graphql', { method: 'POST', headers: { 'content-type': contentType, ...headers }, body }, LOOPBACK);

describe('CSRF prevention', () => {
  it('refuses the requests a foreign page can send without asking first: GET, form and text POSTs', async () => {
    const get = await yoga.fetch('http://localhost/graphql?query=%7B__typename%7D', { headers: { accept: 'application/json' } }, LOOPBACK);
    expect(get.status).toBe(403);
    expect(((await get.json()) as any).errors[0].message).toMatch(/CSRF/);

    const form = new URLSearchParams({ query: MUTATION });
    expect((await post(form, 'application/x-www-form-urlencoded')).status).toBe(403);
    expect((await post(JSON.stringify({ query: MUTATION }), 'text/plain')).status).toBe(403);
    const multipart = new FormData();
    multipart.set('operations', JSON.stringify({ query: MUTATION }));
    multipart.set('map', '{}');
    const sent = await yoga.fetch('http://localhost/graphql', { method: 'POST', body: multipart }, LOOPBACK);
    expect(sent.status).toBe(403);
  });

  it('answers them with the header, and JSON POSTs without it (a browser preflights those)', async () => {
    const get = await yoga.fetch('http://localhost/graphql?query=%7B__typename%7D', { headers: { accept: 'application/json', [CSRF_HEADER]: '1' } }, LOOPBACK);
    expect(get.status).toBe(200);
    expect(await get.json()).toEqual({ data: { __typename: 'Query' } });
    const json = await post(JSON.stringify({ query: '{ __typename }' }), 'application/json');
    expect(await json.json()).toEqual({ data: { __typename: 'Query' } });
  });

  it('has GraphiQL send the header, so its GET subscriptions pass', async () => {
    const page = await yoga.fetch('http://localhost/graphql', { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(`"additionalHeaders":{"${CSRF_HEADER}":"1"}`);
  });
});
