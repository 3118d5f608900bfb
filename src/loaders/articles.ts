import { and, count, eq, getTableColumns, inArray, lte, sql, type Placeholder, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Db } from '../db/client.js';
import { articleEntities, articleEvents, articlePeople, articles, articleTopics } from '../db/schema.js';
import type { ArticleCursor } from './cursor.js';
import { inIds, preparedFor } from './prepared.js';
import { byKeyLoader, countLoader, pagedLoader } from './util.js';

// The raw page, the term signature and the search document are large and internal: never loaded with an article.
// Body and paragraphs are most of a row's bytes and of its parsing (paragraphs is jsonb), and lists rarely ask
// for them: they come from `articleTextById` only when `body` or `paragraphs` is selected.
const { raw: _raw, terms: _terms, search: _search, body: _body, paragraphs: _paragraphs, ...columns } = getTableColumns(articles);
export const articleColumns = columns;
export type ArticleRow = { [K in keyof typeof columns]: (typeof articles.$inferSelect)[K] };
export type ArticleTextRow = Pick<typeof articles.$inferSelect, 'id' | 'body' | 'paragraphs'>;

const articlesByIds = (db: Db) => db.select(columns).from(articles).where(inIds(articles.id, 'ids')).prepare('articleById');
const articleTextsByIds = (db: Db) =>
  db
    .select({ id: articles.id, body: articles.body, paragraphs: articles.paragraphs })
    .from(articles)
    .where(inIds(articles.id, 'ids'))
    .prepare('articleTextById');

/** Newest first with undated articles last: the order of every article list. */
export const articleSortKey = sql`coalesce(${articles.publishedAt}, '-infinity'::timestamptz)`;
export const articleOrder = [sql`${articleSortKey} desc`, sql`${articles.id} desc`];

/** Rows strictly after the cursor in `articleOrder`; the cursor's parts may be placeholders of a prepared query. */
export function articlesAfter(cursor: { [K in keyof ArticleCursor]: ArticleCursor[K] | Placeholder }): SQL {
  return sql`(${articleSortKey}, ${articles.id}) < (${cursor.publishedAt ?? '-infinity'}::timestamptz, ${cursor.id}::integer)`;
}

interface Link {
  table: PgTable;
  parent: PgColumn;
  article: PgColumn;
}

export function createArticleLoaders(db: Db) {
  const articleById = byKeyLoader<number, ArticleRow>(
    (ids) => preparedFor(db, 'articleById', articlesByIds).execute({ ids }),
    (a) => a.id,
  );
  /** The text of each article, for `Article.body` and `Article.paragraphs`. */
  const articleTextById = byKeyLoader<number, ArticleTextRow>(
    (ids) => preparedFor(db, 'articleTextById', articleTextsByIds).execute({ ids }),
    (a) => a.id,
  );
  const prime = (rows: readonly ArticleRow[]) => {
    for (const row of rows) articleById.prime(row.id, row);
  };

  /** The newest stored article per normalized headline: how a page link finds its story. */
  const articleByHeadlineKey = byKeyLoader<string, ArticleRow>(async (keys) => {
    const rows = await db
      .selectDistinctOn([articles.headlineKey], columns)
      .from(articles)
      .where(inArray(articles.headlineKey, keys))
      .orderBy(articles.headlineKey, ...articleOrder);
    prime(rows);
    return rows;
  }, (a) => a.headlineKey);

  const ranked = (link: Link) =>
    pagedLoader<ArticleCursor, ArticleRow>(async (parentIds, limit, after) => {
      const parentId = sql<number>`${link.parent}`.mapWith(Number).as('parent_id');
      const sq = db
        .select({
          ...columns,
          parentId,
          rn: sql<number>`(row_number() over (partition by ${link.parent} order by ${articleSortKey} desc, ${articles.id} desc))::integer`
            .mapWith(Number)
            .as('rn'),
        })
        .from(link.table)
        .innerJoin(articles, eq(articles.id, link.article))
        .where(and(inArray(link.parent, parentIds), after ? articlesAfter(after) : undefined))
        .as('ranked');
      const rows = await db.select().from(sq).where(lte(sq.rn, limit)).orderBy(sq.parentId, sq.rn);
      return rows.map(({ parentId: p, rn: _rn, ...row }) => {
        articleById.prime(row.id, row);
        return { parentId: p, row };
      });
    });

  const counted = (link: Link) =>
    countLoader<number>((ids) =>
      db
        .select({ key: sql<number>`${link.parent}`.mapWith(Number), count: count() })
        .from(link.table)
        .where(inArray(link.parent, ids))
        .groupBy(link.parent),
    );

  const byTopic: Link = { table: articleTopics, parent: articleTopics.topicId, article: articleTopics.articleId };
  const byPerson: Link = { table: articlePeople, parent: articlePeople.personId, article: articlePeople.articleId };
  const byEvent: Link = { table: articleEvents, parent: articleEvents.eventId, article: articleEvents.articleId };
  const byEntity: Link = { table: articleEntities, parent: articleEntities.entityId, article: articleEntities.articleId };

  return {
    articleById,
    articleTextById,
    articleByHeadlineKey,
    articlesByTopicId: ranked(byTopic),
    articleCountByTopicId: counted(byTopic),
    articlesByPersonId: ranked(byPerson),
    articleCountByPersonId: counted(byPerson),
    articlesByEventId: ranked(byEvent),
    articleCountByEventId: counted(byEvent),
    articlesByEntityId: ranked(byEntity),
    articleCountByEntityId: counted(byEntity),
    primeArticles: prime,
  };
}

export type ArticleLoaders = ReturnType<typeof createArticleLoaders>;
