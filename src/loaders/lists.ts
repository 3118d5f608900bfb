/**
 * Root lists (`Query.articles`, `Query.people`, `Query.topics`): one keyset query per page, and a count query
 * only when `totalCount` is asked for. Rows are primed into the by-id loaders.
 */
import { and, asc, count, eq, gte, ilike, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { articleEvents, articlePeople, articles, articleTopics, people, quotes, topics } from '../db/schema.js';
import { articleColumns, articleOrder, articlesAfter, type ArticleRow } from './articles.js';
import type { ArticleCursor, PersonCursor, TopicCursor } from './cursor.js';
import type { Loaders } from './index.js';
import type { PersonRow } from './people.js';
import type { TopicRow } from './topics.js';
import { hasParts, partColumns, partsKey, primeParts, type ArticleParts, type ArticleWithParts } from './parts.js';
import { preparedFor } from './prepared.js';
import type { Page } from './util.js';

export interface ArticleListFilter {
  topicId?: number;
  personId?: number;
  eventId?: number;
  sourceId?: number;
  from?: Date;
  to?: Date;
}

export interface List<Row> {
  page: Page<Row>;
  count: () => Promise<number>;
}

function paged<Row>(rows: Row[], first: number): Page<Row> {
  return { rows: rows.slice(0, first), hasNextPage: rows.length > first };
}

export function articleConditions(f: ArticleListFilter): SQL[] {
  const conds: SQL[] = [];
  if (f.topicId !== undefined) {
    conds.push(
      sql`exists (select 1 from ${articleTopics} where ${articleTopics.articleId} = ${articles.id} and ${articleTopics.topicId} = ${f.topicId})`,
    );
  }
  if (f.personId !== undefined) {
    conds.push(
      sql`exists (select 1 from ${articlePeople} where ${articlePeople.articleId} = ${articles.id} and ${articlePeople.personId} = ${f.personId})`,
    );
  }
  if (f.eventId !== undefined) {
    conds.push(
      sql`exists (select 1 from ${articleEvents} where ${articleEvents.articleId} = ${articles.id} and ${articleEvents.eventId} = ${f.eventId})`,
    );
  }
  if (f.sourceId !== undefined) conds.push(eq(articles.sourceId, f.sourceId));
  if (f.from) conds.push(gte(articles.publishedAt, f.from));
  if (f.to) conds.push(lt(articles.publishedAt, f.to));
  return conds;
}

// The unfiltered page is the hot one (every client's front page): its statements, with and without a cursor, are
// built once per set of parts.
const articlePage = (db: Db, parts: ArticleParts, afterCursor: boolean) =>
  db
    .select({ ...articleColumns, ...partColumns(parts) })
    .from(articles)
    .where(afterCursor ? articlesAfter({ publishedAt: sql.placeholder('publishedAt'), id: sql.placeholder('id') }) : undefined)
    .orderBy(...articleOrder)
    .limit(sql.placeholder('limit'))
    .prepare(`articlePage${afterCursor ? 'After' : ''}_${partsKey(parts)}`);

/**
 * A page of articles in `articleOrder`. `parts` names the lists the request will ask of each article: they come
 * in the same statement and are primed into the loaders (see parts.ts).
 */
export async function listArticles(
  db: Db,
  loaders: Loaders,
  filter: ArticleListFilter,
  first: number,
  after: ArticleCursor | null,
  parts: ArticleParts = {},
): Promise<List<ArticleRow>> {
  const conds = articleConditions(filter);
  const key = partsKey(parts);
  const rows: ArticleWithParts[] =
    conds.length > 0
      ? await db
          .select({ ...articleColumns, ...partColumns(parts) })
          .from(articles)
          .where(and(...conds, after ? articlesAfter(after) : undefined))
          .orderBy(...articleOrder)
          .limit(first + 1)
      : after
        ? await preparedFor(db, `articlePageAfter_${key}`, (d) => articlePage(d, parts, true)).execute({
            limit: first + 1,
            publishedAt: after.publishedAt ?? '-infinity',
            id: after.id,
          })
        : await preparedFor(db, `articlePage_${key}`, (d) => articlePage(d, parts, false)).execute({ limit: first + 1 });
  const plain = primeParts(loaders, rows, parts);
  return {
    page: paged(plain, first),
    count: async () => (await db.select({ n: count() }).from(articles).where(and(...conds)))[0]?.n ?? 0,
  };
}

export interface PersonListFilter {
  /** Case-insensitive substring of the name or an alias. */
  name?: string;
  topicId?: number;
  quotedOnly?: boolean;
}

function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export async function listPeople(
  db: Db,
  loaders: Loaders,
  filter: PersonListFilter,
  first: number,
  after: PersonCursor | null,
): Promise<List<PersonRow>> {
  const conds: SQL[] = [];
  if (filter.name) {
    const pattern = likePattern(filter.name);
    conds.push(
      or(ilike(people.name, pattern), sql`exists (select 1 from unnest(${people.aliases}) as alias where alias ilike ${pattern})`)!,
    );
  }
  if (filter.topicId !== undefined) {
    conds.push(
      sql`exists (select 1 from ${articlePeople} join ${articleTopics} on ${articleTopics.articleId} = ${articlePeople.articleId} where ${articlePeople.personId} = ${people.id} and ${articleTopics.topicId} = ${filter.topicId})`,
    );
  }
  if (filter.quotedOnly) {
    conds.push(sql`exists (select 1 from ${quotes} where ${quotes.speakerId} = ${people.id})`);
  }
  const rows = await db
    .select()
    .from(people)
    .where(and(...conds, after ? sql`(${people.name}, ${people.id}) > (${after.name}, ${after.id}::integer)` : undefined))
    .orderBy(asc(people.name), asc(people.id))
    .limit(first + 1);
  for (const row of rows) loaders.personById.prime(row.id, row);
  return {
    page: paged(rows, first),
    count: async () => (await db.select({ n: count() }).from(people).where(and(...conds)))[0]?.n ?? 0,
  };
}

export async function listTopics(
  db: Db,
  loaders: Loaders,
  first: number,
  after: TopicCursor | null,
): Promise<List<TopicRow>> {
  const rows = await db
    .select()
    .from(topics)
    .where(after ? sql`${topics.slug} > ${after.slug}` : undefined)
    .orderBy(asc(topics.slug))
    .limit(first + 1);
  rows.forEach(loaders.primeTopic);
  return {
    page: paged(rows, first),
    count: async () => (await db.select({ n: count() }).from(topics))[0]?.n ?? 0,
  };
}

/** A person by exact name or alias, case-insensitive; the person mentioned in most articles wins a tie. */
export async function findPersonByName(db: Db, loaders: Loaders, name: string): Promise<PersonRow | null> {
  const wanted = name.trim().replace(/\s+/g, ' ').toLowerCase();
  if (!wanted) return null;
  const rows = await db
    .select()
    .from(people)
    .where(
      or(
        eq(people.key, wanted),
        sql`lower(${people.name}) = ${wanted}`,
        sql`exists (select 1 from unnest(${people.aliases}) as alias where lower(alias) = ${wanted})`,
      ),
    )
    .orderBy(
      sql`(${people.key} = ${wanted}) desc`,
      sql`(select count(*) from ${articlePeople} where ${articlePeople.personId} = ${people.id}) desc`,
      asc(people.id),
    )
    .limit(1);
  const row = rows[0] ?? null;
  if (row) loaders.personById.prime(row.id, row);
  return row;
}

const articleByIdWithParts = (db: Db, parts: ArticleParts) =>
  db
    .select({ ...articleColumns, ...partColumns(parts) })
    .from(articles)
    .where(eq(articles.id, sql.placeholder('id')))
    .prepare(`articleByIdWithParts_${partsKey(parts)}`);

/**
 * One article by id or by canonical URL, with `parts` in the same statement (see parts.ts). Without parts, an
 * id goes through `articleById`, which batches with any other article the request loads.
 */
export async function findArticle(
  db: Db,
  loaders: Loaders,
  by: { id: number } | { url: string },
  parts: ArticleParts = {},
): Promise<ArticleRow | null> {
  let rows: ArticleWithParts[];
  if ('url' in by) {
    rows = await db
      .select({ ...articleColumns, ...partColumns(parts) })
      .from(articles)
      .where(eq(articles.url, by.url))
      .limit(1);
  } else if (!hasParts(parts)) {
    return loaders.articleById.load(by.id);
  } else {
    const key = partsKey(parts);
    rows = await preparedFor(db, `articleByIdWithParts_${key}`, (d) => articleByIdWithParts(d, parts)).execute({ id: by.id });
  }
  return primeParts(loaders, rows, parts)[0] ?? null;
}

