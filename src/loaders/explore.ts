/**
 * Aggregates for exploring people and topics: timelines, who speaks on what, who appears beside whom, and
 * trending topics. Every loader runs one grouped query per batch of parents (and per distinct argument set),
 * ranking rows per parent with `row_number()`, so a nested list costs one statement whatever its size or page.
 */
import type DataLoader from 'dataloader';
import { and, desc, eq, gt, inArray, lte, ne, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../db/client.js';
import { arrayLiteral, preparedRowsOf, rowsOf } from '../db/rows.js';
import { articlePeople, articles, articleTopics, people, topics } from '../db/schema.js';
import type { PersonRow } from './people.js';
import type { TopicRow } from './topics.js';
import { BatchLoader, countLoader, groupBy, pagedLoader } from './util.js';

/** Seconds since the epoch as both drivers return them (numeric comes back as text from postgres.js). */
function fromEpoch(seconds: unknown): Date | null {
  return seconds == null ? null : new Date(Number(seconds) * 1000);
}

/**
 * A loader keyed by a parent id and the field's arguments: keys sharing the arguments are fetched by one
 * query for all their parents. `fetch` returns each parent's value; a parent it leaves out gets `empty()`.
 */
export function paramLoader<P, V>(
  fetch: (parentIds: number[], params: P) => Promise<Map<number, V>>,
  empty: () => V,
): DataLoader<{ parentId: number; params: P }, V, string> {
  const cacheKey = (k: { parentId: number; params: P }) => JSON.stringify([k.parentId, k.params]);
  return new BatchLoader(
    async (keys) => {
      const results = new Map<string, V>();
      await Promise.all(
        [...groupBy(keys, (k) => JSON.stringify(k.params)).values()].map(async (group) => {
          const values = await fetch([...new Set(group.map((k) => k.parentId))], group[0]!.params);
          for (const k of group) results.set(cacheKey(k), values.get(k.parentId) ?? empty());
        }),
      );
      return keys.map((k) => results.get(cacheKey(k))!);
    },
    { cacheKeyFn: cacheKey },
  );
}

function byParent<R extends { parentId: number }, V>(rows: R[], map: (row: R) => V): Map<number, V[]> {
  const out = new Map<number, V[]>();
  for (const [k, list] of groupBy(rows, (r) => r.parentId)) out.set(k, list.map(map));
  return out;
}

const rn = (order: SQL, partition: SQL) =>
  sql<number>`(row_number() over (partition by ${partition} order by ${order}))::integer`.mapWith(Number).as('rn');

// ---------------------------------------------------------------------------------------------------------
// Timelines

export type TimelineInterval = 'day' | 'week' | 'month';
export const MAX_TIMELINE_BUCKETS = 1000;

export interface TimelineParams {
  interval: TimelineInterval;
  /** ISO instants; `to` is exclusive. */
  from: string;
  to: string;
}

export interface TimelineBucket {
  /** Start of the UTC day, ISO week (Monday) or month. */
  start: Date;
  count: number;
}

/** Start of the UTC period containing the instant, as date_trunc computes it. */
export function truncateUtc(instant: Date, interval: TimelineInterval): Date {
  const d = new Date(Date.UTC(instant.getUTCFullYear(), instant.getUTCMonth(), instant.getUTCDate()));
  if (interval === 'month') d.setUTCDate(1);
  if (interval === 'week') d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d;
}

/** Number of buckets between `from` and `to` (exclusive): what the timeline query will generate. */
export function bucketCount(from: Date, to: Date, interval: TimelineInterval): number {
  if (to <= from) return 0;
  const start = truncateUtc(from, interval);
  const last = new Date(to.getTime() - 1);
  if (interval === 'month') {
    return (last.getUTCFullYear() - start.getUTCFullYear()) * 12 + last.getUTCMonth() - start.getUTCMonth() + 1;
  }
  const step = (interval === 'week' ? 7 : 1) * 86_400_000;
  return Math.floor((truncateUtc(last, interval).getTime() - start.getTime()) / step) + 1;
}

async function timelines(db: Db, topicIds: number[], p: TimelineParams): Promise<Map<number, TimelineBucket[]>> {
  const step = `1 ${p.interval}`;
  const ids = arrayLiteral(topicIds);
  const rows = await preparedRowsOf<{ topic_id: number; start: string | number; count: number }>(
    db,
    'topicTimelines',
    sql`
      with buckets as (
        select b from generate_series(
          date_trunc(${p.interval}, ${p.from}::timestamptz at time zone 'UTC'),
          ${p.to}::timestamptz at time zone 'UTC',
          ${step}::interval) as b
        where b < ${p.to}::timestamptz at time zone 'UTC'
      ), counts as (
        select ${articleTopics.topicId} as topic_id,
               date_trunc(${p.interval}, ${articles.publishedAt} at time zone 'UTC') as b,
               count(*)::integer as n
        from ${articleTopics} join ${articles} on ${articles.id} = ${articleTopics.articleId}
        where ${articleTopics.topicId} = any(${ids}::integer[])
          and ${articles.publishedAt} >= ${p.from}::timestamptz and ${articles.publishedAt} < ${p.to}::timestamptz
        group by 1, 2
      )
      select t.id as topic_id, extract(epoch from buckets.b)::float8 as start, coalesce(counts.n, 0)::integer as count
      from ${topics} t cross join buckets
      left join counts on counts.topic_id = t.id and counts.b = buckets.b
      where t.id = any(${ids}::integer[])
      order by t.id, buckets.b`,
  );
  return byParent(
    rows.map((r) => ({ parentId: Number(r.topic_id), start: fromEpoch(r.start)!, count: Number(r.count) })),
    ({ start, count }) => ({ start, count }),
  );
}

// ---------------------------------------------------------------------------------------------------------
// People by topic, topics by person, people beside people

/**
 * Rankings page by position: a cursor is the rank (1-based) of the last row seen, tagged with the ranking it
 * belongs to, so a cursor of one ranking cannot be replayed against another. A page after rank r of size n
 * is the rows ranked r + 1 to r + n, read in the same windowed query as the first page.
 */
export type RankingKind = 'spokespeople' | 'personTopics' | 'coMentioned';

export function encodeRankCursor(kind: RankingKind, rank: number): string {
  return Buffer.from(JSON.stringify(['r', kind, rank]), 'utf8').toString('base64url');
}

/** The rank the cursor stands for, or null when the text is not a cursor of this ranking. */
export function decodeRankCursor(kind: RankingKind, cursor: string): number | null {
  let tuple: unknown;
  try {
    tuple = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (!Array.isArray(tuple) || tuple.length !== 3 || tuple[0] !== 'r' || tuple[1] !== kind) return null;
  const rank: unknown = tuple[2];
  return Number.isSafeInteger(rank) && (rank as number) >= 0 ? (rank as number) : null;
}

/** `rn` within (offset, offset + limit]: one page of a ranking, `after` being the rank of the last row seen. */
const rankWindow = (rank: SQL.Aliased<number>, offset: number | null, limit: number) =>
  and(gt(rank, offset ?? 0), lte(rank, (offset ?? 0) + limit));

export interface SpokespersonRow {
  topicId: number;
  personId: number;
  quoteCount: number;
  articleCount: number;
  /** Position in the topic's ranking, from 1. */
  rank: number;
}

export interface PersonTopicRow {
  personId: number;
  topicId: number;
  quoteCount: number;
  articleCount: number;
  weight: number;
  /** Position in the person's ranking, from 1. */
  rank: number;
}

export interface CoMentionRow {
  personId: number;
  otherId: number;
  sharedArticleCount: number;
  lastSharedAt: Date | null;
  /** Position in the person's ranking, from 1. */
  rank: number;
}

/**
 * Loaders whose rows are people: keyed by topic (spokespeople) or by person (co-mentions). The ranking loaders
 * take `first` and `after` (a rank) and run one windowed query per batch of parents sharing them; the count
 * loaders one grouped query per batch.
 */
export function createPersonExploreLoaders(db: Db, primePerson: (row: PersonRow) => void) {
  const quoteSum = sql<number>`sum(${articlePeople.quoteCount})::integer`.mapWith(Number);
  const articleSum = sql<number>`count(*)::integer`.mapWith(Number);

  /** People quoted in the topic's stories: most quotes first, then most stories, then id. */
  const spokespeopleByTopicId = pagedLoader<number, SpokespersonRow>(async (topicIds, limit, after) => {
    const ranked = db
      .select({
        parentId: sql<number>`${articleTopics.topicId}`.mapWith(Number).as('owner_id'),
        personId: sql<number>`${articlePeople.personId}`.mapWith(Number).as('person_id'),
        quoteCount: quoteSum.as('quote_count'),
        articleCount: articleSum.as('article_count'),
        rn: rn(sql`sum(${articlePeople.quoteCount}) desc, count(*) desc, ${articlePeople.personId}`, sql`${articleTopics.topicId}`),
      })
      .from(articleTopics)
      .innerJoin(articlePeople, eq(articlePeople.articleId, articleTopics.articleId))
      .where(and(inArray(articleTopics.topicId, topicIds), sql`${articlePeople.quoteCount} > 0`))
      .groupBy(articleTopics.topicId, articlePeople.personId)
      .as('ranked');
    const rows = await db
      .select({
        parentId: ranked.parentId,
        personId: ranked.personId,
        quoteCount: ranked.quoteCount,
        articleCount: ranked.articleCount,
        rank: ranked.rn,
        person: people,
      })
      .from(ranked)
      .innerJoin(people, eq(people.id, ranked.personId))
      .where(rankWindow(ranked.rn, after, limit))
      .orderBy(ranked.parentId, ranked.rn);
    return rows.map(({ person, parentId, ...r }) => {
      primePerson(person);
      return { parentId, row: { topicId: parentId, ...r } };
    });
  });

  /** Size of each topic's spokespeople ranking: distinct people quoted in its stories. */
  const spokespersonCountByTopicId = countLoader<number>((topicIds) =>
    db
      .select({
        key: sql<number>`${articleTopics.topicId}`.mapWith(Number),
        count: sql<number>`count(distinct ${articlePeople.personId})::integer`.mapWith(Number),
      })
      .from(articleTopics)
      .innerJoin(articlePeople, eq(articlePeople.articleId, articleTopics.articleId))
      .where(and(inArray(articleTopics.topicId, topicIds), sql`${articlePeople.quoteCount} > 0`))
      .groupBy(articleTopics.topicId),
  );

  /** People named in the same stories as the person: most shared stories first, then most recent, then id. */
  const coMentionedByPersonId = pagedLoader<number, CoMentionRow>(async (personIds, limit, after) => {
    const other = alias(articlePeople, 'other');
    const ranked = db
      .select({
        parentId: sql<number>`${articlePeople.personId}`.mapWith(Number).as('owner_id'),
        otherId: sql<number>`${other.personId}`.mapWith(Number).as('other_id'),
        shared: articleSum.as('shared'),
        lastSharedAt: sql<number | null>`extract(epoch from max(${articles.publishedAt}))::float8`.as('last_shared_at'),
        rn: rn(
          sql`count(*) desc, max(${articles.publishedAt}) desc nulls last, ${other.personId}`,
          sql`${articlePeople.personId}`,
        ),
      })
      .from(articlePeople)
      .innerJoin(other, and(eq(other.articleId, articlePeople.articleId), ne(other.personId, articlePeople.personId)))
      .innerJoin(articles, eq(articles.id, articlePeople.articleId))
      .where(inArray(articlePeople.personId, personIds))
      .groupBy(articlePeople.personId, other.personId)
      .as('ranked');
    const rows = await db
      .select({
        parentId: ranked.parentId,
        otherId: ranked.otherId,
        shared: ranked.shared,
        lastSharedAt: ranked.lastSharedAt,
        rank: ranked.rn,
        person: people,
      })
      .from(ranked)
      .innerJoin(people, eq(people.id, ranked.otherId))
      .where(rankWindow(ranked.rn, after, limit))
      .orderBy(ranked.parentId, ranked.rn);
    return rows.map(({ person, ...r }) => {
      primePerson(person);
      return {
        parentId: r.parentId,
        row: {
          personId: r.parentId,
          otherId: r.otherId,
          sharedArticleCount: r.shared,
          lastSharedAt: fromEpoch(r.lastSharedAt),
          rank: r.rank,
        },
      };
    });
  });

  /** Size of each person's co-mention ranking: distinct other people named in their stories. */
  const coMentionedCountByPersonId = countLoader<number>((personIds) => {
    const other = alias(articlePeople, 'other');
    return db
      .select({
        key: sql<number>`${articlePeople.personId}`.mapWith(Number),
        count: sql<number>`count(distinct ${other.personId})::integer`.mapWith(Number),
      })
      .from(articlePeople)
      .innerJoin(other, and(eq(other.articleId, articlePeople.articleId), ne(other.personId, articlePeople.personId)))
      .where(inArray(articlePeople.personId, personIds))
      .groupBy(articlePeople.personId);
  });

  return { spokespeopleByTopicId, spokespersonCountByTopicId, coMentionedByPersonId, coMentionedCountByPersonId };
}

/** Loaders whose rows are topics: a topic's timeline, a person's topics and their count. */
export function createTopicExploreLoaders(db: Db, primeTopic: (row: TopicRow) => void) {
  const timelineByTopicId = paramLoader<TimelineParams, TimelineBucket[]>((ids, p) => timelines(db, ids, p), () => []);

  /**
   * Topics of the stories naming the person: most quotes by them first, then most stories, then the summed
   * topic scores of those stories, then id.
   */
  const topicsByPersonId = pagedLoader<number, PersonTopicRow>(async (personIds, limit, after) => {
    const ranked = db
      .select({
        parentId: sql<number>`${articlePeople.personId}`.mapWith(Number).as('owner_id'),
        topicId: sql<number>`${articleTopics.topicId}`.mapWith(Number).as('topic_id'),
        quoteCount: sql<number>`sum(${articlePeople.quoteCount})::integer`.mapWith(Number).as('quote_count'),
        articleCount: sql<number>`count(*)::integer`.mapWith(Number).as('article_count'),
        weight: sql<number>`sum(${articleTopics.score})::float8`.mapWith(Number).as('weight'),
        rn: rn(
          sql`sum(${articlePeople.quoteCount}) desc, count(*) desc, sum(${articleTopics.score}) desc, ${articleTopics.topicId}`,
          sql`${articlePeople.personId}`,
        ),
      })
      .from(articlePeople)
      .innerJoin(articleTopics, eq(articleTopics.articleId, articlePeople.articleId))
      .where(inArray(articlePeople.personId, personIds))
      .groupBy(articlePeople.personId, articleTopics.topicId)
      .as('ranked');
    const rows = await db
      .select({
        parentId: ranked.parentId,
        topicId: ranked.topicId,
        quoteCount: ranked.quoteCount,
        articleCount: ranked.articleCount,
        weight: ranked.weight,
        rank: ranked.rn,
        topic: topics,
      })
      .from(ranked)
      .innerJoin(topics, eq(topics.id, ranked.topicId))
      .where(rankWindow(ranked.rn, after, limit))
      .orderBy(ranked.parentId, ranked.rn);
    return rows.map(({ topic, parentId, ...r }) => {
      primeTopic(topic);
      return { parentId, row: { personId: parentId, ...r } };
    });
  });

  /** Size of each person's topic ranking: distinct topics of the stories naming them. */
  const topicCountByPersonId = countLoader<number>((personIds) =>
    db
      .select({
        key: sql<number>`${articlePeople.personId}`.mapWith(Number),
        count: sql<number>`count(distinct ${articleTopics.topicId})::integer`.mapWith(Number),
      })
      .from(articlePeople)
      .innerJoin(articleTopics, eq(articleTopics.articleId, articlePeople.articleId))
      .where(inArray(articlePeople.personId, personIds))
      .groupBy(articlePeople.personId),
  );

  return { timelineByTopicId, topicsByPersonId, topicCountByPersonId };
}

// ---------------------------------------------------------------------------------------------------------
// Trending topics

export interface TrendingParams {
  /** Window length in days. */
  days: number;
  first: number;
  /** End of the window (inclusive); null means the newest story's publication time. */
  at: Date | null;
}

export interface TrendingTopicRow {
  topicId: number;
  count: number;
  previousCount: number;
  growth: number;
}

export interface Trending {
  /** End of the current window; null when no story has a publication time. */
  at: Date | null;
  days: number;
  topics: TrendingTopicRow[];
}

/**
 * Topics with more stories in the window (at - days, at] than in the window before it, by smoothed growth
 * (count + 1) / (previousCount + 1), then by count, then id. Two statements at most: the default `at`, then
 * one grouped count over both windows.
 */
export async function trendingTopics(db: Db, primeTopic: (row: TopicRow) => void, p: TrendingParams): Promise<Trending> {
  let at = p.at;
  if (at === null) {
    const [latest] = await db
      .select({ at: sql<Date | null>`extract(epoch from max(${articles.publishedAt}))::float8`.mapWith(fromEpoch) })
      .from(articles);
    at = latest?.at ?? null;
  }
  if (at === null) return { at: null, days: p.days, topics: [] };
  const end = sql`${at.toISOString()}::timestamptz`;
  const span = sql`make_interval(days => ${p.days}::integer)`;
  const current = sql`${articles.publishedAt} > ${end} - ${span}`;
  const count = sql<number>`(count(*) filter (where ${current}))::integer`.mapWith(Number);
  const previous = sql<number>`(count(*) filter (where not (${current})))::integer`.mapWith(Number);
  const growth = sql<number>`((count(*) filter (where ${current})) + 1)::float8 / ((count(*) filter (where not (${current}))) + 1)`;
  const rows = await db
    .select({
      topic: topics,
      count: count.as('count'),
      previousCount: previous.as('previous_count'),
      growth: growth.mapWith(Number).as('growth'),
    })
    .from(articleTopics)
    .innerJoin(articles, eq(articles.id, articleTopics.articleId))
    .innerJoin(topics, eq(topics.id, articleTopics.topicId))
    .where(and(sql`${articles.publishedAt} > ${end} - 2 * ${span}`, sql`${articles.publishedAt} <= ${end}`))
    .groupBy(topics.id)
    .having(sql`(count(*) filter (where ${current})) > (count(*) filter (where not (${current})))`)
    .orderBy(desc(growth), sql`count(*) filter (where ${current}) desc`, topics.id)
    .limit(p.first);
  return {
    at,
    days: p.days,
    topics: rows.map(({ topic, ...r }) => {
      primeTopic(topic);
      return { topicId: topic.id, ...r };
    }),
  };
}
