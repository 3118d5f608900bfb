import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../src/db/client.js';
import { ingestRaw } from '../../src/ingest/pipeline.js';
import { loadSampleIfEmpty } from '../../src/ingest/sample.js';
import { createRegistry } from '../../src/observability/index.js';
import { DEFAULT_QUERY } from '../../src/server.js';
import { createTestDb } from '../support/db.js';
import { execute, query, TEST_CONFIG, testServer } from '../support/graphql.js';
import { generatePages } from '../support/newsPages.js';

/** Successful reads and failing ones, each with the variables it is sent with. */
const OPERATIONS: Array<[string, string, Record<string, unknown>?]> = [
  ['the GraphiQL default query', DEFAULT_QUERY],
  [
    'a page with nested connections',
    `query P($n: Int!) { articles(first: $n) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node {
      id headline publishedAt dateline { place date agency } source { name }
      topics { score topic { slug name parent { slug } } }
      spokespeople { role roleTitle person { id name roles { title organization } quotes(first: 2) { totalCount edges { node { text } } } } quotes { text kind } }
      related(first: 3) { score reasons { kind label weight } article { id headline } } } } } }`,
    { n: 7 },
  ],
  ['a search with a node lookup', `{ search(query: "ministry", first: 3) { totalCount edges { rank node { id headline } } } node(id: "QXJ0aWNsZToy") { id ... on Article { headline } } }`],
  ['an ID this API never issued', `{ article(id: "bm9wZQ==") { id } }`],
  ['a size above the limit, with an alias and a fragment', `{ articles(first: 3) { edges { node { ...R } } } } fragment R on Article { far: related(first: 500) { score } }`],
  ['a variable of the wrong type', `query P($n: Int!) { articles(first: $n) { totalCount } }`, { n: 'many' }],
  ['a missing required variable', `query P($id: ID!) { article(id: $id) { id } }`, {}],
  ['a null inside a non-null list', `{ articles(first: 2) { edges { node { id topics { topic { slug } } } } } article(id: "QXJ0aWNsZTo5OTk5OTk=") { id } }`],
];

describe('compiled execution (GRAPHQL_JIT)', () => {
  let handle: DbHandle;

  beforeAll(async () => {
    handle = await createTestDb();
    await loadSampleIfEmpty(handle.db);
    for (const page of generatePages(12)) await ingestRaw(handle.db, { raw: page.raw, url: page.url });
  }, 120_000);

  afterAll(async () => {
    await handle?.close();
  });

  async function executions(registry: ReturnType<typeof createRegistry>) {
    const metric = await registry.getSingleMetric('news_graph_executions_total')!.get();
    return Object.fromEntries(metric.values.map((v) => [v.labels['executor'], v.value]));
  }

  it.each(OPERATIONS)('answers %s exactly as graphql-js does', async (_name, text, variables) => {
    const compiled = testServer(handle);
    const reference = testServer(handle, { config: { ...TEST_CONFIG, graphqlJit: false } });
    const [a, b] = [await execute(compiled, text, variables), await execute(reference, text, variables)];
    expect(a).toEqual(b);
    if (a.errors) expect(a.errors.every((e) => e.locations !== undefined || e.extensions?.['code'] === 'BAD_USER_INPUT')).toBe(true);
  });

  it('runs a successful query compiled, and an answer with errors again on graphql-js', async () => {
    const registry = createRegistry();
    const yoga = testServer(handle, { registry });
    await query(yoga, `{ articles(first: 2) { edges { node { headline } } } }`);
    expect(await executions(registry)).toEqual({ compiled: 1 });
    const failed = await execute(yoga, `{ article(id: "bm9wZQ==") { id } }`);
    expect(failed.errors?.[0]?.locations).toEqual([{ line: 1, column: 3 }]);
    expect(await executions(registry)).toEqual({ compiled: 1, fallback: 1 });
  });

  it('never compiles mutations, federation entity lookups, or anything when turned off', async () => {
    const registry = createRegistry();
    const yoga = testServer(handle, { registry });
    const refused = await query(yoga, `mutation { ingestArticle(input: { raw: "" }) { status userErrors { message } } }`);
    expect(refused.ingestArticle.status).toBe('FAILED');
    await query(yoga, `query E($r: [_Any!]!) { _entities(representations: $r) { ... on Article { headline } } }`, {
      r: [{ __typename: 'Article', id: 'QXJ0aWNsZToy' }],
    });
    expect(await executions(registry)).toEqual({ reference: 2 });

    const off = createRegistry();
    await query(testServer(handle, { registry: off, config: { ...TEST_CONFIG, graphqlJit: false } }), `{ articles(first: 1) { totalCount } }`);
    expect(await executions(off)).toEqual({ reference: 1 });
  });
});
