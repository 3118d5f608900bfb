import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../src/db/client.js';
import { ensureTaxonomy } from '../../src/ingest/taxonomy.js';
import { loadPersistedOperations, PersistedOperationsError } from '../../src/security/persisted.js';
import type { NewsGraphServer } from '../../src/server.js';
import { createTestDb } from '../support/db.js';
import { generatePage } from '../support/newsPages.js';
import { from, keysFile, securedServer, send } from './auth-support.js';

const TOPICS = 'query Topics { topics(first: 3) { totalCount edges { node { slug } } } }';
const INGEST = 'mutation Ingest($input: IngestArticleInput!) { ingestArticle(input: $input) { status } }';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const byId = (document: string) => ({ extensions: { persistedQuery: { version: 1, sha256Hash: sha256(document) } } });
const remote = from('203.0.113.20');

function writeJson(value: unknown): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ng-persisted-')), 'persisted-operations.json');
  fs.writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
  return file;
}

let handle: DbHandle;
let keys: Record<string, string>;
let only: NewsGraphServer;
let onlyNoKeys: NewsGraphServer;
let optional: NewsGraphServer;

beforeAll(async () => {
  handle = await createTestDb();
  await ensureTaxonomy(handle.db);
  const operations = writeJson({ [sha256(TOPICS)]: TOPICS, [sha256(INGEST)]: INGEST });
  const made = await keysFile({ analyst: ['read'], 'ingest-bot': ['ingest'] });
  keys = made.keys;
  only = securedServer(handle, { apiKeysFile: made.file, persistedOnly: true, persistedOperationsFile: operations }).yoga;
  onlyNoKeys = securedServer(handle, { persistedOnly: true, persistedOperationsFile: operations }).yoga;
  optional = securedServer(handle, { persistedOperationsFile: operations }).yoga;
});

afterAll(async () => {
  await handle.close();
});

describe('PERSISTED_ONLY=true', () => {
  it('runs a listed operation by its id for anyone', async () => {
    const result = await send(only, byId(TOPICS), { client: remote });
    expect(result.status).toBe(200);
    expect(result.body.data.topics.totalCount).toBeGreaterThan(0);
  });

  it('refuses a document of the client’s own without a key, saying how to send one', async () => {
    const result = await send(only, { query: '{ articles(first: 1) { totalCount } }' }, { client: remote });
    expect(result.status).toBe(403);
    expect(result.body.data ?? null).toBeNull();
    expect(result.body.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/persisted operations only \(PERSISTED_ONLY=true\).*API key/),
      extensions: { code: 'PERSISTED_QUERY_ONLY' },
    });
    // A listed document sent as text is still a document of the client's own.
    expect((await send(only, { query: TOPICS }, { client: remote })).status).toBe(403);
  });

  it('runs any document for a caller with a valid key, whatever its scopes', async () => {
    const result = await send(only, { query: '{ articles(first: 1) { totalCount } }' }, { client: remote, key: keys.analyst });
    expect(result.body.errors).toBeUndefined();
    expect(result.body.data.articles.totalCount).toBe(0);
    const wrong = keys.analyst!.slice(0, -1) + (keys.analyst!.endsWith('A') ? 'B' : 'A');
    expect((await send(only, { query: '{ __typename }' }, { client: remote, key: wrong })).body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_ONLY');
  });

  it('answers an unknown id as not found', async () => {
    const result = await send(only, byId('query Unknown { __typename }'), { client: remote });
    expect(result.body.errors?.[0]).toMatchObject({ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } });
  });

  it('still needs the scope for a persisted mutation', async () => {
    const variables = { input: { raw: generatePage(31).raw } };
    const anonymous = await send(only, { ...byId(INGEST), variables }, { client: remote });
    expect(anonymous.body.errors?.[0]?.extensions).toEqual({ code: 'UNAUTHENTICATED', requiredScope: 'ingest' });
    const bot = await send(only, { ...byId(INGEST), variables }, { client: remote, key: keys['ingest-bot'] });
    expect(bot.body.data.ingestArticle.status).toBe('CREATED');
  });

  it('without keys, lets local clients send their own documents and nobody else', async () => {
    expect((await send(onlyNoKeys, { query: '{ __typename }' })).body.data).toEqual({ __typename: 'Query' });
    expect((await send(onlyNoKeys, { query: '{ __typename }' }, { client: remote })).status).toBe(403);
  });
});

describe('a persisted-operations file without PERSISTED_ONLY', () => {
  it('serves ids beside ordinary documents', async () => {
    expect((await send(optional, byId(TOPICS), { client: remote })).body.data.topics.totalCount).toBeGreaterThan(0);
    expect((await send(optional, { query: '{ __typename }' }, { client: remote })).body.data).toEqual({ __typename: 'Query' });
  });
});

describe('loading the file', () => {
  it('lists every broken entry, and refuses what is not a JSON object of documents', () => {
    const problems = (value: unknown) => {
      try {
        loadPersistedOperations(writeJson(value));
      } catch (error) {
        expect(error).toBeInstanceOf(PersistedOperationsError);
        return (error as PersistedOperationsError).problems;
      }
      return [];
    };
    expect(problems({ a: TOPICS, b: 'query {', c: 42, 'bad id!': TOPICS })).toEqual([
      expect.stringMatching(/^b: Syntax Error/),
      'c: the document must be a string',
      expect.stringMatching(/^id "bad id!"/),
    ]);
    expect(problems('[1, 2]')).toEqual(['expected a JSON object mapping operation ids to GraphQL documents']);
    expect(problems('{ not json')[0]).toMatch(/^not JSON/);
    expect(loadPersistedOperations(writeJson({ [sha256(TOPICS)]: TOPICS })).size).toBe(1);
  });
});
