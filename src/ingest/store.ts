import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
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
import { bodyOf, type Extraction, type ParsedDocument } from './types.js';

export type StoreStatus = 'created' | 'unchanged' | 'updated';

export interface StoreResult {
  status: StoreStatus;
  articleId: number;
  /** What relate needs to know of the stored article, in database ids; absent when nothing was written. */
  profile?: Profile;
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
  const hash = contentHash(raw);
  const body = bodyOf(doc);

  const sourceId = doc.source ? await upsertSource(tx, doc.source) : null;
  const values = {
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
    contentHash: hash,
    raw,
    terms: termSignature(doc.headline, body),
  };

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

  // Rows are written in key order so concurrent ingests that share people or events lock them in the same order.
  if (values.terms.length > 0) {
    await tx.insert(articleTerms).values([...new Set(values.terms)].map((term) => ({ term, articleId: articleId! })));
  }

  const personIds = await upsertPeople(tx, extraction);
  const profile: Profile = {
    id: articleId,
    terms: values.terms,
    duplicateOf: null,
    topics: new Map(),
    people: new Set(personIds.values()),
    events: new Set(),
  };
  if (extraction.people.length > 0) {
    const quoteCounts = new Map<string, number>();
    for (const q of extraction.quotes) {
      if (q.speakerKey) quoteCounts.set(q.speakerKey, (quoteCounts.get(q.speakerKey) ?? 0) + 1);
    }
    await tx.insert(articlePeople).values(
      [...new Map(extraction.people.map((p) => [p.key, p])).values()].map((p) => ({
        articleId: articleId!,
        personId: personIds.get(p.key)!,
        role: p.role?.text ?? null,
        roleTitle: p.role?.title ?? null,
        roleOrganization: p.role?.organization ?? null,
        mentionCount: p.mentions.length,
        firstMention: Math.min(...p.mentions.map((m) => m.start), Number.MAX_SAFE_INTEGER),
        quoteCount: quoteCounts.get(p.key) ?? 0,
      })),
    );
  }

  if (extraction.quotes.length > 0) {
    await tx.insert(quotes).values(
      extraction.quotes.map((q) => ({
        articleId: articleId!,
        speakerId: q.speakerKey ? (personIds.get(q.speakerKey) ?? null) : null,
        text: q.text,
        kind: q.kind,
        start: q.start,
        end: q.end,
        cue: q.cue,
      })),
    );
  }

  if (extraction.topics.length > 0) {
    const slugs = extraction.topics.map((t) => t.slug);
    const topicRows = await tx.select({ id: topics.id, slug: topics.slug }).from(topics).where(inArray(topics.slug, slugs));
    const topicIds = new Map(topicRows.map((t) => [t.slug, t.id]));
    const rows = extraction.topics
      .filter((t) => topicIds.has(t.slug))
      .map((t) => ({ articleId: articleId!, topicId: topicIds.get(t.slug)!, score: t.score }));
    for (const r of rows) profile.topics.set(r.topicId, r.score);
    if (rows.length) await tx.insert(articleTopics).values(rows);
  }

  if (extraction.events.length > 0) {
    const unique = [...new Map(extraction.events.map((e) => [e.key, e])).values()].sort((a, b) => (a.key < b.key ? -1 : 1));
    const names = new Map(unique.map((e) => [e.key, e.name]));
    const eventIds = await idsByKey(
      tx,
      (keys) => tx.select({ id: events.id, key: events.key }).from(events).where(inArray(events.key, keys)),
      (keys) =>
        tx
          .insert(events)
          .values(keys.map((k) => ({ key: k, name: names.get(k)! })))
          .onConflictDoNothing()
          .returning({ id: events.id, key: events.key }),
      unique.map((e) => e.key),
    );
    for (const id of eventIds.values()) profile.events.add(id);
    await tx.insert(articleEvents).values(
      unique.map((e) => ({
        articleId: articleId!,
        eventId: eventIds.get(e.key)!,
        start: e.mentions[0]?.start ?? 0,
        end: e.mentions[0]?.end ?? 0,
      })),
    );
  }

  for (const [kind, list] of [
    ['ORGANIZATION', extraction.organizations],
    ['PLACE', extraction.places],
  ] as const) {
    if (list.length === 0) continue;
    const names = new Map(list.map((e) => [e.key, e.name]));
    const ids = await idsByKey(
      tx,
      (keys) =>
        tx
          .select({ id: entities.id, key: entities.key })
          .from(entities)
          .where(and(eq(entities.kind, kind), inArray(entities.key, keys))),
      (keys) =>
        tx
          .insert(entities)
          .values(keys.map((key) => ({ kind, key, name: names.get(key)! })))
          .onConflictDoNothing()
          .returning({ id: entities.id, key: entities.key }),
      [...names.keys()],
    );
    await tx.insert(articleEntities).values(
      [...new Map(list.map((e) => [e.key, e])).values()].map((e) => ({
        articleId: articleId!,
        entityId: ids.get(e.key)!,
        mentionCount: e.mentions.length,
        firstMention: e.mentions[0]?.start ?? 0,
      })),
    );
  }

  if (doc.pageLinks.length > 0) {
    await tx.insert(pageLinks).values(
      doc.pageLinks.map((l) => ({
        articleId: articleId!,
        list: l.list,
        position: l.position,
        headline: l.headline,
        headlineKey: headlineKey(l.headline),
      })),
    );
  }

  return { status, articleId, profile };
}

/**
 * Ids for names that may already exist, without locking the existing rows: concurrent ingests share
 * sources, people and events all the time, and an upsert that rewrites the row would make them queue.
 */
async function idsByKey(
  tx: Db,
  find: (keys: string[]) => Promise<{ id: number; key: string }[]>,
  insert: (keys: string[]) => Promise<{ id: number; key: string }[]>,
  keys: string[],
): Promise<Map<string, number>> {
  const ids = new Map((await find(keys)).map((r) => [r.key, r.id]));
  const missing = keys.filter((k) => !ids.has(k)).sort();
  if (missing.length === 0) return ids;
  for (const r of await insert(missing)) ids.set(r.key, r.id);
  // Rows another transaction inserted in the meantime: DO NOTHING returned nothing for them.
  const raced = missing.filter((k) => !ids.has(k));
  if (raced.length) for (const r of await find(raced)) ids.set(r.key, r.id);
  return ids;
}

async function upsertSource(tx: Db, name: string): Promise<number> {
  const ids = await idsByKey(
    tx,
    (keys) => tx.select({ id: sources.id, key: sources.name }).from(sources).where(inArray(sources.name, keys)),
    (keys) =>
      tx
        .insert(sources)
        .values(keys.map((k) => ({ name: k })))
        .onConflictDoNothing()
        .returning({ id: sources.id, key: sources.name }),
    [name],
  );
  return ids.get(name)!;
}

/** The article's people, created when new; new aliases are merged into existing people. */
async function upsertPeople(tx: Db, extraction: Extraction): Promise<Map<string, number>> {
  if (extraction.people.length === 0) return new Map();
  const byKey = new Map(extraction.people.map((p) => [p.key, p]));
  const known = new Map<string, string[]>();
  const ids = await idsByKey(
    tx,
    async (keys) => {
      const rows = await tx
        .select({ id: people.id, key: people.key, aliases: people.aliases })
        .from(people)
        .where(inArray(people.key, keys));
      for (const r of rows) known.set(r.key, r.aliases);
      return rows;
    },
    (keys) =>
      tx
        .insert(people)
        .values(keys.map((k) => ({ name: byKey.get(k)!.name, key: k, aliases: byKey.get(k)!.aliases })))
        .onConflictDoNothing()
        .returning({ id: people.id, key: people.key }),
    [...byKey.keys()],
  );
  const grown = [...known.entries()].filter(([key, aliases]) => byKey.get(key)!.aliases.some((a) => !aliases.includes(a)));
  if (grown.length > 0) {
    const rows = grown
      .sort((a, b) => (a[0] < b[0] ? -1 : 1))
      .map(([key]) => sql`(${key}, ${sql.param(byKey.get(key)!.aliases, people.aliases)}::text[])`);
    await tx.execute(sql`
      update people set aliases = array(select distinct a from unnest(people.aliases || v.aliases) as a order by a)
      from (values ${sql.join(rows, sql`, `)}) as v(key, aliases)
      where people.key = v.key`);
  }
  return ids;
}
