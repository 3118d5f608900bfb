import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../src/db/client.js';
import { ingestRaw } from '../../src/ingest/pipeline.js';
import { loadSampleIfEmpty } from '../../src/ingest/sample.js';
import { createLoaders, type Loaders } from '../../src/loaders/index.js';
import { findArticle, listArticles } from '../../src/loaders/lists.js';
import type { ArticleParts } from '../../src/loaders/parts.js';
import { CountingLogger, createTestDb } from '../support/db.js';
import { execute, query, testServer } from '../support/graphql.js';
import { generatePages } from '../support/newsPages.js';

const ALL: ArticleParts = { topics: true, topicParents: true, people: true, quotes: true, related: 5 };

/** Everything the loaders hold for one article's lists, with the rows the lists point at. */
async function listsOf(loaders: Loaders, id: number, first: number) {
  const topics = await loaders.topicsByArticleId.load(id);
  const people = await loaders.peopleByArticleId.load(id);
  const quotes = await loaders.quotesByArticleId.load(id);
  const related = await loaders.relatedByArticleId.load({ articleId: id, first });
  return {
    article: await loaders.articleById.load(id),
    topics,
    topicRows: await Promise.all(topics.map((t) => loaders.topicById.load(t.topicId))),
    people,
    personRows: await Promise.all(people.map((p) => loaders.personById.load(p.personId))),
    quotes,
    speakers: await Promise.all(quotes.map((q) => (q.speakerId == null ? null : loaders.personById.load(q.speakerId)))),
    related,
    relatedRows: await Promise.all(related.map((r) => loaders.articleById.load(r.relatedId))),
  };
}

describe("an article's lists fetched with the article", () => {
  const logger = new CountingLogger();
  let handle: DbHandle;
  let ids: number[];

  beforeAll(async () => {
    handle = await createTestDb({ logger });
    await loadSampleIfEmpty(handle.db);
    for (const page of generatePages(40)) {
      expect(await ingestRaw(handle.db, { raw: page.raw, url: page.url })).toMatchObject({ status: 'created' });
    }
    const page = await listArticles(handle.db, createLoaders(handle.db), {}, 100, null);
    ids = page.page.rows.map((a) => a.id);
  }, 180_000);

  afterAll(async () => {
    await handle?.close();
  });

  it('equal what the loaders fetch on their own, for every stored article', async () => {
    let quoted = 0;
    let related = 0;
    for (const id of ids) {
      const prefetched = createLoaders(handle.db);
      const article = await findArticle(handle.db, prefetched, { id }, ALL);
      expect(article?.id).toBe(id);
      logger.reset();
      const fromParts = await listsOf(prefetched, id, 5);
      // Everything was already at hand: no statement.
      expect(logger.count, logger.statements.join('\n')).toBe(0);
      const fromLoaders = await listsOf(createLoaders(handle.db), id, 5);
      expect(fromParts).toEqual(fromLoaders);
      if (fromLoaders.quotes.some((q) => q.speakerId != null)) quoted++;
      if (fromLoaders.related.length > 0) related++;
    }
    // The comparison covered articles that have attributed quotes and related stories.
    expect(quoted).toBeGreaterThan(20);
    expect(related).toBeGreaterThan(20);
  });

  it('equal the loaders on a page of articles, including topics with a parent', async () => {
    const prefetched = createLoaders(handle.db);
    const list = await listArticles(handle.db, prefetched, {}, 30, null, { ...ALL, related: 3 });
    expect(list.page.rows).toHaveLength(30);
    const plain = createLoaders(handle.db);
    let parents = 0;
    for (const a of list.page.rows) {
      const fromParts = await listsOf(prefetched, a.id, 3);
      expect(fromParts).toEqual(await listsOf(plain, a.id, 3));
      parents += fromParts.topicRows.filter((t) => t?.parentId != null).length;
    }
    expect(parents).toBeGreaterThan(0);
  });

  const ARTICLE = /* GraphQL */ `
    query Article($id: ID!) {
      article(id: $id) {
        id headline
        quotes { text kind speaker { name } }
        related(first: 5) { score reasons { kind label weight } article { id headline publishedAt } }
      }
    }
  `;

  async function globalId(id: number): Promise<string> {
    return Buffer.from(`Article:${id}`).toString('base64');
  }

  it('answers an article with its quotes, speakers and related stories in one statement', async () => {
    const yoga = testServer(handle);
    const id = await globalId(ids[0]!);
    logger.reset();
    const data = await query(yoga, ARTICLE, { id });
    expect(logger.count, logger.statements.join('\n')).toBe(1);
    expect(data.article.related.length).toBeGreaterThan(0);
    expect(data.article.quotes.length).toBeGreaterThan(0);
  });

  it('reads the selection through fragments, inline fragments and variables', async () => {
    const yoga = testServer(handle);
    const id = await globalId(ids[1]!);
    const reference = await query(yoga, ARTICLE, { id });
    logger.reset();
    const data = await query(
      yoga,
      /* GraphQL */ `
        query Article($id: ID!, $n: Int!) {
          article(id: $id) { id headline ...Said ... on Article { related(first: $n) { ...Link } } }
        }
        fragment Said on Article { quotes { text kind speaker { name } } }
        fragment Link on RelatedStory { score reasons { kind label weight } article { id headline publishedAt } }
      `,
      { id, n: 5 },
    );
    expect(logger.count, logger.statements.join('\n')).toBe(1);
    expect(data).toEqual(reference);
  });

  it('leaves out a list skipped by @include or @skip', async () => {
    const yoga = testServer(handle);
    const id = await globalId(ids[2]!);
    logger.reset();
    const data = await query(
      yoga,
      `query A($id: ID!, $with: Boolean!) { article(id: $id) { id quotes @skip(if: true) { text } related @include(if: $with) { score } } }`,
      { id, with: false },
    );
    expect(data.article).toEqual({ id });
    expect(logger.statements.join('\n')).not.toMatch(/related_articles|"quotes"/);
  });

  it('answers aliases with different sizes and an invalid size as the loaders would', async () => {
    const yoga = testServer(handle);
    const id = await globalId(ids[3]!);
    const data = await query(
      yoga,
      `query A($id: ID!) { article(id: $id) { two: related(first: 2) { article { id } } three: related(first: 3) { article { id } } } }`,
      { id },
    );
    expect(data.article.three.length).toBeGreaterThan(2);
    expect(data.article.two).toEqual(data.article.three.slice(0, 2));

    const tooMany = await execute(yoga, `query A($id: ID!) { article(id: $id) { related(first: 500) { score } } }`, { id });
    expect(tooMany.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it("brings topics' parents only when the query asks for them", async () => {
    const yoga = testServer(handle);
    logger.reset();
    const withParents = await query(yoga, `{ articles(first: 20) { edges { node { topics { topic { slug parent { slug } } } } } } }`);
    expect(logger.count, logger.statements.join('\n')).toBe(1);
    expect(logger.statements[0]).toContain('left join "topics" up');
    const parents = withParents.articles.edges.flatMap((e: any) => e.node.topics.map((t: any) => t.topic.parent?.slug ?? null));
    expect(parents.filter(Boolean).length).toBeGreaterThan(0);

    logger.reset();
    await query(yoga, `{ articles(first: 20) { edges { node { topics { topic { slug } } } } } }`);
    expect(logger.count).toBe(1);
    expect(logger.statements[0]).not.toContain('left join "topics" up');
  });

  it('finds an article by URL with its lists in the same statement', async () => {
    const yoga = testServer(handle);
    const { article } = await query(yoga, `query A($id: ID!) { article(id: $id) { url } }`, { id: await globalId(ids[4]!) });
    logger.reset();
    const data = await query(yoga, `query A($url: String!) { article(url: $url) { url topics { topic { slug } } spokespeople { person { name } } } }`, {
      url: article.url,
    });
    expect(logger.count, logger.statements.join('\n')).toBe(1);
    expect(data.article.url).toBe(article.url);
    expect(data.article.topics.length).toBeGreaterThan(0);
  });
});
