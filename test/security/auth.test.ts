import { sql } from 'drizzle-orm';
import { GraphQLObjectType, GraphQLSchema, GraphQLString, parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../src/db/client.js';
import { ensureTaxonomy } from '../../src/ingest/taxonomy.js';
import { schema } from '../../src/schema/index.js';
import { refusal, type Access } from '../../src/security/access.js';
import type { Security } from '../../src/security/index.js';
import type { ApiKey } from '../../src/security/keys.js';
import { requiredScopeOf } from '../../src/security/scopes.js';
import type { NewsGraphServer } from '../../src/server.js';
import { createTestDb } from '../support/db.js';
import { generatePage } from '../support/newsPages.js';
import { subscribe } from '../support/sse.js';
import { from, keysFile, securedServer, send } from './auth-support.js';

const INGEST = `mutation Ingest($input: IngestArticleInput!) {
  ingestArticle(input: $input) { status article { id headline } userErrors { message } }
}`;
const MERGE = `mutation Merge($input: MergePeopleInput!) { mergePeople(input: $input) { person { id } userErrors { message } } }`;
const READ = '{ articles(first: 5) { totalCount edges { node { headline } } } }';
const PERSON_ID = Buffer.from('Person:999999').toString('base64');

let handle: DbHandle;
let keys: Record<string, string>;
let yoga: NewsGraphServer;
let security: Security;
let keyed: NewsGraphServer;

const articleCount = async () => {
  const rows = await handle.db.execute<{ n: number }>(sql`select count(*)::int as n from articles`);
  return Number((rows as unknown as { rows?: { n: number }[] }).rows?.[0]?.n ?? (rows as unknown as { n: number }[])[0]?.n);
};

beforeAll(async () => {
  handle = await createTestDb();
  await ensureTaxonomy(handle.db);
  const made = await keysFile({ reader: ['read'], 'ingest-bot': ['ingest'], editor: ['edit'], admin: ['ingest', 'edit'] });
  keys = made.keys;
  ({ yoga, security } = securedServer(handle, { apiKeysFile: made.file }));
  ({ yoga: keyed } = securedServer(handle, { apiKeysFile: made.file, readAccess: 'key' }));
});

afterAll(async () => {
  await handle.close();
});

describe('every mutation is guarded', () => {
  it('declares the scope it needs on each Mutation field of the schema', () => {
    const fields = Object.values(schema.getMutationType()!.getFields());
    expect(fields.length).toBeGreaterThan(0);
    for (const field of fields) expect({ field: field.name, scope: requiredScopeOf(field) }).toEqual({ field: field.name, scope: expect.stringMatching(/^(ingest|edit)$/) });
  });

  it('refuses a mutation field that declares no scope, whoever asks', () => {
    const bare = new GraphQLSchema({
      query: new GraphQLObjectType({ name: 'Query', fields: { ok: { type: GraphQLString } } }),
      mutation: new GraphQLObjectType({ name: 'Mutation', fields: { undeclared: { type: GraphQLString } } }),
    });
    const admin: ApiKey = { id: '000000000000', name: 'admin', scopes: new Set(['read', 'ingest', 'edit']) };
    const everyone: Access[] = [
      { key: admin, badKey: false, clientAddress: '127.0.0.1', local: true },
      { key: null, badKey: false, clientAddress: '127.0.0.1', local: true },
    ];
    for (const keysConfigured of [true, false]) {
      for (const access of everyone) {
        const problem = refusal(bare, parse('mutation { undeclared }'), null, access, { readAccess: 'public', keys: keysConfigured ? security.keys : null });
        expect(problem?.extensions.code).toBe('FORBIDDEN');
        expect(problem?.message).toMatch(/undeclared declares no required scope/);
      }
    }
  });
});

describe('with keys configured', () => {
  it('refuses ingestArticle without a key, naming the ingest scope, and writes nothing', async () => {
    const before = await articleCount();
    const result = await send(yoga, { query: INGEST, variables: { input: { raw: generatePage(1).raw } } });
    expect(result.status).toBe(401);
    expect(result.headers.get('www-authenticate')).toBe('Bearer');
    expect(result.body.data ?? null).toBeNull();
    expect(result.body.errors).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(/ingestArticle needs an API key with the "ingest" scope/),
        extensions: { code: 'UNAUTHENTICATED', requiredScope: 'ingest' },
      }),
    ]);
    expect(await articleCount()).toBe(before);
  });

  it('refuses a wrong key and a key of an unknown id as invalid, still naming the scope', async () => {
    const real = keys['ingest-bot']!;
    const wrongSecret = real.slice(0, -1) + (real.endsWith('A') ? 'B' : 'A');
    const unknownId = real.replace(/^ngk_[0-9a-f]{12}/, 'ngk_000000000000');
    for (const key of [wrongSecret, unknownId, 'not-a-key']) {
      const result = await send(yoga, { query: INGEST, variables: { input: { raw: generatePage(2).raw } } }, { key });
      expect(result.status).toBe(401);
      expect(result.headers.get('www-authenticate')).toMatch(/invalid_token/);
      expect(result.body.data ?? null).toBeNull();
      expect(result.body.errors?.[0]?.extensions).toEqual({ code: 'UNAUTHENTICATED', requiredScope: 'ingest' });
    }
  });

  it('refuses a key without the scope as FORBIDDEN, naming the scope and the key', async () => {
    const before = await articleCount();
    const asReader = await send(yoga, { query: INGEST, variables: { input: { raw: generatePage(3).raw } } }, { key: keys.reader });
    expect(asReader.status).toBe(403);
    expect(asReader.body.errors?.[0]).toMatchObject({
      message: 'The API key "reader" lacks the "ingest" scope that ingestArticle needs',
      extensions: { code: 'FORBIDDEN', requiredScope: 'ingest' },
    });
    const mergeAsIngest = await send(yoga, { query: MERGE, variables: { input: { keep: PERSON_ID, merge: PERSON_ID } } }, { key: keys['ingest-bot'] });
    expect(mergeAsIngest.body.errors?.[0]?.extensions).toEqual({ code: 'FORBIDDEN', requiredScope: 'edit' });
    expect(mergeAsIngest.body.data ?? null).toBeNull();
    expect(await articleCount()).toBe(before);
  });

  it('runs ingestArticle with the ingest scope and mergePeople with the edit scope, from any address', async () => {
    const remote = from('203.0.113.7');
    const stored = await send(yoga, { query: INGEST, variables: { input: { raw: generatePage(4).raw } } }, { key: keys['ingest-bot'], client: remote });
    expect(stored.status).toBe(200);
    expect(stored.body.data.ingestArticle).toMatchObject({ status: 'CREATED', userErrors: [] });
    // The edit key reaches the resolver: the merge is refused as data (no such person), not by the guard.
    const merged = await send(yoga, { query: MERGE, variables: { input: { keep: PERSON_ID, merge: PERSON_ID } } }, { key: keys.editor, client: remote });
    expect(merged.body.errors).toBeUndefined();
    expect(merged.body.data.mergePeople.userErrors[0].message).toMatch(/same person/);
  });

  it('checks every root field, through aliases, fragments and inline fragments', async () => {
    const hidden = `mutation Hidden($input: MergePeopleInput!) {
      ... on Mutation { renamed: __typename }
      ...M
    }
    fragment M on Mutation { quietly: mergePeople(input: $input) { userErrors { message } } }`;
    const result = await send(yoga, { query: hidden, variables: { input: { keep: PERSON_ID, merge: PERSON_ID } } }, { key: keys.admin!.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')) });
    expect(result.body.errors?.[0]?.extensions).toEqual({ code: 'UNAUTHENTICATED', requiredScope: 'edit' });
    const withIngestOnly = await send(yoga, { query: hidden, variables: { input: { keep: PERSON_ID, merge: PERSON_ID } } }, { key: keys['ingest-bot'] });
    expect(withIngestOnly.body.errors?.[0]?.extensions).toEqual({ code: 'FORBIDDEN', requiredScope: 'edit' });
    expect(withIngestOnly.body.data ?? null).toBeNull();
  });

  it('keeps reading public, but refuses a query that carries an invalid key rather than ignoring it', async () => {
    const open = await send(yoga, { query: READ }, { client: from('203.0.113.7') });
    expect(open.status).toBe(200);
    expect(open.body.data.articles.totalCount).toBeGreaterThan(0);
    const bad = await send(yoga, { query: READ }, { key: 'ngk_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' });
    expect(bad.status).toBe(401);
    expect(bad.body.errors?.[0]?.extensions).toEqual({ code: 'UNAUTHENTICATED' });
    expect(bad.body.data ?? null).toBeNull();
  });

  it('verifies a key with scrypt once, then answers from memory', async () => {
    const before = security.keys!.hashesComputed;
    for (let i = 0; i < 10; i += 1) expect((await send(yoga, { query: READ }, { key: keys.admin })).status).toBe(200);
    expect(security.keys!.hashesComputed - before).toBeLessThanOrEqual(1);
  });
});

describe('READ_ACCESS=key', () => {
  it('refuses a query without a key and answers one with any valid key', async () => {
    const anonymous = await send(keyed, { query: READ });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.errors?.[0]).toMatchObject({ message: expect.stringMatching(/READ_ACCESS=key/), extensions: { code: 'UNAUTHENTICATED' } });
    expect(anonymous.body.data ?? null).toBeNull();
    const reader = await send(keyed, { query: READ }, { key: keys.reader });
    expect(reader.body.errors).toBeUndefined();
    expect(reader.body.data.articles.totalCount).toBeGreaterThan(0);
  });

  it('refuses a subscription without a key', async () => {
    const subscription = await subscribe(
      (url, init) => keyed.fetch(url, init, from('127.0.0.1')),
      'http://localhost/graphql',
      'subscription { articleAdded { id } }',
    );
    try {
      const first = await subscription.next(5_000);
      expect(first.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED' });
      expect(first.data ?? null).toBeNull();
    } finally {
      await subscription.close();
    }
  });
});
