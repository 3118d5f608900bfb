import { eq, getTableColumns, inArray, sql, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Db } from '../db/client.js';
import { arrayLiteral, rowsOf } from '../db/rows.js';
import {
  articleEntities,
  articleEvents,
  articlePeople,
  articleTerms,
  articles,
  articleTopics,
  entities,
  events,
  pageLinks,
  people,
  quotes,
  relatedArticles,
  sources,
  topics,
} from '../db/schema.js';
import type { Profile } from '../graph/relate.js';
import { termSignature } from '../graph/terms.js';
import { contentHash, headlineKey } from './normalize.js';
import { storePeople } from './store-people.js';
import { bodyOf, type Extraction, type ParsedDocument } from './types.js';

export type StoreStatus = 'created' | 'unchanged' | 'updated';

export interface StoreResult {
  status: StoreStatus;
  articleId: number;
  /** What relate needs to know of the stored article, in database ids; absent when nothing was written. */
  profile?: Profile;
}

/** A parsed and extracted page to store. */
export interface StorePage {
  raw: string;
  doc: ParsedDocument;
  extraction: Extraction;
}

/**
 * storeArticles met a page whose URL names a stored article but whose content is new: such a page replaces
 * that article and goes through storeArticle. What the run wrote is not to be kept: the caller rolls back.
 */
export class UrlTaken extends Error {
  constructor(readonly index: number) {
    super('a page of the run replaces a stored article');
  }
}

function articleValues(page: StorePage, sourceId: number | null) {
  const { raw, doc } = page;
  const body = bodyOf(doc);
  return {
    url: doc.url,
    headline: doc.headline,
    headlineKey: headlineKey(doc.headline),
    body,
    paragraphs: doc.paragraphs,
    publishedAt: doc.publishedAt,
    datelinePlace: doc.dateline?.place ?? null,
    datelineDate: doc.dateline?.date ?? null,
    datelineAgency: doc.dateline?.agency ?? null,
    sourceId,
    editors: doc.editors,
    authors: doc.authors ?? [],
    duplicateOf: null,
    storylineId: null,
    language: doc.language,
    format: doc.format,
    contentHash: contentHash(raw),
    raw,
    terms: termSignature(doc.headline, body),
  };
}

/**
 * Writes one parsed and extracted article with everything hanging off it. The caller runs it inside a
 * transaction. The content hash makes a re-ingest of the same page a no-op; the same URL with new content
 * replaces the stored version in place, so the article keeps its id.
 */
export async function storeArticle(
  tx: Db,
  raw: string,
  doc: ParsedDocument,
  extraction: Extraction,
): Promise<StoreResult> {
  const page = { raw, doc, extraction };
  const sourceId = doc.source ? (await sourceIds(tx, [doc.source])).get(doc.source)! : null;
  const values = articleValues(page, sourceId);
  const hash = values.contentHash;

  const inserted = await tx
    .insert(articles)
    .values(values)
    .onConflictDoNothing()
    .returning({ id: articles.id });
  let articleId = inserted[0]?.id;
  let status: StoreStatus = 'created';
  if (articleId === undefined) {
    const [sameContent] = await tx.select({ id: articles.id }).from(articles).where(eq(articles.contentHash, hash));
    if (sameContent) return { status: 'unchanged', articleId: sameContent.id };
    if (!doc.url) throw new Error('article insert conflicted without a matching content hash or URL');
    const [sameUrl] = await tx.select({ id: articles.id }).from(articles).where(eq(articles.url, doc.url));
    if (!sameUrl) throw new Error('article insert conflicted without a matching content hash or URL');
    articleId = sameUrl.id;
    status = 'updated';
    await tx.update(articles).set({ ...values, ingestedAt: new Date() }).where(eq(articles.id, articleId));
    // The old version's facts go, and so does every place where other stories point at the old text:
    // their related lists and their near-duplicate marks are recomputed when those stories are re-related.
    await Promise.all([
      ...[articlePeople, quotes, articleTopics, articleEvents, articleEntities, pageLinks, articleTerms].map((table) =>
        tx.delete(table).where(eq(table.articleId, articleId!)),
      ),
      tx.delete(relatedArticles).where(eq(relatedArticles.relatedId, articleId)),
      tx.update(articles).set({ duplicateOf: null }).where(eq(articles.duplicateOf, articleId)),
    ]);
  }
  const [profile] = await writeFacts(tx, [{ articleId, page, terms: values.terms }]);
  return { status, articleId, profile };
}

/**
 * storeArticle for a run of new pages, in order, with a fixed number of statements for the run besides the
 * people's: the articles go in with one statement, and every table hanging off them with one more each. What
 * it writes, and the ids it hands out, are what storing the pages one after another would give. A page
 * whose content is already stored (or comes earlier in the run) is `unchanged`; one whose URL names a stored
 * article throws UrlTaken, as the run must then be stored again with that page replacing it.
 */
export async function storeArticles(tx: Db, pages: StorePage[]): Promise<StoreResult[]> {
  if (pages.length === 0) return [];
  const names = [...new Set(pages.flatMap((p) => (p.doc.source ? [p.doc.source] : [])))];
  const sourceIdOf = names.length > 0 ? await sourceIds(tx, names) : new Map<string, number>();
  const values = pages.map((p) => articleValues(p, p.doc.source ? sourceIdOf.get(p.doc.source)! : null));
  const inserted: { id: number; content_hash: string }[] = [];
  for (const chunk of chunksOf(values, (v) => v.raw.length + 2 * v.body.length, ARTICLES_PER_STATEMENT_CHARS)) {
    inserted.push(...(await rowsOf<{ id: number; content_hash: string }>(tx, insertRows(articles, chunk, sql`on conflict do nothing returning id, content_hash`))));
  }
  // Rows go in in page order, so of pages with one content the first is the one inserted.
  const created = new Map(inserted.map((r) => [r.content_hash, Number(r.id)]));
  const missing = [...new Set(values.filter((v) => !created.has(v.contentHash)).map((v) => v.contentHash))];
  const stored = missing.length
    ? await rowsOf<{ id: number; content_hash: string }>(
        tx,
        sql`select id, content_hash from ${articles} where content_hash = any(${arrayLiteral(missing)}::text[])`,
      )
    : [];
  const unchanged = new Map(stored.map((r) => [r.content_hash, Number(r.id)]));
  const results: StoreResult[] = [];
  const facts: Fact[] = [];
  values.forEach((v, i) => {
    const id = created.get(v.contentHash);
    if (id !== undefined) {
      created.delete(v.contentHash);
      unchanged.set(v.contentHash, id);
      results.push({ status: 'created', articleId: id });
      facts.push({ articleId: id, page: pages[i]!, terms: v.terms });
      return;
    }
    const same = unchanged.get(v.contentHash);
    if (same === undefined) throw new UrlTaken(i);
    results.push({ status: 'unchanged', articleId: same });
  });
  const profiles = await writeFacts(tx, facts);
  let next = 0;
  return results.map((r) => (r.status === 'created' ? { ...r, profile: profiles[next++]! } : r));
}

/**
 * Text per articles INSERT (raw, body and paragraphs travel in one JSON document): far below jsonb's 256 MB
 * however large the pages of a batch, which go in several statements, in order, when they are large.
 */
const ARTICLES_PER_STATEMENT_CHARS = 16 * 1024 * 1024;

/** Consecutive runs of `items` whose sizes add up to at most `limit` (an item larger than that on its own). */
function chunksOf<T>(items: T[], size: (item: T) => number, limit: number): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let total = 0;
  for (const item of items) {
    const n = size(item);
    if (current.length > 0 && total + n > limit) {
      chunks.push(current);
      current = [];
      total = 0;
    }
    current.push(item);
    total += n;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

interface Fact {
  articleId: number;
  page: StorePage;
  terms: string[];
}

/**
 * Rows of any number of articles in one INSERT, sent as a single JSON parameter and expanded in the order
 * given (so identity columns count up as one insert per row would): neither the statement nor its
 * parameters grow with the rows. Keys are the table's property names.
 */
function insertRows(table: PgTable, rows: Record<string, unknown>[], tail = sql``): SQL {
  const columns = getTableColumns(table);
  const keys = Object.keys(rows[0]!);
  const names = keys.map((k) => columns[k]!.name);
  const json = JSON.stringify(
    rows.map((r) => Object.fromEntries(keys.map((k, i) => [names[i], r[k] ?? null]))),
    // The drivers send a lone surrogate as U+FFFD (UTF-8 encoding); jsonb would refuse its \u escape.
    (_key, value: unknown) => (typeof value === 'string' && LONE_SURROGATE.test(value) ? value.replace(LONE_SURROGATES, '\uFFFD') : value),
  );
  const list = sql.join(
    names.map((n) => sql.identifier(n)),
    sql`, `,
  );
  return sql`insert into ${table} (${list}) select ${list} from jsonb_populate_recordset(null::${table}, ${json}::jsonb) ${tail}`;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, 'g');

/**
 * Everything hanging off just-written articles (terms, people, quotes, topics, events, organizations and
 * places, page links), in article order: one statement per table for all of them, except for people, which
 * are resolved article after article because each article's people may be the ones an earlier one named.
 * Returns each article's profile for relating.
 */
async function writeFacts(tx: Db, facts: Fact[]): Promise<Profile[]> {
  if (facts.length === 0) return [];
  const profiles = facts.map(
    ({ articleId, terms }): Profile => ({ id: articleId, terms, duplicateOf: null, topics: new Map(), people: new Set(), events: new Set() }),
  );

  const writeTerms = async () => {
    const termRows = facts.flatMap((f) => [...new Set(f.terms)].map((term) => ({ term, articleId: f.articleId })));
    if (termRows.length === 0) return;
    await tx.execute(sql`
      insert into ${articleTerms} (term, article_id)
      select * from unnest(${arrayLiteral(termRows.map((r) => r.term))}::text[], ${arrayLiteral(termRows.map((r) => r.articleId))}::int[])`);
  };

  const writePeopleAndQuotes = async () => {
    const personIdsOf = await storePeople(
      tx,
      facts.map((f) => ({ articleId: f.articleId, extraction: f.page.extraction })),
    );
    // In the order the story names them, whatever order the database returned the people in: the first few
    // shared ones label a relation.
    facts.forEach(({ page }, i) => {
      for (const p of page.extraction.people) profiles[i]!.people.add(personIdsOf[i]!.get(p.key)!);
    });
    const quoteRows = facts.flatMap(({ articleId, page }, i) =>
      page.extraction.quotes.map((q) => ({
        articleId,
        speakerId: q.speakerKey ? (personIdsOf[i]!.get(q.speakerKey) ?? null) : null,
        text: q.text,
        kind: q.kind,
        start: q.start,
        end: q.end,
        cue: q.cue,
      })),
    );
    if (quoteRows.length > 0) await tx.execute(insertRows(quotes, quoteRows));
  };

  const writeTopics = async () => {
    const slugs = [...new Set(facts.flatMap((f) => f.page.extraction.topics.map((t) => t.slug)))];
    if (slugs.length === 0) return;
    const topicRows = await tx.select({ id: topics.id, slug: topics.slug }).from(topics).where(inArray(topics.slug, slugs));
    const topicIds = new Map(topicRows.map((t) => [t.slug, t.id]));
    const rows = facts.flatMap(({ articleId, page }, i) =>
      page.extraction.topics
        .filter((t) => topicIds.has(t.slug))
        .map((t) => {
          const topicId = topicIds.get(t.slug)!;
          profiles[i]!.topics.set(topicId, t.score);
          return { articleId, topicId, score: t.score };
        }),
    );
    if (rows.length > 0) await tx.execute(insertRows(articleTopics, rows));
  };

  // Events, organizations and places new to the database get their ids in the order one-by-one storing
  // would give them: article by article, each article's new keys sorted.
  const writeEvents = async () => {
    const eventsOf = facts.map((f) =>
      [...new Map(f.page.extraction.events.map((e) => [e.key, e])).values()].sort((a, b) => (a.key < b.key ? -1 : 1)),
    );
    const eventNames = new Map<string, string>();
    for (const list of eventsOf) for (const e of list) if (!eventNames.has(e.key)) eventNames.set(e.key, e.name);
    if (eventNames.size === 0) return;
    const eventIds = await idsByKey(
      tx,
      (keys) => tx.select({ id: events.id, key: events.key }).from(events).where(inArray(events.key, keys)),
      (keys) => rowsOf(tx, insertRows(events, keys.map((key) => ({ key, name: eventNames.get(key)! })), sql`on conflict do nothing returning id, key`)),
      [...eventNames.keys()],
      { keepOrder: true },
    );
    eventsOf.forEach((list, i) => {
      for (const id of list.map((e) => eventIds.get(e.key)!).sort((a, b) => a - b)) profiles[i]!.events.add(id);
    });
    await tx.execute(
      insertRows(
        articleEvents,
        facts.flatMap(({ articleId }, i) =>
          eventsOf[i]!.map((e) => ({ articleId, eventId: eventIds.get(e.key)!, start: e.mentions[0]?.start ?? 0, end: e.mentions[0]?.end ?? 0 })),
        ),
      ),
    );
  };

  const writeEntities = async () => {
    const entityKey = (kind: string, key: string) => `${kind}\u0000${key}`;
    const entityNames = new Map<string, { kind: EntityKind; key: string; name: string }>();
    const mentioned = facts.map(({ page }) =>
      ENTITY_KINDS.map(([kind, field]) => {
        const list = page.extraction[field];
        const names = new Map(list.map((e) => [e.key, e.name]));
        for (const key of [...names.keys()].sort()) {
          const k = entityKey(kind, key);
          if (!entityNames.has(k)) entityNames.set(k, { kind, key, name: names.get(key)! });
        }
        return { kind, list: [...new Map(list.map((e) => [e.key, e])).values()] };
      }),
    );
    if (entityNames.size === 0) return;
    const byKey = (rows: { id: number; kind: string; key: string }[]) => rows.map((r) => ({ id: Number(r.id), key: entityKey(r.kind, r.key) }));
    const find = async (keys: string[]) => {
      const wanted = keys.map((k) => entityNames.get(k)!);
      return byKey(
        await rowsOf(
          tx,
          sql`select e.id, e.kind, e.key from ${entities} e
              join unnest(${arrayLiteral(wanted.map((w) => w.kind))}::entity_kind[], ${arrayLiteral(wanted.map((w) => w.key))}::text[]) as w(kind, key)
                on e.kind = w.kind and e.key = w.key`,
        ),
      );
    };
    const entityIds = await idsByKey(
      tx,
      find,
      async (keys) => byKey(await rowsOf(tx, insertRows(entities, keys.map((k) => entityNames.get(k)!), sql`on conflict do nothing returning id, kind, key`))),
      [...entityNames.keys()],
      { keepOrder: true },
    );
    await tx.execute(
      insertRows(
        articleEntities,
        facts.flatMap(({ articleId }, i) =>
          mentioned[i]!.flatMap(({ kind, list }) =>
            list.map((e) => ({
              articleId,
              entityId: entityIds.get(entityKey(kind, e.key))!,
              mentionCount: e.mentions.length,
              firstMention: e.mentions[0]?.start ?? 0,
            })),
          ),
        ),
      ),
    );
  };

  const writeLinks = async () => {
    const linkRows = facts.flatMap(({ articleId, page }) =>
      page.doc.pageLinks.map((l) => ({ articleId, list: l.list, position: l.position, headline: l.headline, headlineKey: headlineKey(l.headline) })),
    );
    if (linkRows.length > 0) await tx.execute(insertRows(pageLinks, linkRows));
  };

  // Independent of each other, so their statements go out together (on the one connection, in this order):
  // PostgreSQL works through one while the next is built, with no round trip in between.
  await Promise.all([writeTerms(), writePeopleAndQuotes(), writeTopics(), writeEvents(), writeEntities(), writeLinks()]);
  return profiles;
}

type EntityKind = (typeof entities.$inferInsert)['kind'];
const ENTITY_KINDS = [
  ['ORGANIZATION', 'organizations'],
  ['PLACE', 'places'],
] as const satisfies readonly (readonly [EntityKind, 'organizations' | 'places'])[];

/**
 * Ids for names that may already exist, without locking the existing rows: concurrent ingests share
 * sources, people and events all the time, and an upsert that rewrites the row would make them queue.
 */
async function idsByKey(
  tx: Db,
  find: (keys: string[]) => Promise<{ id: number; key: string }[]>,
  insert: (keys: string[]) => Promise<{ id: number; key: string }[]>,
  keys: string[],
  options: { keepOrder?: boolean } = {},
): Promise<Map<string, number>> {
  const ids = new Map((await find(keys)).map((r) => [r.key, r.id]));
  // New rows go in in key order (or the order given), so concurrent ingests lock them in the same order.
  const missing = keys.filter((k) => !ids.has(k));
  if (!options.keepOrder) missing.sort();
  if (missing.length === 0) return ids;
  for (const r of await insert(missing)) ids.set(r.key, r.id);
  // Rows another transaction inserted in the meantime: DO NOTHING returned nothing for them.
  const raced = missing.filter((k) => !ids.has(k));
  if (raced.length) for (const r of await find(raced)) ids.set(r.key, r.id);
  return ids;
}

/** Ids of sources by name; new ones are created in the order given. */
async function sourceIds(tx: Db, names: string[]): Promise<Map<string, number>> {
  return idsByKey(
    tx,
    (keys) => tx.select({ id: sources.id, key: sources.name }).from(sources).where(inArray(sources.name, keys)),
    (keys) =>
      tx
        .insert(sources)
        .values(keys.map((k) => ({ name: k })))
        .onConflictDoNothing()
        .returning({ id: sources.id, key: sources.name }),
    names,
    { keepOrder: true },
  );
}

export type MergePeopleResult =
  | { status: 'merged'; person: typeof people.$inferSelect }
  | { status: 'missing'; missing: Array<'keep' | 'merge'> };

/**
 * Folds person `mergeId` into `keepId` in one transaction: every story mention moves to `keep` (where both
 * are named in one story, their mention and quote counts add up, the first mention is the earlier one, and
 * keep's stated role stays unless it states none), every quote's speaker becomes `keep`, merge's name,
 * aliases and keys become keep's aliases and merged keys, and `merge` is deleted. Later stories naming the
 * merged key land on `keep` (see upsertPeople).
 */
export async function mergePeople(db: Db, keepId: number, mergeId: number): Promise<MergePeopleResult> {
  if (keepId === mergeId) throw new Error('mergePeople: a person cannot be merged into itself');
  return db.transaction(async (trx) => {
    const tx = trx as unknown as Db;
    const rows = await tx
      .select()
      .from(people)
      .where(inArray(people.id, [keepId, mergeId]))
      .orderBy(people.id)
      .for('update');
    const keep = rows.find((r) => r.id === keepId);
    const merge = rows.find((r) => r.id === mergeId);
    if (!keep || !merge) {
      return { status: 'missing', missing: [...(keep ? [] : ['keep' as const]), ...(merge ? [] : ['merge' as const])] };
    }
    await tx.execute(sql`
      update ${articlePeople} as k set
        mention_count = k.mention_count + m.mention_count,
        first_mention = least(k.first_mention, m.first_mention),
        quote_count = k.quote_count + m.quote_count,
        role = case when k.role is null and k.role_title is null then m.role else k.role end,
        role_title = case when k.role is null and k.role_title is null then m.role_title else k.role_title end,
        role_organization = case when k.role is null and k.role_title is null then m.role_organization else k.role_organization end
      from ${articlePeople} as m
      where k.person_id = ${keepId} and m.person_id = ${mergeId} and m.article_id = k.article_id`);
    await tx.execute(sql`
      delete from ${articlePeople} as m using ${articlePeople} as k
      where m.person_id = ${mergeId} and k.person_id = ${keepId} and k.article_id = m.article_id`);
    await tx.update(articlePeople).set({ personId: keepId }).where(eq(articlePeople.personId, mergeId));
    await tx.update(quotes).set({ speakerId: keepId }).where(eq(quotes.speakerId, mergeId));
    await tx.delete(people).where(eq(people.id, mergeId));
    const aliases = [...new Set([...keep.aliases, ...merge.aliases, merge.name])].filter((a) => a !== keep.name).sort();
    const mergedKeys = [...new Set([...keep.mergedKeys, ...merge.mergedKeys, merge.key])].filter((k) => k !== keep.key).sort();
    const [person] = await tx.update(people).set({ aliases, mergedKeys }).where(eq(people.id, keepId)).returning();
    return { status: 'merged', person: person! };
  });
}
