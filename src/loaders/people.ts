import { and, asc, count, desc, eq, getTableColumns, inArray, isNotNull, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { articlePeople, articles, people, quotes } from '../db/schema.js';
import { articleSortKey } from './articles.js';
import type { QuoteCursor } from './cursor.js';
import { createPersonExploreLoaders } from './explore.js';
import { inIds, preparedFor, rowsByIds } from './prepared.js';
import { byKeyLoader, countLoader, listLoader, pagedLoader } from './util.js';

export type PersonRow = typeof people.$inferSelect;
export type ArticlePersonRow = typeof articlePeople.$inferSelect;
export type QuoteRow = typeof quotes.$inferSelect;
/** A quote with the publication time of its article: the sort key of a person's quotes. */
export type SpeakerQuoteRow = QuoteRow & { articlePublishedAt: Date | null };

export interface PersonRoleRow {
  personId: number;
  /** The wording of the newest story stating the role. */
  role: string | null;
  title: string | null;
  organization: string | null;
  /** Every wording stories use for this role, alphabetically. */
  wordings: string[];
  articleCount: number;
  firstStatedAt: Date | null;
  lastStatedAt: Date | null;
}

// Each mention's person through a lateral lookup by primary key. As a plain join, the planner estimated a hash
// join over every person cheaper for a page of articles (it is not: ~1 ms instead of ~0.1 ms at 5,000 articles,
// and it grows with the people table); the LIMIT keeps the lookup from being flattened back into that join.
const peopleOfArticles = (db: Db) => {
  const person = db.select().from(people).where(eq(people.id, articlePeople.personId)).limit(1).as('person');
  const personColumns = Object.fromEntries(Object.keys(getTableColumns(people)).map((k) => [k, person[k as keyof PersonRow]])) as {
    [K in keyof PersonRow]: (typeof person)[K];
  };
  return db
    .select({ mention: articlePeople, person: personColumns })
    .from(articlePeople)
    .innerJoinLateral(person, sql`true`)
    .where(inIds(articlePeople.articleId, 'ids'))
    .orderBy(articlePeople.articleId, articlePeople.firstMention, articlePeople.personId)
    .prepare('peopleByArticleId');
};

export function createPeopleLoaders(db: Db) {
  const personById = byKeyLoader<number, PersonRow>(
    rowsByIds(db, people, people.id),
    (p) => p.id,
  );

  /** Everyone named in each article, in order of first mention; their Person rows come in the same query. */
  const peopleByArticleId = listLoader<number, ArticlePersonRow>(async (ids) => {
    const rows = await preparedFor(db, 'peopleByArticleId', peopleOfArticles).execute({ ids });
    return rows.map(({ mention, person }) => {
      personById.prime(person.id, person);
      return mention;
    });
  }, (m) => m.articleId);

  /**
   * The distinct roles (title and organization) stories state for each person, with the dates of the first and
   * last story stating each: most recently stated first, then most often, then by title.
   */
  const epoch = (column: SQL) => sql<Date | null>`extract(epoch from ${column})::float8`.mapWith((v) => (v == null ? null : new Date(Number(v) * 1000)));
  const rolesByPersonId = listLoader<number, PersonRoleRow>(
    (ids) =>
      db
        .select({
          personId: articlePeople.personId,
          role: sql<string | null>`(array_agg(${articlePeople.role} order by ${articleSortKey} desc, ${articlePeople.articleId} desc) filter (where ${articlePeople.role} is not null))[1]`,
          title: articlePeople.roleTitle,
          organization: articlePeople.roleOrganization,
          wordings: sql<string[]>`coalesce(array_agg(distinct ${articlePeople.role}) filter (where ${articlePeople.role} is not null), '{}')`,
          articleCount: count(),
          firstStatedAt: epoch(sql`min(${articles.publishedAt})`),
          lastStatedAt: epoch(sql`max(${articles.publishedAt})`),
        })
        .from(articlePeople)
        .innerJoin(articles, eq(articles.id, articlePeople.articleId))
        .where(
          and(
            inArray(articlePeople.personId, ids),
            or(isNotNull(articlePeople.roleTitle), isNotNull(articlePeople.roleOrganization)),
          ),
        )
        .groupBy(articlePeople.personId, articlePeople.roleTitle, articlePeople.roleOrganization)
        .orderBy(
          articlePeople.personId,
          sql`max(${articleSortKey}) desc`,
          desc(count()),
          asc(articlePeople.roleTitle),
          asc(articlePeople.roleOrganization),
        ),
    (r) => r.personId,
  );

  const quoteOrder = sql`${articleSortKey} desc, ${quotes.articleId} desc, ${quotes.start} asc, ${quotes.id} asc`;
  /** A person's quotes, newest article first and in body order within an article. */
  const quotesBySpeakerId = pagedLoader<QuoteCursor, SpeakerQuoteRow>(async (speakerIds, limit, after) => {
    const sq = db
      .select({
        ...getTableColumns(quotes),
        articlePublishedAt: articles.publishedAt,
        rn: sql<number>`(row_number() over (partition by ${quotes.speakerId} order by ${quoteOrder}))::integer`
          .mapWith(Number)
          .as('rn'),
      })
      .from(quotes)
      .innerJoin(articles, eq(articles.id, quotes.articleId))
      .where(
        and(
          inArray(quotes.speakerId, speakerIds),
          after
            ? sql`(${articleSortKey}, ${quotes.articleId}, -${quotes.start}, -${quotes.id}) < (${after.publishedAt ?? '-infinity'}::timestamptz, ${after.articleId}::integer, ${-after.start}::integer, ${-after.id}::integer)`
            : undefined,
        ),
      )
      .as('ranked');
    const rows = await db.select().from(sq).where(lte(sq.rn, limit)).orderBy(sq.speakerId, sq.rn);
    return rows.map(({ rn: _rn, ...row }) => ({ parentId: row.speakerId!, row }));
  });

  const quoteCountBySpeakerId = countLoader<number>((ids) =>
    db
      .select({ key: sql<number>`${quotes.speakerId}`.mapWith(Number), count: count() })
      .from(quotes)
      .where(inArray(quotes.speakerId, ids))
      .groupBy(quotes.speakerId),
  );

  return {
    personById,
    peopleByArticleId,
    rolesByPersonId,
    quotesBySpeakerId,
    quoteCountBySpeakerId,
    ...createPersonExploreLoaders(db, (row) => personById.prime(row.id, row)),
  };
}
