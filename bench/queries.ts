/**
 * The four read queries, written once for this service and once for PostGraphile's generated schema (Amber
 * preset inflection, found by introspection: allArticles, articleByRowId, relatedArticlesByArticleId, ...), with
 * the request inputs drawn from the loaded database by a seeded generator. Each query also has a `digest` that
 * reduces an answer to what both servers must agree on, so the benchmark can check that they answer alike.
 */
import type postgres from 'postgres';
import { encodeCursor } from '../src/loaders/cursor.js';
import { seeded, shuffle } from './corpus.js';

export type QueryName = 'page' | 'article' | 'timeline' | 'search';
export type Server = 'ours' | 'postgraphile';

export const QUERY_TITLES: Record<QueryName, string> = {
  page: '1. page of 20 articles + topics + spokespeople',
  article: '2. article + quotes + speakers + 5 related',
  timeline: "3. topic's monthly timeline (24 months)",
  search: '4. full-text search, 10 hits + total',
};

export const QUERIES: Record<QueryName, Record<Server, string>> = {
  page: {
    ours: `query Page($after: String) { articles(first: 20, after: $after) { edges { node {
      id headline publishedAt
      topics { score topic { slug name } }
      spokespeople { role person { name } } } } } }`,
    postgraphile: `query Page($after: Cursor) { allArticles(first: 20, after: $after, orderBy: [PUBLISHED_AT_DESC, ROW_ID_DESC]) { nodes {
      rowId headline publishedAt
      articleTopicsByArticleId { nodes { score topicByTopicId { slug name } } }
      spokespeople { nodes { role personByPersonId { name } } } } } }`,
  },
  article: {
    ours: `query Article($id: ID!) { article(id: $id) {
      id headline publishedAt
      quotes { text kind speaker { name } }
      related(first: 5) { score reasons { kind label weight } article { id headline publishedAt } } } }`,
    postgraphile: `query Article($id: Int!) { articleByRowId(rowId: $id) {
      rowId headline publishedAt
      quotesByArticleId(orderBy: START_ASC) { nodes { text kind personBySpeakerId { name } } }
      relatedArticlesByArticleId(first: 5, orderBy: [SCORE_DESC, RELATED_ID_ASC]) { nodes { score reasons articleByRelatedId { rowId headline publishedAt } } } } }`,
  },
  timeline: {
    ours: `query Timeline($slug: String!, $from: DateTime!, $to: DateTime!) { topic(slug: $slug) {
      slug name timeline(interval: MONTH, from: $from, to: $to) { start count } } }`,
    postgraphile: `query Timeline($slug: String!, $from: Datetime!, $to: Datetime!) { topicBySlug(slug: $slug) { slug name }
      benchPgTopicTimeline(topicSlug: $slug, bucket: "month", rangeFrom: $from, rangeTo: $to) { nodes { start count } } }`,
  },
  search: {
    ours: `query Search($q: String!) { search(query: $q, first: 10) { totalCount edges { rank node { id headline publishedAt } } } }`,
    postgraphile: `query Search($q: String!) { benchPgSearchArticles(query: $q, first: 10) { totalCount nodes { rowId headline publishedAt } } }`,
  },
};

/** One request's inputs, before they are shaped into each server's variables. */
export type Input =
  | { query: 'page'; position: number; ours: string | null; postgraphile: string | null }
  | { query: 'article'; id: number }
  | { query: 'timeline'; slug: string; from: string; to: string }
  | { query: 'search'; q: string };

export function articleGlobalId(id: number): string {
  return Buffer.from(`Article:${id}`, 'utf8').toString('base64');
}

export function variables(input: Input, server: Server): Record<string, unknown> {
  switch (input.query) {
    case 'page':
      return { after: input[server] };
    case 'article':
      return { id: server === 'ours' ? articleGlobalId(input.id) : input.id };
    case 'timeline':
      return { slug: input.slug, from: input.from, to: input.to };
    case 'search':
      return { q: input.q };
  }
}

export function body(input: Input, server: Server): string {
  return JSON.stringify({ query: QUERIES[input.query][server], variables: variables(input, server) });
}

// Words a search should not be built from: too common to say anything, or ignored by the english configuration.
const DULL = new Set(
  'about after again against being below between could their there these those which while would should other under where years year said says reuters company shares'.split(' '),
);

/**
 * Seeded inputs per query, drawn from what is stored: page positions across the dated articles (each page
 * starts after a cursor at that position; PostGraphile's cursors are filled in later by asking it), article ids
 * across the table, (topic, two-year window) pairs over the topics in use, and one- or two-word searches made
 * from stored headlines.
 */
export async function drawInputs(sql: postgres.Sql, perQuery: number, seed = 7): Promise<Record<QueryName, Input[]>> {
  const random = seeded(seed);
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)]!;

  const [counted] = await sql<{ dated: number }[]>`select count(published_at)::int as dated from articles`;
  const dated = counted!.dated;
  const positions = Array.from({ length: perQuery }, () => Math.floor(random() * Math.max(1, dated - 20)));
  const anchors = await sql<{ rn: number; id: number; published_at: Date | null }[]>`
    select rn::int, id, published_at from (
      select id, published_at, row_number() over (order by coalesce(published_at, '-infinity'::timestamptz) desc, id desc) as rn
      from articles
    ) ordered where rn = any(${positions}::int[])`;
  // The page at position p (0-based) starts after the article ranked p (1-based).
  const byRank = new Map(anchors.map((a) => [a.rn, a]));
  const page: Input[] = positions.map((p) => {
    const anchor = p === 0 ? null : byRank.get(p);
    const cursor = anchor ? encodeCursor('a', { publishedAt: anchor.published_at?.toISOString() ?? null, id: anchor.id }) : null;
    return { query: 'page', position: p, ours: cursor, postgraphile: null };
  });

  const ids = (await sql<{ id: number }[]>`select id from articles order by id`).map((r) => r.id);
  const article: Input[] = Array.from({ length: perQuery }, () => ({ query: 'article', id: pick(ids) }));

  const slugs = (
    await sql<{ slug: string }[]>`select t.slug from topics t where exists (select 1 from article_topics x where x.topic_id = t.id) order by t.slug`
  ).map((r) => r.slug);
  const [years] = await sql<{ first: number; last: number }[]>`
    select extract(year from min(published_at))::int as first, extract(year from max(published_at))::int as last from articles`;
  const { first, last } = years!;
  const timeline: Input[] = Array.from({ length: perQuery }, () => {
    const year = first + Math.floor(random() * Math.max(1, last - first + 1));
    return { query: 'timeline', slug: pick(slugs), from: `${year}-01-01T00:00:00.000Z`, to: `${year + 2}-01-01T00:00:00.000Z` };
  });

  const headlines = (await sql<{ headline: string }[]>`select headline from articles order by id limit 20000`).map((r) => r.headline);
  const words = shuffle(
    [...new Set(headlines.flatMap((h) => h.toLowerCase().split(/[^a-z]+/)).filter((w) => w.length >= 5 && !DULL.has(w)))].sort(),
    random,
  );
  const search: Input[] = Array.from({ length: perQuery }, (_, i) => ({
    query: 'search',
    q: i % 3 === 2 ? `${pick(words)} ${pick(words)}` : pick(words),
  }));
  return { page, article, timeline, search };
}

/** PostGraphile's own cursor for each page position: the cursor of the row at that position in its order. */
export async function fillPostgraphileCursors(
  url: string,
  inputs: Input[],
  post: (url: string, body: string) => Promise<unknown>,
): Promise<void> {
  for (const input of inputs) {
    if (input.query !== 'page' || input.position === 0) continue;
    const data = (await post(
      url,
      JSON.stringify({
        query: `query ($offset: Int!) { allArticles(first: 1, offset: $offset, orderBy: [PUBLISHED_AT_DESC, ROW_ID_DESC]) { edges { cursor } } }`,
        variables: { offset: input.position - 1 },
      }),
    )) as { allArticles: { edges: { cursor: string }[] } };
    input.postgraphile = data.allArticles.edges[0]?.cursor ?? null;
  }
}

/* eslint-disable @typescript-eslint/no-explicit-any */
const localId = (globalId: string) => Number(Buffer.from(globalId, 'base64').toString('utf8').split(':')[1]);

/** What both servers must agree on for one answer; ordering within ties is left out. */
export function digest(query: QueryName, server: Server, data: any): unknown {
  const ours = server === 'ours';
  switch (query) {
    case 'page': {
      const nodes: any[] = ours ? data.articles.edges.map((e: any) => e.node) : data.allArticles.nodes;
      return nodes.map((n) => ({
        id: ours ? localId(n.id) : n.rowId,
        topics: (ours ? n.topics.map((t: any) => t.topic.slug) : n.articleTopicsByArticleId.nodes.map((t: any) => t.topicByTopicId.slug)).sort(),
        spokespeople: (ours ? n.spokespeople.map((s: any) => s.person.name) : n.spokespeople.nodes.map((s: any) => s.personByPersonId.name)).sort(),
      }));
    }
    case 'article': {
      const a = ours ? data.article : data.articleByRowId;
      if (!a) return null;
      const quotes = ours ? a.quotes.map((q: any) => [q.text, q.speaker?.name ?? null]) : a.quotesByArticleId.nodes.map((q: any) => [q.text, q.personBySpeakerId?.name ?? null]);
      const related = ours ? a.related.map((r: any) => r.score) : a.relatedArticlesByArticleId.nodes.map((r: any) => r.score);
      return { quotes, related };
    }
    case 'timeline':
      return ours ? data.topic?.timeline.map((b: any) => b.count) : data.benchPgTopicTimeline.nodes.map((b: any) => b.count);
    case 'search': {
      const conn = ours ? data.search : data.benchPgSearchArticles;
      return { total: conn.totalCount, hits: (ours ? conn.edges : conn.nodes).length };
    }
  }
}
