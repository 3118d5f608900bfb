/**
 * An article's lists (topics, people, quotes, related stories) fetched in the same statement as the article
 * itself, when the request is known to ask for them. The loaders would fetch each list with a statement of its
 * own, batched across articles: three statements for a page of articles with topics and spokespeople, three for
 * one article with quotes and related stories. Every statement is a round trip and a query for PostgreSQL to
 * plan and run, and on the read benchmark they were most of the cost of both.
 *
 * Each list arrives as one JSON column, an array of rows encoded as arrays of column values
 * (`json_build_array`), and is decoded with the Drizzle columns' own mapping, so a row is what the loader's
 * query would have returned. The rows are then primed into the loaders: resolvers read them from there
 * (`BatchLoader.get`) without knowing how they came. The orders and limits here are the loaders' (a test
 * compares the two for every stored article).
 */
import { getTableColumns, getTableName, sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { articlePeople, articles, articleTopics, people, quotes, relatedArticles, topics } from '../db/schema.js';
import { articleColumns, type ArticleRow } from './articles.js';
import type { Loaders } from './index.js';
import type { ArticlePersonRow, PersonRow, QuoteRow } from './people.js';
import type { RelatedRow } from './related.js';
import type { ArticleTopicRow, TopicRow } from './topics.js';

/** Which lists to fetch with an article; `related` is the number of related stories (`first`). */
export interface ArticleParts {
  topics?: boolean;
  /** With `topics`: the parent of each topic too (most queries never ask for it). */
  topicParents?: boolean;
  people?: boolean;
  quotes?: boolean;
  related?: number;
}

/** A short, stable name for a set of parts: it names the prepared statement that fetches them. */
export function partsKey(parts: ArticleParts): string {
  return `${parts.topics ? 't' : ''}${parts.topics && parts.topicParents ? 'u' : ''}${parts.people ? 'p' : ''}${parts.quotes ? 'q' : ''}${parts.related !== undefined ? `r${parts.related}` : ''}`;
}

export function hasParts(parts: ArticleParts): boolean {
  return partsKey(parts) !== '';
}

/**
 * The columns of one row in a fixed order: their SQL (qualified by `table`, the name or alias the subquery gives
 * the table) for `json_build_array`, and the way back to a row. The subqueries are written as text: inside a
 * single-table select Drizzle prints column references without their table, which a correlated subquery cannot
 * use.
 */
class RowShape<T> {
  private readonly entries: Array<[string, PgColumn]>;

  constructor(
    private readonly table: string,
    columns: Record<string, PgColumn>,
  ) {
    this.entries = Object.entries(columns);
  }

  get width(): number {
    return this.entries.length;
  }

  values(): string[] {
    return this.entries.map(([, column]) => `${this.table}.${quote(column.name)}`);
  }

  /** The row from `width` values starting at `at`; null when they are all null (the outer join found none). */
  decode(values: readonly unknown[], at: number): T | null {
    const row: Record<string, unknown> = {};
    let found = false;
    this.entries.forEach(([key, column], i) => {
      const value = values[at + i];
      if (value === null || value === undefined) row[key] = null;
      else {
        found = true;
        row[key] = column.mapFromDriverValue(value);
      }
    });
    return found ? (row as T) : null;
  }
}

function quote(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}

/** `coalesce(json_agg(json_build_array(...) order by ...), '[]')`: every row of a subquery as one JSON value. */
function jsonRows(shapes: Array<RowShape<unknown>>, order: string): string {
  return `coalesce(json_agg(json_build_array(${shapes.flatMap((s) => s.values()).join(', ')}) order by ${order}), '[]'::json)`;
}

const t = {
  articles: quote(getTableName(articles)),
  articleTopics: quote(getTableName(articleTopics)),
  topics: quote(getTableName(topics)),
  articlePeople: quote(getTableName(articlePeople)),
  people: quote(getTableName(people)),
  quotes: quote(getTableName(quotes)),
  related: quote(getTableName(relatedArticles)),
};
const c = (column: PgColumn) => quote(column.name);

const shapes = {
  articleTopic: new RowShape<ArticleTopicRow>('at', getTableColumns(articleTopics)),
  topic: new RowShape<TopicRow>('tp', getTableColumns(topics)),
  parentTopic: new RowShape<TopicRow>('up', getTableColumns(topics)),
  mention: new RowShape<ArticlePersonRow>('ap', getTableColumns(articlePeople)),
  person: new RowShape<PersonRow>('pp', getTableColumns(people)),
  quote: new RowShape<QuoteRow>('qu', getTableColumns(quotes)),
  link: new RowShape<Omit<RelatedRow, 'articleId'>>('rl', {
    relatedId: relatedArticles.relatedId,
    score: relatedArticles.score,
    reasons: relatedArticles.reasons,
  }),
  relatedArticle: new RowShape<ArticleRow>('ra', articleColumns),
};

// Each subquery is correlated to the outer query's "articles"."id".
const outerId = `${t.articles}.${c(articles.id)}`;
const PART_SQL = {
  topics: `(select ${jsonRows([shapes.articleTopic, shapes.topic], `at.${c(articleTopics.score)} desc, tp.${c(topics.slug)}`)}
    from ${t.articleTopics} at
    join ${t.topics} tp on tp.${c(topics.id)} = at.${c(articleTopics.topicId)}
    where at.${c(articleTopics.articleId)} = ${outerId})`,
  topicsWithParents: `(select ${jsonRows([shapes.articleTopic, shapes.topic, shapes.parentTopic], `at.${c(articleTopics.score)} desc, tp.${c(topics.slug)}`)}
    from ${t.articleTopics} at
    join ${t.topics} tp on tp.${c(topics.id)} = at.${c(articleTopics.topicId)}
    left join ${t.topics} up on up.${c(topics.id)} = tp.${c(topics.parentId)}
    where at.${c(articleTopics.articleId)} = ${outerId})`,
  people: `(select ${jsonRows([shapes.mention, shapes.person], `ap.${c(articlePeople.firstMention)}, ap.${c(articlePeople.personId)}`)}
    from ${t.articlePeople} ap
    join ${t.people} pp on pp.${c(people.id)} = ap.${c(articlePeople.personId)}
    where ap.${c(articlePeople.articleId)} = ${outerId})`,
  quotes: `(select ${jsonRows([shapes.quote, shapes.person], `qu.${c(quotes.start)}, qu.${c(quotes.id)}`)}
    from ${t.quotes} qu
    left join ${t.people} pp on pp.${c(people.id)} = qu.${c(quotes.speakerId)}
    where qu.${c(quotes.articleId)} = ${outerId})`,
  // The index on (article_id, score desc) yields the strongest links first; only those are joined.
  related: (limit: number) => sql.raw(`(select ${jsonRows([shapes.link, shapes.relatedArticle], `rl.${c(relatedArticles.score)} desc, rl.${c(relatedArticles.relatedId)}`)}
    from (select * from ${t.related}
      where ${c(relatedArticles.articleId)} = ${outerId}
      order by ${c(relatedArticles.score)} desc, ${c(relatedArticles.relatedId)}
      limit ${limit}) rl
    join ${t.articles} ra on ra.${c(articles.id)} = rl.${c(relatedArticles.relatedId)})`),
};

/**
 * The extra columns of an article query that fetch `parts` for each article row (`articles.id`). The number of
 * related stories is written into the text, not passed as a parameter: with `limit $n` PostgreSQL estimated the
 * generic plan dearer than a custom one and planned the statement again on every run (at 100,000 articles that
 * tripled its CPU per execution). `first` is at most 50, so the texts stay few.
 */
export function partColumns(parts: ArticleParts) {
  const columns: Record<string, SQL.Aliased<unknown>> = {};
  if (parts.topics) columns.partTopics = sql.raw(parts.topicParents ? PART_SQL.topicsWithParents : PART_SQL.topics).as('part_topics');
  if (parts.people) columns.partPeople = sql.raw(PART_SQL.people).as('part_people');
  if (parts.quotes) columns.partQuotes = sql.raw(PART_SQL.quotes).as('part_quotes');
  if (parts.related !== undefined) {
    if (!Number.isSafeInteger(parts.related) || parts.related < 0) throw new Error(`related stories: ${parts.related} is not a count`);
    columns.partRelated = PART_SQL.related(parts.related).as('part_related');
  }
  return columns;
}

/** What an article query with `partColumns` returns: the article's columns and one JSON value per part. */
export type ArticleWithParts = ArticleRow & {
  partTopics?: unknown;
  partPeople?: unknown;
  partQuotes?: unknown;
  partRelated?: unknown;
};

function rowsOf(value: unknown): unknown[][] {
  const parsed = typeof value === 'string' ? JSON.parse(value) : value;
  return Array.isArray(parsed) ? (parsed as unknown[][]) : [];
}

/**
 * Primes the loaders with the parts that came with each article and returns the plain article rows. The loaders
 * then answer `topicsByArticleId`, `peopleByArticleId`, `quotesByArticleId` and `relatedByArticleId` (for the
 * fetched `first`) for these articles without a statement, as do `topicById`, `personById`, `quoteById` and
 * `articleById` for the rows inside them.
 */
export function primeParts(loaders: Loaders, rows: readonly ArticleWithParts[], parts: ArticleParts): ArticleRow[] {
  const { topic, parentTopic, articleTopic, mention, person, quote, link, relatedArticle: related } = shapes;
  return rows.map((withParts) => {
    const { partTopics, partPeople, partQuotes, partRelated, ...article } = withParts;
    loaders.articleById.prime(article.id, article);
    if (parts.topics) {
      const list = rowsOf(partTopics).map((values) => {
        const t = topic.decode(values, articleTopic.width)!;
        const up = parts.topicParents ? parentTopic.decode(values, articleTopic.width + topic.width) : null;
        loaders.primeTopic(t);
        if (up) loaders.primeTopic(up);
        return articleTopic.decode(values, 0)!;
      });
      loaders.topicsByArticleId.prime(article.id, list);
    }
    if (parts.people) {
      const list = rowsOf(partPeople).map((values) => {
        const p = person.decode(values, mention.width)!;
        loaders.personById.prime(p.id, p);
        return mention.decode(values, 0)!;
      });
      loaders.peopleByArticleId.prime(article.id, list);
    }
    if (parts.quotes) {
      const list = rowsOf(partQuotes).map((values) => {
        const q = quote.decode(values, 0)!;
        const speaker = person.decode(values, quote.width);
        loaders.quoteById.prime(q.id, q);
        if (speaker) loaders.personById.prime(speaker.id, speaker);
        return q;
      });
      loaders.quotesByArticleId.prime(article.id, list);
    }
    if (parts.related !== undefined) {
      const list = rowsOf(partRelated).map((values): RelatedRow => {
        const l = link.decode(values, 0)!;
        const a = related.decode(values, link.width)!;
        loaders.articleById.prime(a.id, a);
        return { articleId: article.id, ...l };
      });
      loaders.relatedByArticleId.prime({ articleId: article.id, first: parts.related }, list);
    }
    return article;
  });
}
