import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../src/db/client.js';
import { ingestRaw } from '../../src/ingest/pipeline.js';
import { CountingLogger, createTestDb } from '../support/db.js';
import { query, testServer } from '../support/graphql.js';
import { generatePages } from '../support/newsPages.js';

const ARTICLES = 64;

// articles → topics, spokespeople → person (with nested connections), quotes, related → article.
// Each level is one statement per loader whatever the page size. Fields that would only hit rows already
// cached by another branch (e.g. related articles' topics when the related story is also on the page) are
// left out: a cache hit can save a statement, so their count would depend on the data, not on the query.
const NESTED = /* GraphQL */ `
  query Nested($first: Int!) {
    articles(first: $first) {
      totalCount
      edges {
        node {
          id
          headline
          topics { score topic { slug name parent { slug } } }
          spokespeople {
            role
            person {
              id
              name
              roles { title organization }
              quotes(first: 2) { totalCount edges { node { text } } }
              articles(first: 2) { totalCount edges { node { headline } } }
            }
            quotes { text kind start end }
          }
          quotes { text speaker { name } }
          events { name }
          pageLinks { list headline article { id headline } }
          related(first: 3) { score reasons { kind label weight } article { id headline publishedAt } }
        }
      }
    }
  }
`;

describe('batching', () => {
  const logger = new CountingLogger();
  let handle: DbHandle;

  beforeAll(async () => {
    handle = await createTestDb({ logger });
    for (const page of generatePages(ARTICLES)) {
      const outcome = await ingestRaw(handle.db, { raw: page.raw, url: page.url });
      expect(outcome, `page ${page.index}`).toMatchObject({ status: 'created' });
    }
  }, 180_000);

  afterAll(async () => {
    await handle?.close();
  });

  async function run(first: number) {
    const yoga = testServer(handle);
    logger.reset();
    const data = await query(yoga, NESTED, { first });
    return { data, statements: logger.count, sql: [...logger.statements] };
  }

  it('runs the same number of SQL statements for 5 and for 50 articles', async () => {
    const small = await run(5);
    const large = await run(50);

    expect(small.data.articles.totalCount).toBe(ARTICLES);
    expect(small.data.articles.edges).toHaveLength(5);
    expect(large.data.articles.edges).toHaveLength(50);

    type Node = { spokespeople: unknown[]; quotes: unknown[]; topics: unknown[]; related: unknown[] };
    const nodes = (r: typeof small) => r.data.articles.edges.map((e: { node: Node }) => e.node) as Node[];
    const total = (r: typeof small, f: (n: Node) => unknown[]) => nodes(r).reduce((sum, n) => sum + f(n).length, 0);
    // The larger page really resolves more rows at every level.
    for (const field of ['spokespeople', 'quotes', 'topics', 'related'] as const) {
      expect(total(large, (n) => n[field]), field).toBeGreaterThan(total(small, (n) => n[field]));
    }
    expect(nodes(large).every((n) => n.spokespeople.length > 0)).toBe(true);

    expect(small.statements).toBeGreaterThan(0);
    expect(large.statements, `5 articles:\n${small.sql.join('\n')}\n\n50 articles:\n${large.sql.join('\n')}`).toBe(
      small.statements,
    );
  });

  it('resolves every relation with one statement per level', async () => {
    const { statements, sql } = await run(50);
    // The articles page, which brings each article's topics (with their parents), people, quotes (with their
    // speakers) and related stories (with the related articles) in the same statement; its count; then one per
    // remaining relation: events, page links, linked articles, roles, person.quotes and its count,
    // person.articles and its count. Nothing per row.
    expect(statements, sql.join('\n')).toBe(10);
  });

  const PAGE = /* GraphQL */ `
    query Page($first: Int!) {
      articles(first: $first) {
        edges { node { id headline topics { score topic { slug } } spokespeople { role person { name } } related { score article { id } } } }
      }
    }
  `;

  it('answers the front page with one statement whose text is the same for 5 and for 50 articles, so it is built and prepared once', async () => {
    const yoga = testServer(handle);
    logger.reset();
    await query(yoga, PAGE, { first: 5 });
    const small = [...logger.statements];
    logger.reset();
    await query(yoga, PAGE, { first: 50 });
    expect(small).toHaveLength(1);
    expect(logger.statements.sort()).toEqual(small.sort());
  });

  it('reads article text only when body or paragraphs is selected, with one statement for the whole page', async () => {
    const yoga = testServer(handle);
    logger.reset();
    await query(yoga, `{ articles(first: 20) { edges { node { id headline } } } }`);
    expect(logger.statements.join('\n')).not.toMatch(/"body"|"paragraphs"/);
    const light = logger.count;

    logger.reset();
    const data = await query(yoga, `{ articles(first: 20) { edges { node { id headline body paragraphs } } } }`);
    expect(logger.count).toBe(light + 1);
    const nodes = data.articles.edges.map((e: { node: { body: string; paragraphs: string[] } }) => e.node);
    expect(nodes).toHaveLength(20);
    for (const n of nodes) {
      expect(n.paragraphs.length).toBeGreaterThan(0);
      expect(n.body).toBe(n.paragraphs.join('\n\n'));
    }
  });
});
