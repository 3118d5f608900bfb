import { isEnumType, isInputObjectType, isInterfaceType, isObjectType, isScalarType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../src/db/client.js';
import { ingestRaw } from '../../src/ingest/pipeline.js';
import { schema } from '../../src/schema/index.js';
import type { NewsGraphServer } from '../../src/server.js';
import { createTestDb } from '../support/db.js';
import { execute, LOOPBACK, query, testServer } from '../support/graphql.js';
import { generatePage, generatePages } from '../support/newsPages.js';

const STORED = 14;

const INGEST = /* GraphQL */ `
  mutation Ingest($input: IngestArticleInput!) {
    ingestArticle(input: $input) {
      created
      status
      article { id headline url }
      userErrors { field message }
    }
  }
`;

const ARTICLE_FIELDS = /* GraphQL */ `
  fragment A on Article {
    id
    headline
    publishedAt
    topics { score topic { slug } }
    people { person { id name } }
  }
`;

type ArticleNode = {
  id: string;
  headline: string;
  publishedAt: string | null;
  topics: Array<{ score: number; topic: { slug: string } }>;
  people: Array<{ person: { id: string; name: string } }>;
};

describe('GraphQL API', () => {
  let handle: DbHandle;
  let yoga: NewsGraphServer;
  let all: ArticleNode[];

  async function articleCount(): Promise<number> {
    return (await query(yoga, '{ articles { totalCount } }')).articles.totalCount;
  }

  async function pageThrough(
    field: string,
    args: string,
    select: string,
    size: number,
    variables: Record<string, unknown> = {},
  ): Promise<{ nodes: any[]; totalCount: number; pages: number }> {
    const nodes: any[] = [];
    let after: string | null = null;
    let pages = 0;
    let totalCount = 0;
    const varDecls = Object.keys(variables).map((k) => `, $${k}: ${k === 'filter' ? 'ArticleFilter' : 'ID!'}`).join('');
    for (;;) {
      const data: any = await query(
        yoga,
        `query Page($after: String${varDecls}) { ${field}(first: ${size}, after: $after${args}) { totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { cursor node { ${select} } } } } ${select.includes('...A') ? ARTICLE_FIELDS : ''}`,
        { after, ...variables },
      );
      const conn = data[field];
      pages += 1;
      totalCount = conn.totalCount;
      expect(conn.pageInfo.hasPreviousPage).toBe(after !== null);
      expect(conn.edges.length).toBeLessThanOrEqual(size);
      nodes.push(...conn.edges.map((e: { node: unknown }) => e.node));
      if (!conn.pageInfo.hasNextPage) break;
      expect(conn.pageInfo.endCursor).toBe(conn.edges.at(-1).cursor);
      after = conn.pageInfo.endCursor;
      if (pages > 100) throw new Error('pagination does not end');
    }
    return { nodes, totalCount, pages };
  }

  beforeAll(async () => {
    handle = await createTestDb();
    yoga = testServer(handle);
    for (const page of generatePages(STORED)) {
      const outcome = await ingestRaw(handle.db, { raw: page.raw, url: page.url });
      expect(outcome).toMatchObject({ status: 'created' });
    }
    all = (await pageThrough('articles', '', '...A', 100)).nodes;
  }, 120_000);

  afterAll(async () => {
    await handle?.close();
  });

  describe('ingestArticle', () => {
    it('creates an article, then reports the same page as unchanged', async () => {
      const page = generatePage(STORED + 1);
      const before = await articleCount();
      const first = await query(yoga, INGEST, { input: { raw: page.raw, url: page.url } });
      expect(first.ingestArticle).toMatchObject({ created: true, status: 'CREATED', userErrors: [] });
      expect(first.ingestArticle.article).toMatchObject({ headline: page.headline, url: page.url });
      expect(await articleCount()).toBe(before + 1);

      const again = await query(yoga, INGEST, { input: { raw: page.raw, url: page.url } });
      expect(again.ingestArticle).toMatchObject({ created: false, status: 'UNCHANGED', userErrors: [] });
      expect(again.ingestArticle.article.id).toBe(first.ingestArticle.article.id);
      expect(await articleCount()).toBe(before + 1);
    });

    const bad: Array<[string, () => Record<string, unknown>, RegExp]> = [
      ['empty text', () => ({ raw: '' }), /empty/i],
      ['whitespace only', () => ({ raw: '  \n\n\t ' }), /empty/i],
      ['binary junk', () => ({ raw: '\u0000\u0001\u0002\u0003PK\u0003\u0004\u0000\u0000binary\u0007\u0008'.repeat(50) }), /binary/i],
      // Over the page limit (2 MB) but within the ingest body limit (5 MB); larger bodies get 413 (test/security).
      ['a 3 MB page', () => ({ raw: 'a'.repeat(3 * 1024 * 1024) }), /raw is 3145728 bytes; the limit is 2097152/],
      [
        'a page with no recognizable headline',
        () => ({
          raw:
            'this is a run of prose with no headline line at all, it keeps going with more words than any headline would ever have, on and on,\n' +
            'and a second line follows straight after it, with no blank line and no timestamp anywhere on the page.\n',
        }),
        /headline/i,
      ],
      ['a url that is not http(s)', () => ({ raw: generatePage(90).raw, url: 'javascript:alert(1)' }), /url/i],
    ];
    for (const [name, input, message] of bad) {
      it(`refuses ${name} with a userError and writes nothing`, async () => {
        const before = await articleCount();
        const result = await execute(yoga, INGEST, { input: input() });
        expect(result.errors).toBeUndefined();
        const payload = result.data.ingestArticle;
        expect(payload).toMatchObject({ created: false, status: 'FAILED', article: null });
        expect(payload.userErrors).toHaveLength(1);
        expect(payload.userErrors[0].message).toMatch(message);
        expect(payload.userErrors[0].field[0]).toBe('input');
        expect(await articleCount()).toBe(before);
      });
    }

    it('keeps answering after refusing bad input', async () => {
      await execute(yoga, INGEST, { input: { raw: '\u0000'.repeat(1000) } });
      expect(await articleCount()).toBeGreaterThanOrEqual(STORED);
    });

    it('masks unexpected failures: no message, no stack trace', async () => {
      const failing = testServer(handle, {
        ingest: async () => {
          throw new Error('connection to secret-db.internal:5432 refused');
        },
      });
      const response = await failing.fetch('http://localhost/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: INGEST, variables: { input: { raw: generatePage(91).raw } } }),
      }, LOOPBACK);
      const text = await response.text();
      expect(text).not.toMatch(/secret-db|at .*\.ts:\d+|stack/i);
      expect(JSON.parse(text).errors[0].message).toBe('Unexpected error.');
    });
  });

  describe('nodes', () => {
    it('refetches every kind of node by its global ID', async () => {
      const data = await query(
        yoga,
        `{ articles(first: 1) { edges { node { id quotes { id speaker { id } } topics { topic { id } } events { id } source { id } } } } }`,
      );
      const a = data.articles.edges[0].node;
      const ids: string[] = [a.id, a.quotes[0].id, a.quotes[0].speaker.id, a.topics[0].topic.id];
      if (a.events[0]) ids.push(a.events[0].id);
      for (const id of ids) {
        const { node } = await query(yoga, 'query($id: ID!) { node(id: $id) { __typename id } }', { id });
        expect(node.id).toBe(id);
      }
      const missing = Buffer.from('Article:999999').toString('base64');
      const { nodes } = await query(yoga, 'query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }', {
        ids: [ids[1], missing, ids[0]],
      });
      expect(nodes.map((n: { id: string } | null) => n?.id ?? null)).toEqual([ids[1], null, ids[0]]);
      expect(nodes[0].__typename).toBe('Quote');
      expect(nodes[2].__typename).toBe('Article');
    });

    it('rejects an ID this API did not issue', async () => {
      const result = await execute(yoga, '{ node(id: "not-an-id") { id } }');
      expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(result.errors?.[0]?.message).toMatch(/not an ID/);
    });
  });

  describe('articles', () => {
    it('finds an article by url and by id', async () => {
      const page = generatePage(3);
      const { article } = await query(yoga, 'query($url: String) { article(url: $url) { id headline } }', { url: page.url });
      expect(article.headline).toBe(page.headline);
      const byId = await query(yoga, 'query($id: ID) { article(id: $id) { headline } }', { id: article.id });
      expect(byId.article.headline).toBe(page.headline);
      const none = await query(yoga, '{ article(url: "https://nowhere.example/x") { id } }');
      expect(none.article).toBeNull();
    });

    it('links page links to the stories they name once those are stored', async () => {
      const page = generatePage(0);
      const data = await query(
        yoga,
        'query($url: String) { article(url: $url) { pageLinks { list position headline article { id headline } } } }',
        { url: page.url },
      );
      const recommended = data.article.pageLinks.filter((l: { list: string }) => l.list === 'We Recommend');
      expect(recommended.map((l: { position: number }) => l.position)).toEqual([1, 2, 3]);
      for (const [i, link] of recommended.entries()) {
        expect(link.headline).toBe(generatePage(i + 1).headline);
        expect(link.article?.headline).toBe(generatePage(i + 1).headline);
      }
      const popular = data.article.pageLinks.filter((l: { list: string }) => l.list === 'Most Popular');
      expect(popular.map((l: { article: unknown }) => l.article !== null)).toEqual([true, true]);
      const last = await query(yoga, 'query($url: String) { article(url: $url) { pageLinks { headline article { id } } } }', {
        url: generatePage(STORED - 1).url,
      });
      // The page after the last stored one is not in the graph.
      const unstored = last.article.pageLinks.find((l: { headline: string }) => l.headline === generatePage(STORED).headline);
      expect(unstored).toMatchObject({ article: null });
    });

    it('pages newest first with after cursors, without gaps or repeats', async () => {
      const { nodes, totalCount, pages } = await pageThrough('articles', '', 'id publishedAt', 4);
      expect(pages).toBeGreaterThan(3);
      expect(nodes).toHaveLength(totalCount);
      expect(new Set(nodes.map((n) => n.id)).size).toBe(totalCount);
      const times = nodes.map((n) => n.publishedAt).filter((t): t is string => t !== null);
      expect(times).toEqual([...times].sort().reverse());
      // A page of 20 is the default.
      const first = await query(yoga, '{ articles { edges { node { id } } } }');
      expect(first.articles.edges.length).toBe(Math.min(20, totalCount));
    });

    it('filters by topic', async () => {
      const slug = all.flatMap((a) => a.topics.map((t) => t.topic.slug))[0]!;
      expect(slug).toBeTruthy();
      const expected = all.filter((a) => a.topics.some((t) => t.topic.slug === slug)).map((a) => a.id);
      const { nodes, totalCount } = await pageThrough('articles', ', filter: $filter', '...A', 3, { filter: { topic: slug } });
      expect(nodes.map((n) => n.id)).toEqual(expected);
      expect(totalCount).toBe(expected.length);

      const unknown = await execute(yoga, '{ articles(filter: { topic: "no-such-topic" }) { totalCount } }');
      expect(unknown.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    });

    it('filters by person', async () => {
      const person = all[0]!.people[0]!.person;
      const expected = all.filter((a) => a.people.some((p) => p.person.id === person.id)).map((a) => a.id);
      const data = await query(yoga, `query($id: ID) { articles(first: 100, filter: { person: $id }) { totalCount edges { node { id } } } }`, {
        id: person.id,
      });
      expect(data.articles.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual(expected);
      expect(data.articles.totalCount).toBe(expected.length);
      expect(expected.length).toBeGreaterThan(1);
    });

    it('filters by publication time, from inclusive and to exclusive', async () => {
      const times = all.map((a) => a.publishedAt).filter((t): t is string => t !== null).sort();
      const from = times[2]!;
      const to = times[times.length - 3]!;
      const expected = all.filter((a) => a.publishedAt !== null && a.publishedAt >= from && a.publishedAt < to).map((a) => a.id);
      const data = await query(
        yoga,
        `query($from: DateTime, $to: DateTime) { articles(first: 100, filter: { from: $from, to: $to }) { totalCount edges { node { id } } } }`,
        { from, to },
      );
      expect(data.articles.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual(expected);
      expect(expected.length).toBeGreaterThan(0);
      expect(expected.length).toBeLessThan(all.length);

      const bad = await execute(yoga, '{ articles(filter: { from: "last tuesday" }) { totalCount } }');
      expect(bad.errors?.[0]?.message).toMatch(/ISO-8601/);
    });

    it('caps first at 100 and refuses negative sizes, with a clear error code', async () => {
      for (const [first, message] of [
        [101, /101.*limit of 100/],
        [-1, /negative/],
      ] as const) {
        const result = await execute(yoga, `{ articles(first: ${first}) { totalCount } }`);
        expect(result.errors?.[0]?.message).toMatch(message);
        expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      }
      const nested = await execute(yoga, '{ topics(first: 1) { edges { node { articles(first: 500) { totalCount } } } } }');
      expect(nested.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      const cursor = await execute(yoga, '{ articles(after: "bm9wZQ") { totalCount } }');
      expect(cursor.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    });
  });

  describe('people and topics', () => {
    it('pages through a person\'s quotes and articles', async () => {
      const name = generatePage(0).speaker.name;
      const { person } = await query(yoga, 'query($name: String) { person(name: $name) { id name roles { title organization } } }', {
        name: name.toUpperCase(),
      });
      expect(person.name).toBe(name);
      expect(person.roles.length).toBeGreaterThan(0);

      const collect = async (field: 'quotes' | 'articles', select: string) => {
        const seen: any[] = [];
        let after: string | null = null;
        let totalCount = 0;
        for (;;) {
          const data: any = await query(
            yoga,
            `query($id: ID!, $after: String) { node(id: $id) { ... on Person { ${field}(first: 2, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { ${select} } } } } } }`,
            { id: person.id, after },
          );
          const conn = data.node[field];
          totalCount = conn.totalCount;
          seen.push(...conn.edges.map((e: { node: unknown }) => e.node));
          if (!conn.pageInfo.hasNextPage) break;
          after = conn.pageInfo.endCursor;
        }
        return { seen, totalCount };
      };
      const q = await collect('quotes', 'id text speaker { id } article { id }');
      expect(q.seen.length).toBe(q.totalCount);
      expect(q.totalCount).toBeGreaterThan(2);
      expect(new Set(q.seen.map((x) => x.id)).size).toBe(q.totalCount);
      expect(q.seen.every((x) => x.speaker.id === person.id)).toBe(true);

      const a = await collect('articles', 'id');
      expect(a.seen.length).toBe(a.totalCount);
      const expected = all.filter((x) => x.people.some((p) => p.person.id === person.id)).map((x) => x.id);
      expect(a.seen.map((x) => x.id)).toEqual(expected);
    });

    it('lists people with filters', async () => {
      const { nodes, totalCount } = await pageThrough('people', '', 'id name', 3);
      expect(nodes.length).toBe(totalCount);
      const names = nodes.map((n) => n.name);
      expect(names).toEqual([...names].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)));
      const hong = await query(yoga, '{ people(filter: { name: "ONG L" }) { edges { node { name } } } }');
      expect(hong.people.edges.map((e: { node: { name: string } }) => e.node.name)).toContain('Hong Lei');
    });

    it('serves a topic with its articles', async () => {
      const slug = all[0]!.topics[0]!.topic.slug;
      const data = await query(
        yoga,
        'query($slug: String!) { topic(slug: $slug) { slug name parent { slug } children { slug } articles(first: 100) { totalCount edges { node { id } } } } }',
        { slug },
      );
      const expected = all.filter((a) => a.topics.some((t) => t.topic.slug === slug)).map((a) => a.id);
      expect(data.topic.articles.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual(expected);
      expect(data.topic.articles.totalCount).toBe(expected.length);
      const topics = await pageThrough('topics', '', 'slug', 10);
      expect(topics.nodes.length).toBe(topics.totalCount);
      expect(topics.nodes.map((t) => t.slug)).toContain(slug);
      expect((await query(yoga, '{ topic(slug: "no-such-topic") { slug } }')).topic).toBeNull();
    });
  });

  describe('HTTP', () => {
    it('serves GraphiQL to browsers without any CDN', async () => {
      const response = await yoga.fetch('http://localhost/graphql', { headers: { accept: 'text/html' } });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/text\/html/);
      const html = await response.text();
      expect(html).toMatch(/<html/i);
      expect(html).not.toMatch(/unpkg|jsdelivr|cdnjs|esm\.sh/i);
      expect(html).not.toMatch(/<script[^>]+src=["']https?:/i);
      expect(html).toContain('spokespeople');
    });

    it('answers /healthz and /readyz', async () => {
      const health = await yoga.fetch('http://localhost/healthz');
      expect(health.status).toBe(200);
      const ready = await yoga.fetch('http://localhost/readyz');
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ status: 'ready', databases: { primary: 'up' } });
      const home = await yoga.fetch('http://localhost/', { redirect: 'manual' });
      expect(home.status).toBe(302);
      expect(home.headers.get('location')).toBe('/graphql');
    });

    it('refuses batched requests', async () => {
      const response = await yoga.fetch('http://localhost/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]),
      });
      expect(response.status).toBeGreaterThanOrEqual(400);
    });
  });

  it('describes every type, field, argument and enum value', () => {
    const missing: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__') || (isScalarType(type) && ['String', 'Int', 'Float', 'Boolean', 'ID'].includes(type.name))) continue;
      if (!type.description) missing.push(type.name);
      if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
        for (const field of Object.values(type.getFields())) {
          if (!field.description) missing.push(`${type.name}.${field.name}`);
          for (const arg of 'args' in field ? field.args : []) {
            if (!arg.description) missing.push(`${type.name}.${field.name}(${arg.name})`);
          }
        }
      }
      if (isEnumType(type)) {
        for (const value of type.getValues()) if (!value.description) missing.push(`${type.name}.${value.name}`);
      }
    }
    // Defined by the Apollo Federation subgraph spec (@apollo/subgraph), not by this API: a gateway reads them.
    const federationSpec = new Set(['_Any', '_Entity', '_Service', 'Query._entities', 'Query._entities(representations)', 'Query._service']);
    expect(missing.filter((name) => !federationSpec.has(name))).toEqual([]);
  });
});
