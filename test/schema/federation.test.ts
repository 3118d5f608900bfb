import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../src/db/client.js';
import { ingestRaw } from '../../src/ingest/pipeline.js';
import type { NewsGraphServer } from '../../src/server.js';
import { CountingLogger, createTestDb } from '../support/db.js';
import { execute, query, TEST_CONFIG, testServer } from '../support/graphql.js';
import { generatePages } from '../support/newsPages.js';

const ENTITY_TYPES = ['Article', 'Person', 'Topic', 'Quote', 'Storyline'] as const;

/** A well-formed global ID that no stored row has. */
const globalId = (typename: string, id: number) => Buffer.from(`${typename}:${id}`, 'utf8').toString('base64');

const ENTITIES = /* GraphQL */ `
  query Entities($representations: [_Any!]!) {
    _entities(representations: $representations) {
      __typename
      ... on Article { id headline }
      ... on Person { id name }
      ... on Topic { id slug }
      ... on Quote { id text }
    }
  }
`;

describe('Apollo Federation v2 subgraph', () => {
  const logger = new CountingLogger();
  let handle: DbHandle;
  let yoga: NewsGraphServer;
  let articles: Array<{ id: string; headline: string }>;
  let people: Array<{ id: string; name: string }>;
  let topics: Array<{ id: string; slug: string }>;
  let quotes: Array<{ id: string; text: string }>;

  beforeAll(async () => {
    handle = await createTestDb({ logger });
    for (const page of generatePages(6)) {
      const outcome = await ingestRaw(handle.db, { raw: page.raw, url: page.url });
      expect(outcome, `page ${page.index}`).toMatchObject({ status: 'created' });
    }
    yoga = testServer(handle);
    const data = await query(
      yoga,
      `{
        articles(first: 6) { edges { node { id headline quotes { id text } topics { topic { id slug } } } } }
        people(first: 10) { edges { node { id name } } }
      }`,
    );
    type ArticleNode = { id: string; headline: string; quotes: Array<{ id: string; text: string }>; topics: Array<{ topic: { id: string; slug: string } }> };
    const nodes: ArticleNode[] = data.articles.edges.map((e: { node: ArticleNode }) => e.node);
    articles = nodes.map(({ id, headline }) => ({ id, headline }));
    quotes = nodes.flatMap((n) => n.quotes);
    topics = [...new Map(nodes.flatMap((n) => n.topics.map((t) => [t.topic.id, t.topic] as const))).values()];
    people = data.people.edges.map((e: { node: { id: string; name: string } }) => e.node);
    expect(articles.length).toBe(6);
    expect(people.length).toBeGreaterThanOrEqual(3);
    expect(topics.length).toBeGreaterThanOrEqual(2);
    expect(quotes.length).toBeGreaterThanOrEqual(2);
  }, 120_000);

  afterAll(async () => {
    await handle?.close();
  });

  it('publishes its SDL with @link to federation v2 and @key(fields: "id") on every entity', async () => {
    const data = await query(yoga, '{ _service { sdl } }');
    const sdl: string = data._service.sdl;
    expect(sdl.replace(/\s+/g, ' ')).toContain('extend schema @link(url: "https://specs.apollo.dev/federation/v2');
    for (const type of ENTITY_TYPES) {
      expect(sdl, type).toMatch(new RegExp(`type ${type} implements Node\\s+@key\\(fields: "id"\\)`));
    }
    // Only entities carry a key.
    expect(sdl.match(/@key\(/g)?.length).toBe(ENTITY_TYPES.length);
  });

  it('resolves Articles and Persons in the order given, null for unknown IDs, in one statement per type', async () => {
    const [a0, a1, a2, a3, a4] = articles;
    const [p0, p1, p2] = people;
    const representations = [
      { __typename: 'Article', id: a3!.id },
      { __typename: 'Person', id: p2!.id },
      { __typename: 'Article', id: a0!.id },
      { __typename: 'Article', id: globalId('Article', 999_999) },
      { __typename: 'Person', id: p0!.id },
      { __typename: 'Article', id: a4!.id },
      { __typename: 'Person', id: globalId('Person', 999_999) },
      { __typename: 'Article', id: a1!.id },
      { __typename: 'Person', id: p1!.id },
      { __typename: 'Article', id: a2!.id },
      // A Person's ID offered as an Article is no Article.
      { __typename: 'Article', id: p0!.id },
    ];

    logger.reset();
    const data = await query(yoga, ENTITIES, { representations });

    expect(data._entities).toEqual([
      { __typename: 'Article', ...a3 },
      { __typename: 'Person', ...p2 },
      { __typename: 'Article', ...a0 },
      null,
      { __typename: 'Person', ...p0 },
      { __typename: 'Article', ...a4 },
      null,
      { __typename: 'Article', ...a1 },
      { __typename: 'Person', ...p1 },
      { __typename: 'Article', ...a2 },
      null,
    ]);
    expect(logger.count, logger.statements.join('\n')).toBe(2);
    expect(logger.statements.filter((s) => /from "articles"/i.test(s))).toHaveLength(1);
    expect(logger.statements.filter((s) => /from "people"/i.test(s))).toHaveLength(1);
  });

  it('resolves Topics and Quotes through their loaders too: four types, four statements', async () => {
    const representations = [
      { __typename: 'Quote', id: quotes[1]!.id },
      { __typename: 'Topic', id: topics[0]!.id },
      { __typename: 'Article', id: articles[5]!.id },
      { __typename: 'Quote', id: quotes[0]!.id },
      { __typename: 'Person', id: people[0]!.id },
      { __typename: 'Topic', id: topics[1]!.id },
      { __typename: 'Topic', id: globalId('Topic', 999_999) },
    ];

    logger.reset();
    const data = await query(yoga, ENTITIES, { representations });

    expect(data._entities).toEqual([
      { __typename: 'Quote', ...quotes[1] },
      { __typename: 'Topic', ...topics[0] },
      { __typename: 'Article', ...articles[5] },
      { __typename: 'Quote', ...quotes[0] },
      { __typename: 'Person', ...people[0] },
      { __typename: 'Topic', ...topics[1] },
      null,
    ]);
    expect(logger.count, logger.statements.join('\n')).toBe(4);
  });

  it('refuses a representation ID this API never issued, like node(id:), without failing the others', async () => {
    const representations = [
      { __typename: 'Article', id: articles[0]!.id },
      { __typename: 'Article', id: 'not-an-id' },
    ];
    const result = await execute(yoga, ENTITIES, { representations });
    expect(result.data?._entities).toEqual([{ __typename: 'Article', ...articles[0] }, null]);
    expect(result.errors).toHaveLength(1);
    expect(result.errors?.[0]).toMatchObject({ path: ['_entities', 1], extensions: { code: 'BAD_USER_INPUT' } });
  });

  it('with GRAPHQL_JIT on, answers _entities exactly as graphql-js does (a refused representation stays null in its place) and ordinary queries alike', async () => {
    const jit = testServer(handle, { config: { ...TEST_CONFIG, graphqlJit: true } });
    const representations = [
      { __typename: 'Article', id: 'not-an-id' },
      { __typename: 'Article', id: articles[0]!.id },
    ];
    const compiled = await execute(jit, ENTITIES, { representations });
    expect(compiled.data?._entities).toEqual([null, { __typename: 'Article', ...articles[0] }]);
    expect(compiled).toEqual(await execute(yoga, ENTITIES, { representations }));
    const page = '{ articles(first: 3) { totalCount edges { node { id headline topics { score topic { slug } } related { score article { id } } } } } }';
    expect(await query(jit, page)).toEqual(await query(yoga, page));
  });

  it('still serves node, nodes and connections to ordinary clients', async () => {
    const data = await query(
      yoga,
      `query ($id: ID!, $ids: [ID!]!) {
        node(id: $id) { id ... on Article { headline } }
        nodes(ids: $ids) { id }
        articles(first: 2) { totalCount edges { node { id } } }
      }`,
      { id: articles[0]!.id, ids: [people[0]!.id, articles[1]!.id] },
    );
    expect(data.node).toEqual(articles[0]);
    expect(data.nodes).toEqual([{ id: people[0]!.id }, { id: articles[1]!.id }]);
    expect(data.articles.totalCount).toBe(6);
  });
});
