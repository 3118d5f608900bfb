import { isObjectType, parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../src/db/client.js';
import { ingestRaw } from '../../src/ingest/pipeline.js';
import { schema } from '../../src/schema/index.js';
import { DEFAULT_PAGE_SIZE } from '../../src/schema/pagination.js';
import { countNodes, DEFAULT_FIRST, DEFAULT_QUERY_LIMITS, LIMIT_CODES, type QueryLimits } from '../../src/security/limits.js';
import type { NewsGraphServer } from '../../src/server.js';
import { CountingLogger, createTestDb } from '../support/db.js';
import { execute, TEST_CONFIG, testServer, type GraphQLResponse } from '../support/graphql.js';
import { generatePages } from '../support/newsPages.js';

/** Nodes an operation asks for, by the server's own count. */
function nodesOf(query: string, variables?: Record<string, unknown>): number {
  const counted = countNodes(schema, parse(query), variables, undefined);
  if (!('nodes' in counted)) throw new Error(`not countable: ${JSON.stringify(counted)}`);
  return counted.nodes;
}

/** `related(first: 1) { article { … } }` nested `levels` times below one article: 3 + 2 × levels fields deep. */
function relatedChain(levels: number, leaf: string): string {
  let inner = leaf;
  for (let i = 0; i < levels; i += 1) inner = `related(first: 1) { article { ${inner} } }`;
  return `{ articles(first: 1) { edges { node { ${inner} } } } }`;
}

describe('node counting (GitHub-style: first multiplies down the tree)', () => {
  const cases: Array<[string, string, number, Record<string, unknown>?]> = [
    ['a single object costs nothing', '{ article(url: "x") { headline } }', 0],
    ['a connection counts its first', '{ articles(first: 7) { edges { node { id } } } }', 7],
    ['a connection without first counts the default page size', '{ articles { totalCount } }', DEFAULT_PAGE_SIZE],
    ['first from a variable', 'query Q($n: Int) { articles(first: $n) { totalCount } }', 42, { n: 42 }],
    ['a variable left out falls back to the default', 'query Q($n: Int) { articles(first: $n) { totalCount } }', DEFAULT_PAGE_SIZE, {}],
    [
      'nested connections multiply',
      '{ articles(first: 10) { edges { node { related(first: 5) { article { id } } } } } }',
      10 + 10 * 5,
    ],
    [
      'three levels',
      '{ people(first: 10) { edges { node { articles(first: 4) { edges { node { related(first: 3) { score } } } } } } } }',
      10 + 10 * (4 + 4 * 3),
    ],
    ['related without first counts its own default (5)', '{ articles(first: 2) { edges { node { related { score } } } } }', 2 + 2 * 5],
    ['storyline articles default to 100', '{ node(id: "x") { ... on Article { storyline { articles { id } } } } }', 100],
    ['trendingTopics defaults to 10 and multiplies its topics', '{ trendingTopics { topics { topic { articles(first: 2) { totalCount } } } } }', 10 + 10 * 2],
    ['nodes(ids:) counts one node per id', '{ nodes(ids: ["a", "b", "c"]) { id } }', 3],
    ['nodes(ids:) from a variable', 'query Q($ids: [ID!]!) { nodes(ids: $ids) { id } }', 5, { ids: ['a', 'b', 'c', 'd', 'e'] }],
    [
      'inline fragments on an interface: the costliest possible type counts',
      '{ nodes(ids: ["a", "b"]) { ... on Person { articles(first: 10) { totalCount } } ... on Article { related(first: 5) { score } } } }',
      2 + 2 * 10,
    ],
    [
      'named fragments count where they are spread',
      'query { articles(first: 3) { edges { node { ...R } } } } fragment R on Article { related(first: 4) { article { ...R2 } } } fragment R2 on Article { spokespeople { person { articles(first: 2) { totalCount } } } }',
      3 + 3 * (4 + 4 * 2),
    ],
    [
      'siblings add up',
      '{ a: articles(first: 10) { totalCount } b: people(first: 20) { totalCount } search(query: "x", first: 5) { facets { topics(first: 7) { count } } } }',
      10 + 20 + 5 * (1 + 7),
    ],
    ['@skip(if: true) branches do not count', '{ articles(first: 10) { totalCount } people(first: 90) @skip(if: true) { totalCount } }', 10],
  ];
  for (const [name, query, expected, variables] of cases) {
    it(name, () => {
      expect(nodesOf(query, variables)).toBe(expected);
    });
  }

  it('knows the default page size of every field that takes first (DEFAULT_FIRST matches the schema)', () => {
    let checked = 0;
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__')) continue;
      for (const field of Object.values(type.getFields())) {
        const first = field.args.find((a) => a.name === 'first');
        if (!first) continue;
        const stated = /(\d+) when omitted|default and maximum (\d+)/.exec(first.description ?? '');
        expect(stated, `${type.name}.${field.name}(first:) states its default`).not.toBeNull();
        const assumed = DEFAULT_FIRST[`${type.name}.${field.name}`] ?? DEFAULT_PAGE_SIZE;
        expect(assumed, `${type.name}.${field.name}`).toBe(Number(stated![1] ?? stated![2]));
        checked += 1;
      }
    }
    // articles, people, search, topics, trendingTopics, related, storyline articles, facets, nested connections…
    expect(checked).toBeGreaterThan(15);
  });

  it('gives up on a fragment bomb rather than expanding it', () => {
    const levels = 40;
    const fragments = Array.from({ length: levels }, (_, i) =>
      i === levels - 1 ? `fragment F${i} on Article { id }` : `fragment F${i} on Article { ...F${i + 1} ...F${i + 1} }`,
    );
    const counted = countNodes(schema, parse(`{ articles(first: 1) { edges { node { ...F0 } } } } ${fragments.join(' ')}`), {}, undefined);
    expect(counted).toEqual({ tooLarge: true });
  });
});

describe('query limits over HTTP', () => {
  const logger = new CountingLogger();
  let handle: DbHandle;
  let yoga: NewsGraphServer;
  let articleIds: string[];

  function server(limits: Partial<QueryLimits>): NewsGraphServer {
    return testServer(handle, { config: { ...TEST_CONFIG, queryLimits: { ...DEFAULT_QUERY_LIMITS, ...limits } } });
  }

  /** Runs one operation and the SQL it issued. */
  async function run(query: string, variables?: Record<string, unknown>, on: NewsGraphServer = yoga) {
    logger.reset();
    const result = await execute(on, query, variables);
    return { result, statements: logger.count };
  }

  function expectRejected(outcome: { result: GraphQLResponse; statements: number }, code: string) {
    expect(outcome.result.data ?? null).toBeNull();
    expect(outcome.result.errors?.map((e) => e.extensions?.code)).toContain(code);
    expect(JSON.stringify(outcome.result.errors)).not.toMatch(/\bat .*\.(ts|js):\d+/);
    expect(outcome.statements, 'SQL statements issued for a rejected operation').toBe(0);
  }

  function expectServed(outcome: { result: GraphQLResponse; statements: number }) {
    expect(outcome.result.errors).toBeUndefined();
    expect(outcome.result.data).toBeTruthy();
    expect(outcome.statements, 'an accepted twin reaches the database').toBeGreaterThan(0);
  }

  beforeAll(async () => {
    handle = await createTestDb({ logger });
    for (const page of generatePages(6)) {
      expect(await ingestRaw(handle.db, { raw: page.raw, url: page.url })).toMatchObject({ status: 'created' });
    }
    yoga = testServer(handle);
    const listed = await execute(yoga, '{ articles(first: 6) { edges { node { id } } } }');
    articleIds = listed.data.articles.edges.map((e: { node: { id: string } }) => e.node.id);
  }, 120_000);

  afterAll(async () => {
    await handle?.close();
  });

  it(`depth: ${DEFAULT_QUERY_LIMITS.maxDepth} levels run, one more is refused`, async () => {
    // articles > edges > node, then (related > article) × 3, then the leaf: 3 + 6 + 1 = 10 levels.
    expectServed(await run(relatedChain(3, 'headline')));
    expectRejected(await run(relatedChain(3, 'dateline { place }')), LIMIT_CODES.depth);
  });

  it('depth: fragments neither add a level nor hide one', async () => {
    const viaFragments = (leaf: string) =>
      `{ articles(first: 1) { edges { node { ...L1 } } } } fragment L1 on Article { related(first: 1) { article { ...L2 } } } ` +
      `fragment L2 on Article { related(first: 1) { article { ... on Article { related(first: 1) { article { ${leaf} } } } } } }`;
    expectServed(await run(viaFragments('headline')));
    const refused = await run(viaFragments('dateline { place }'));
    expectRejected(refused, LIMIT_CODES.depth);
    expect(refused.result.errors![0]!.message).toMatch(/depth limit of 10 exceeded, found 11/);
  });

  it(`aliases: ${DEFAULT_QUERY_LIMITS.maxAliases} run, one more is refused, also when hidden in a fragment`, async () => {
    const aliased = (n: number) => Array.from({ length: n }, (_, i) => `a${i}: articles(first: 1) { totalCount }`).join(' ');
    expectServed(await run(`{ ${aliased(15)} }`));
    expectRejected(await run(`{ ${aliased(16)} }`), LIMIT_CODES.aliases);
    expectRejected(await run(`{ ...Q } fragment Q on Query { ${aliased(16)} }`), LIMIT_CODES.aliases);
  });

  it(`tokens: a document of ${DEFAULT_QUERY_LIMITS.maxTokens} tokens runs, one more is refused before it is parsed`, async () => {
    // { nodes ( ids : [ …n ids… ] ) { id } } is 12 tokens plus one per id (commas are not tokens).
    const withIds = (n: number) => `{ nodes(ids: [${Array.from({ length: n }, (_, i) => JSON.stringify(articleIds[i % articleIds.length])).join(', ')}]) { id } }`;
    expectServed(await run(withIds(DEFAULT_QUERY_LIMITS.maxTokens - 12)));
    const refused = await run(withIds(DEFAULT_QUERY_LIMITS.maxTokens - 11));
    expectRejected(refused, LIMIT_CODES.tokens);
    expect(refused.result.errors![0]!.message).toBe('Token limit of 2000 exceeded.');
  });

  it(`directives: ${DEFAULT_QUERY_LIMITS.maxDirectives} run, one more is refused`, async () => {
    const directed = (n: number) => `{ articles(first: 1) { totalCount } ${'__typename @include(if: true) '.repeat(n)}}`;
    expectServed(await run(directed(50)));
    expectRejected(await run(directed(51)), LIMIT_CODES.directives);
  });

  it('nodes: refuses an operation over the limit and names the count; first in variables counts', async () => {
    const small = server({ maxNodes: 60 });
    const query = 'query Q($n: Int!) { articles(first: 10) { edges { node { related(first: $n) { article { id } } } } } }';
    expectServed(await run(query, { n: 5 }, small)); // 10 + 10 × 5 = 60
    const refused = await run(query, { n: 6 }, small); // 10 + 10 × 6 = 70
    expectRejected(refused, LIMIT_CODES.nodes);
    expect(refused.result.errors![0]!.extensions).toMatchObject({ code: LIMIT_CODES.nodes, nodes: 70, limit: 60 });
  });

  it('nodes: a document allowed once is counted again when a sizing variable or an @include changes', async () => {
    const small = server({ maxNodes: 60 });
    const query = `query Q($after: String, $deep: Boolean!) { articles(first: 10, after: $after) { edges { node {
      related(first: 5) { article { id } } more: related(first: 6) @include(if: $deep) { score } } } } }`;
    expectServed(await run(query, { deep: false }, small)); // 10 + 10 × 5 = 60
    expectServed(await run(query, { deep: false, after: null }, small));
    const refused = await run(query, { deep: true }, small); // 10 + 10 × (5 + 6) = 120
    expectRejected(refused, LIMIT_CODES.nodes);
    expect(refused.result.errors![0]!.extensions).toMatchObject({ nodes: 120, limit: 60 });
    expectRejected(await run(query, { deep: true }, small), LIMIT_CODES.nodes);
    expectServed(await run(query, { deep: false }, small));
  });

  it('nodes: the default limit refuses three nested pages of 100 but serves a realistic nested page', async () => {
    const huge = '{ articles(first: 100) { edges { node { related(first: 50) { article { related(first: 50) { score } } } } } } }';
    const refused = await run(huge);
    expectRejected(refused, LIMIT_CODES.nodes);
    expect(refused.result.errors![0]!.extensions).toMatchObject({ nodes: 100 + 100 * 50 * 51, limit: 50_000 });
    expectRejected(await run('{ articles(first: 1000000) { totalCount } }'), LIMIT_CODES.nodes);
    expectServed(await run('{ articles(first: 100) { edges { node { related(first: 50) { article { related(first: 5) { score } } } } } } }'));
  });

  it('nodes: a fragment bomb is refused without touching the database', async () => {
    const fragments = Array.from({ length: 40 }, (_, i) => (i === 39 ? `fragment F${i} on Article { id }` : `fragment F${i} on Article { ...F${i + 1} ...F${i + 1} }`));
    expectRejected(await run(`{ articles(first: 1) { edges { node { ...F0 } } } } ${fragments.join(' ')}`), LIMIT_CODES.nodes);
  });

  it('every limit is reported at once, each with its code', async () => {
    const outcome = await run(`{ ${Array.from({ length: 16 }, (_, i) => `a${i}: articles(first: 1) { totalCount }`).join(' ')} x: ${relatedChain(4, 'id').slice(2, -2)} }`);
    const codes = outcome.result.errors!.map((e) => e.extensions?.code);
    expect(codes).toEqual(expect.arrayContaining([LIMIT_CODES.aliases, LIMIT_CODES.depth]));
    expect(outcome.statements).toBe(0);
  });

  it('keeps serving after refusals', async () => {
    for (let i = 0; i < 5; i += 1) expectRejected(await run(relatedChain(5, 'id')), LIMIT_CODES.depth);
    expectServed(await run('{ articles(first: 2) { totalCount edges { node { headline } } } }'));
  });

  describe('introspection', () => {
    it('is on by default, and validation errors suggest field names', async () => {
      expectServedWithoutDb(await run('{ __schema { queryType { name } } }'));
      const typo = await run('{ articles { edgez { cursor } } }');
      expect(typo.result.errors![0]!.message).toMatch(/Did you mean "edges"\?/);
    });

    it('when off: __schema and __type are refused (aliased too), field names are never suggested, __typename still works', async () => {
      const closed = server({ introspection: false });
      expectRejected(await run('{ __schema { queryType { name } } }', undefined, closed), LIMIT_CODES.introspection);
      expectRejected(await run('{ t: __type(name: "Article") { fields { name } } }', undefined, closed), LIMIT_CODES.introspection);
      const typo = await run('{ articles { edgez { cursor } } }', undefined, closed);
      expect(typo.statements).toBe(0);
      expect(typo.result.errors![0]!.message).toBe('Cannot query field "edgez" on type "ArticleConnection".');
      // Every kind of suggestion graphql-js makes, from validation and from variable coercion at execution.
      const ingest = 'mutation M($i: IngestArticleInput!) { ingestArticle(input: $i) { status } }';
      const typos: Array<[string, Record<string, unknown> | undefined, RegExp]> = [
        ['{ articles(fist: 2) { totalCount } }', undefined, /Unknown argument "fist"/],
        ['{ trendingTopics(window: MONTHH) { days } }', undefined, /Value "MONTHH" does not exist in "TrendWindow" enum/],
        ['query Q($w: TrendWindow) { trendingTopics(window: $w) { days } }', { w: 'MONTHH' }, /does not exist in "TrendWindow" enum/],
        [ingest, { i: { raw: 'x', rwa: 'x' } }, /Field "rwa" is not defined by type "IngestArticleInput"/],
        ['{ nodes(ids: []) { headline } }', undefined, /Cannot query field "headline" on type "Node"/],
      ];
      for (const [query, variables, message] of typos) {
        const open = await run(query, variables);
        expect(open.result.errors!.map((e) => e.message).join(' '), query).toMatch(/Did you mean/);
        const hidden = await run(query, variables, closed);
        const text = hidden.result.errors!.map((e) => e.message).join(' ');
        expect(text, query).toMatch(message);
        expect(text, query).not.toMatch(/Did you mean|"MONTH"|"raw"|"first"|"Article"/);
        expect(hidden.statements).toBe(0);
      }
      expectServed(await run('{ __typename articles(first: 1) { totalCount } }', undefined, closed));
    });

    function expectServedWithoutDb(outcome: { result: GraphQLResponse }) {
      expect(outcome.result.errors).toBeUndefined();
      expect(outcome.result.data).toBeTruthy();
    }
  });
});
