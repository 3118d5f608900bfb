/**
 * Full-text search over `articles.search` (a generated tsvector: headline weight A, body weight B, english
 * configuration, GIN-indexed). A search is one keyset page query, plus one statement for each of `totalCount`,
 * the topic, person and month facets and the snippets, each run only when the client selects it. The number of
 * statements therefore never depends on the page size.
 */
import { and, asc, count, desc, eq, inArray, isNotNull, sql, type Placeholder, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { articlePeople, articles, articleTopics, people, sources, topics } from '../db/schema.js';
import { articleColumns, type ArticleRow } from './articles.js';
import type { Loaders } from './index.js';
import { articleConditions, type ArticleListFilter } from './lists.js';
import { executeOnServer, preparedFor } from './prepared.js';
import type { PersonRow } from './people.js';
import type { TopicRow } from './topics.js';
import { BatchLoader, groupBy, type Page } from './util.js';

/** Text-search configuration of the generated `articles.search` column: queries must use the same one. */
const CONFIG = sql.raw(`'english'::regconfig`);

export interface SearchFilter extends Pick<ArticleListFilter, 'topicId' | 'personId' | 'from' | 'to'> {
  /** Publication name, compared case-insensitively. */
  sourceName?: string;
}

export interface SearchRequest {
  /** websearch_to_tsquery syntax: words, "quoted phrases", OR, -term. */
  text: string;
  filter: SearchFilter;
}

/** Search results: (rank desc, id desc). */
export interface SearchCursor {
  rank: number;
  id: number;
}

export type SearchHit = ArticleRow & { rank: number };

export interface FacetCount<T> {
  value: T;
  count: number;
}

function tsquery(text: string | Placeholder): SQL {
  return sql`websearch_to_tsquery(${CONFIG}, ${text})`;
}

/** ts_rank with normalization 32 (rank / (rank + 1)): in [0, 1), higher is better; cast so cursors round-trip exactly. */
function rankOf(text: string | Placeholder): SQL<number> {
  return sql<number>`ts_rank(${articles.search}, ${tsquery(text)}, 32)::float8`;
}

/** Every condition a matching article meets: the text query and the filters. */
function matching(req: SearchRequest): SQL {
  const { sourceName, ...rest } = req.filter;
  const conds = [sql`${articles.search} @@ ${tsquery(req.text)}`, ...articleConditions(rest)];
  if (sourceName !== undefined) {
    conds.push(
      sql`${articles.sourceId} in (select ${sources.id} from ${sources} where lower(${sources.name}) = lower(${sourceName}))`,
    );
  }
  return and(...conds)!;
}

/** Ids of the whole result set, as a subquery for counts and facets. */
function matchingIds(db: Db, req: SearchRequest) {
  return db.select({ id: articles.id }).from(articles).where(matching(req));
}

function unfiltered(filter: SearchFilter): boolean {
  return Object.values(filter).every((v) => v === undefined);
}

// A search with no filter and no cursor, the common one, runs statements built once per database (as the loaders'
// are, loaders/prepared.ts): building a search statement with Drizzle cost about a seventh of a request's CPU.
const text = sql.placeholder('text');
const firstPage = (db: Db) =>
  db
    .select({ ...articleColumns, rank: rankOf(text).mapWith(Number) })
    .from(articles)
    .where(sql`${articles.search} @@ ${tsquery(text)}`)
    .orderBy(desc(rankOf(text)), desc(articles.id))
    .limit(sql.placeholder('limit'))
    .prepare('searchFirstPage');
const countAll = (db: Db) =>
  db.select({ n: count() }).from(articles).where(sql`${articles.search} @@ ${tsquery(text)}`).prepare('searchCountAll');

/** The page statement for any filters and cursor. */
function pageOf(db: Db, req: SearchRequest, first: number, after: SearchCursor | null) {
  const rank = rankOf(req.text);
  return db
    .select({ ...articleColumns, rank: rank.mapWith(Number) })
    .from(articles)
    .where(and(matching(req), after ? sql`(${rank}, ${articles.id}) < (${after.rank}::float8, ${after.id}::integer)` : undefined))
    .orderBy(desc(rank), desc(articles.id))
    .limit(first + 1)
    .prepare('searchPage');
}

/** One page of hits, best first; the articles are primed into `articleById`. */
export async function searchPage(
  db: Db,
  loaders: Loaders,
  req: SearchRequest,
  first: number,
  after: SearchCursor | null,
): Promise<Page<SearchHit>> {
  const rows =
    after === null && unfiltered(req.filter)
      ? await preparedFor(db, 'searchFirstPage', firstPage).execute({ text: req.text, limit: first + 1 })
      : await executeOnServer(db, pageOf(db, req, first, after));
  loaders.primeArticles(rows.map(({ rank: _rank, ...article }) => article));
  return { rows: rows.slice(0, first), hasNextPage: rows.length > first };
}

export async function searchCount(db: Db, req: SearchRequest): Promise<number> {
  const rows = unfiltered(req.filter)
    ? await preparedFor(db, 'searchCountAll', countAll).execute({ text: req.text })
    : await executeOnServer(db, db.select({ n: count() }).from(articles).where(matching(req)).prepare('searchCount'));
  return rows[0]?.n ?? 0;
}

/** Topics over the whole result set, most matching articles first (then by slug); Topic rows primed. */
export async function topicFacet(db: Db, loaders: Loaders, req: SearchRequest, limit: number): Promise<FacetCount<TopicRow>[]> {
  const n = count();
  const rows = await db
    .select({ topic: topics, count: n })
    .from(articleTopics)
    .innerJoin(topics, eq(topics.id, articleTopics.topicId))
    .where(inArray(articleTopics.articleId, matchingIds(db, req)))
    .groupBy(topics.id)
    .orderBy(desc(n), asc(topics.slug))
    .limit(limit);
  return rows.map((r) => {
    loaders.primeTopic(r.topic);
    return { value: r.topic, count: r.count };
  });
}

/** People named in the result set, most matching articles first (then by name); Person rows primed. */
export async function personFacet(db: Db, loaders: Loaders, req: SearchRequest, limit: number): Promise<FacetCount<PersonRow>[]> {
  const n = count();
  const rows = await db
    .select({ person: people, count: n })
    .from(articlePeople)
    .innerJoin(people, eq(people.id, articlePeople.personId))
    .where(inArray(articlePeople.articleId, matchingIds(db, req)))
    .groupBy(people.id)
    .orderBy(desc(n), asc(people.name), asc(people.id))
    .limit(limit);
  return rows.map((r) => {
    loaders.personById.prime(r.person.id, r.person);
    return { value: r.person, count: r.count };
  });
}

/** Publication months (UTC, "YYYY-MM") of the dated articles in the result set, busiest first (then oldest). */
export async function monthFacet(db: Db, req: SearchRequest, limit: number): Promise<FacetCount<string>[]> {
  const month = sql<string>`to_char(${articles.publishedAt} at time zone 'UTC', 'YYYY-MM')`;
  const n = count();
  const rows = await db
    .select({ month, count: n })
    .from(articles)
    .where(and(matching(req), isNotNull(articles.publishedAt)))
    .groupBy(month)
    .orderBy(desc(n), asc(month))
    .limit(limit);
  return rows.map((r) => ({ value: r.month, count: r.count }));
}

/** Highlight markers and fragment limits of a snippet. */
export interface SnippetOptions {
  startSel: string;
  stopSel: string;
}

export const SNIPPET_MAX_FRAGMENTS = 2;
export const SNIPPET_MAX_WORDS = 30;
export const SNIPPET_FRAGMENT_DELIMITER = ' … ';

/** Characters a marker may not contain: they would end or quote a ts_headline option. */
export const SNIPPET_MARKER = /^[^\s,"'=\\]{1,20}$/;

function headlineOptions(o: SnippetOptions): string {
  return [
    `StartSel=${o.startSel}`,
    `StopSel=${o.stopSel}`,
    `MaxFragments=${SNIPPET_MAX_FRAGMENTS}`,
    `MaxWords=${SNIPPET_MAX_WORDS}`,
    `MinWords=10`,
    `FragmentDelimiter="${SNIPPET_FRAGMENT_DELIMITER}"`,
  ].join(', ');
}

interface SnippetKey extends SnippetOptions {
  articleId: number;
  text: string;
}

/**
 * `ts_headline` over the body of each hit: one statement per batch (per query text and markers), and only when a
 * client selects `snippet`, so pages that do not show snippets never pay for them.
 */
export function createSearchLoaders(db: Db) {
  const keyOf = (k: SnippetKey) => JSON.stringify([k.articleId, k.text, k.startSel, k.stopSel]);
  const searchSnippet = new BatchLoader<SnippetKey, string, string>(
    async (keys) => {
      const groups = groupBy(keys, (k) => JSON.stringify([k.text, k.startSel, k.stopSel]));
      const out = new Map<string, string>();
      await Promise.all(
        [...groups.values()].map(async (group) => {
          const { text, startSel, stopSel } = group[0]!;
          const rows = await db
            .select({
              id: articles.id,
              snippet: sql<string>`ts_headline(${CONFIG}, ${articles.body}, ${tsquery(text)}, ${headlineOptions({ startSel, stopSel })})`,
            })
            .from(articles)
            .where(inArray(articles.id, [...new Set(group.map((k) => k.articleId))]));
          const byId = new Map(rows.map((r) => [r.id, r.snippet]));
          for (const k of group) out.set(keyOf(k), byId.get(k.articleId) ?? '');
        }),
      );
      return keys.map((k) => out.get(keyOf(k)) ?? '');
    },
    { cacheKeyFn: keyOf },
  );
  return { searchSnippet };
}

/** Same encoding as the other cursors (loaders/cursor.ts), tagged "s"; the rank is a float, so it lives here. */
export function encodeSearchCursor(c: SearchCursor): string {
  return Buffer.from(JSON.stringify(['s', c.rank, c.id]), 'utf8').toString('base64url');
}

/** The cursor's sort key, or null when the text is not a search cursor. */
export function decodeSearchCursor(cursor: string): SearchCursor | null {
  let tuple: unknown;
  try {
    tuple = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (!Array.isArray(tuple) || tuple.length !== 3 || tuple[0] !== 's') return null;
  const [, rank, id] = tuple as [unknown, unknown, unknown];
  if (typeof rank !== 'number' || !Number.isFinite(rank) || !(Number.isSafeInteger(id) && (id as number) > 0)) return null;
  return { rank, id: id as number };
}
