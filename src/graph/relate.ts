import os from 'node:os';
import { inArray, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { Db } from '../db/client.js';
import { arrayLiteral, rowsOf } from '../db/rows.js';
import {
  articleEvents,
  articlePeople,
  articleTerms,
  articles,
  articleTopics,
  events,
  people,
  relatedArticles,
  topics,
  type RelatedReason,
} from '../db/schema.js';
import { shingles, shingleSimilarity, signatureSimilarity } from './terms.js';

/**
 * How many related stories an article computes for itself. Each also enters its neighbours' lists; those
 * lists are not trimmed on write (readers take the best few through the (article_id, score) index), which
 * keeps an ingest from rewriting other articles' rows.
 */
export const RELATED_PER_ARTICLE = 20;
/** Stories scoring below this are not related enough to list. */
export const MIN_RELATED_SCORE = 0.12;
/** Candidates considered per reason source before scoring: the best few hundred hold the top 20. */
const CANDIDATE_LIMIT = 120;
/** Term signatures this close send a pair to the full-text near-duplicate check. */
const NEAR_DUPLICATE_SIGNATURE = 0.6;
/** Word 3-gram Jaccard at or above which two stories are the same story lightly edited. */
export const NEAR_DUPLICATE_SHINGLES = 0.5;

/**
 * Weights of each kind of evidence. A shared person or event is strong evidence of the same story; a shared
 * topic is weak on its own and scaled by how confidently both stories carry it; text similarity is the
 * cosine of the two term signatures.
 */
export const WEIGHTS = {
  person: 0.2,
  maxPeople: 3,
  event: 0.25,
  maxEvents: 2,
  topic: 0.15,
  maxTopics: 3,
  text: 0.6,
} as const;

export interface Profile {
  id: number;
  /** The canonical story this one copies, if any. */
  duplicateOf?: number | null;
  /** The signature's terms; for a candidate only those it shares with the article being related. */
  terms: string[];
  /** Size of the full signature when `terms` holds only the shared ones. */
  termCount?: number;
  topics: Map<number, number>;
  people: Set<number>;
  events: Set<number>;
}

export interface ScoredRelation {
  relatedId: number;
  score: number;
  reasons: RelatedReason[];
}

const LITTLE_ENDIAN = os.endianness() === 'LE';

const round = (x: number) => Math.round(x * 10_000) / 10_000;


/** Term sets of the articles being related, built once per article rather than once per candidate. */
const termSets = new WeakMap<string[], Set<string>>();

/** Cosine of the two term signatures; a candidate may carry only its shared terms and its signature size. */
function textSimilarity(self: Profile, other: Profile): number {
  if (other.termCount === undefined) return signatureSimilarity(self.terms, other.terms);
  if (self.terms.length === 0 || other.termCount === 0) return 0;
  let own = termSets.get(self.terms);
  if (!own) termSets.set(self.terms, (own = new Set(self.terms)));
  let shared = 0;
  for (const t of other.terms) if (own.has(t)) shared += 1;
  return shared / Math.sqrt(self.terms.length * other.termCount);
}

/**
 * scoreRelation's score alone, with the same arithmetic in the same order (so the very same number), and
 * none of its labels: a batch article scores hundreds of candidates and keeps twenty.
 */
function relationScore(self: Profile, other: Profile): number {
  let sum = 0;
  let n = 0;
  for (const p of self.people) {
    if (n === WEIGHTS.maxPeople) break;
    if (other.people.has(p)) {
      sum += WEIGHTS.person;
      n += 1;
    }
  }
  n = 0;
  for (const e of self.events) {
    if (n === WEIGHTS.maxEvents) break;
    if (other.events.has(e)) {
      sum += WEIGHTS.event;
      n += 1;
    }
  }
  if (self.topics.size > 0 && other.topics.size > 0) {
    const shared: number[] = [];
    for (const [t, s] of self.topics) {
      const o = other.topics.get(t);
      if (o !== undefined) shared.push(Math.min(s, o));
    }
    shared.sort((a, b) => b - a);
    for (const s of shared.slice(0, WEIGHTS.maxTopics)) {
      const weight = round(WEIGHTS.topic * s);
      if (weight > 0) sum += weight;
    }
  }
  const textWeight = round(WEIGHTS.text * textSimilarity(self, other));
  if (textWeight > 0) sum += textWeight;
  return round(sum);
}

/**
 * Scores `other` as a story related to `self`. Pure: every reason carries its weight, and the score is the
 * sum of the weights, so a client can always explain a ranking.
 */
export function scoreRelation(
  self: Profile,
  other: Profile,
  names: { topics: Map<number, string>; people: Map<number, string>; events: Map<number, string> },
): ScoredRelation {
  const reasons: RelatedReason[] = [];
  const sharedPeople = [...self.people].filter((p) => other.people.has(p)).slice(0, WEIGHTS.maxPeople);
  for (const p of sharedPeople) {
    reasons.push({ kind: 'SHARED_PERSON', label: names.people.get(p) ?? 'a shared person', weight: WEIGHTS.person });
  }
  const sharedEvents = [...self.events].filter((e) => other.events.has(e)).slice(0, WEIGHTS.maxEvents);
  for (const e of sharedEvents) {
    reasons.push({ kind: 'SHARED_EVENT', label: names.events.get(e) ?? 'a shared event', weight: WEIGHTS.event });
  }
  const sharedTopics = [...self.topics.entries()]
    .filter(([t]) => other.topics.has(t))
    .map(([t, s]) => [t, Math.min(s, other.topics.get(t) ?? 0)] as const)
    .sort((a, b) => b[1] - a[1])
    .slice(0, WEIGHTS.maxTopics);
  for (const [t, s] of sharedTopics) {
    const weight = round(WEIGHTS.topic * s);
    if (weight > 0) reasons.push({ kind: 'SHARED_TOPIC', label: names.topics.get(t) ?? 'a shared topic', weight });
  }
  const similarity = textSimilarity(self, other);
  const textWeight = round(WEIGHTS.text * similarity);
  if (textWeight > 0) {
    const shared = self.terms.filter((t) => other.terms.includes(t)).slice(0, 5);
    reasons.push({ kind: 'TEXT_SIMILARITY', label: `shared terms: ${shared.join(', ')}`, weight: textWeight });
  }
  const score = round(reasons.reduce((sum, r) => sum + r.weight, 0));
  return { relatedId: other.id, score, reasons };
}

async function loadProfiles(db: Db, ids: number[]): Promise<Map<number, Profile>> {
  const profiles = new Map<number, Profile>();
  if (ids.length === 0) return profiles;
  const [rows, topicRows, personRows, eventRows] = await Promise.all([
    db
      .select({ id: articles.id, terms: articles.terms, duplicateOf: articles.duplicateOf })
      .from(articles)
      .where(inArray(articles.id, ids)),
    db.select().from(articleTopics).where(inArray(articleTopics.articleId, ids)),
    db
      .select({ articleId: articlePeople.articleId, personId: articlePeople.personId })
      .from(articlePeople)
      .where(inArray(articlePeople.articleId, ids)),
    db
      .select({ articleId: articleEvents.articleId, eventId: articleEvents.eventId })
      .from(articleEvents)
      .where(inArray(articleEvents.articleId, ids)),
  ]);
  for (const r of rows) {
    profiles.set(r.id, { id: r.id, terms: r.terms, duplicateOf: r.duplicateOf, topics: new Map(), people: new Set(), events: new Set() });
  }
  for (const r of topicRows) profiles.get(r.articleId)?.topics.set(r.topicId, r.score);
  for (const r of personRows) profiles.get(r.articleId)?.people.add(r.personId);
  for (const r of eventRows) profiles.get(r.articleId)?.events.add(r.eventId);
  return profiles;
}

/** One article of a batch to relate, in ingest order. */
export interface RelateItem {
  profile: Profile;
  /** Headline and body as stored; read from the database when absent. */
  text?: string;
}

/**
 * Finds and stores the related stories of one article, and adds the article to each neighbour's list.
 * Runs inside the caller's transaction. `known` is the article's profile when the caller has it at hand
 * (the store just wrote it), which saves reading it back.
 */
export async function relateArticle(db: Db, articleId: number, known?: Profile): Promise<ScoredRelation[]> {
  const profile = known ?? (await loadProfiles(db, [articleId])).get(articleId);
  if (!profile) return [];
  const [scored] = await relateBatch(db, [{ profile }]);
  return scored ?? [];
}

/**
 * Relates a batch of just-stored articles with a fixed number of statements, whatever the batch size, and
 * gives exactly what relating them one after another would: each article sees the stored stories and the
 * articles before it in the batch, never those after it, and the near-duplicate marks of the earlier ones.
 * The caller has stored every article of the batch, in this order, in the current transaction.
 */
export async function relateBatch(db: Db, items: RelateItem[]): Promise<ScoredRelation[][]> {
  if (items.length === 0) return [];
  const selves = items.map((i) => i.profile);

  const [byPeople, byEvents, postings] = await Promise.all([
    rankedBySharing(db, articlePeople, articlePeople.personId, selves, (p) => [...p.people]),
    rankedBySharing(db, articleEvents, articleEvents.eventId, selves, (p) => [...p.events]),
    loadPostings(db, [...new Set(selves.flatMap((p) => p.terms))]),
  ]);
  // Counted per article id in one array for the batch (ids are dense), not in a map per article.
  let maxId = 0;
  for (const ids of postings.values()) for (const id of ids) if (id > maxId) maxId = id;
  const scratch = new Uint16Array(maxId + 1);
  // The article itself and the ones after it in the batch are not candidates of article i.
  const byTerms = selves.map((self, i) => topBySharedTerms(self.terms, postings, selves.slice(i).map((p) => p.id), scratch));
  const candidateIds = selves.map((_, i) => [...new Set([...(byPeople.get(i) ?? []), ...(byEvents.get(i) ?? []), ...byTerms[i]!])]);
  const allIds = [...new Set(candidateIds.flat())];

  const topicIds = [...new Set(selves.flatMap((p) => [...p.topics.keys()]))];
  const personIds = [...new Set(selves.flatMap((p) => [...p.people]))];
  const eventIds = [...new Set(selves.flatMap((p) => [...p.events]))];
  const none = Promise.resolve([]);
  // The candidate lists run to thousands of ids: sent as one array parameter each, and read as raw rows, since
  // a parameter per id and the ORM's mapping of every row cost more than the statements themselves.
  const candidates = arrayLiteral(allIds);
  // Which of the batch's people (or events) each candidate names too.
  const sharing = (table: typeof articlePeople | typeof articleEvents, key: PgColumn, keys: number[]) =>
    allIds.length && keys.length
      ? rowsOf<{ article_id: number; key: number }>(
          db,
          sql`select ${table.articleId} as article_id, ${key} as key from ${table}
              where ${key} = any(${arrayLiteral(keys)}::int[]) and ${table.articleId} = any(${candidates}::int[])`,
        )
      : none;
  const [rows, topicRows, personRows, eventRows, topicNames, personNames, eventNames] = await Promise.all([
    allIds.length
      ? rowsOf<{ id: number; term_count: number; duplicate_of: number | null }>(
          db,
          sql`select id, cardinality(terms) as term_count, duplicate_of from ${articles} where id = any(${candidates}::int[])`,
        )
      : none,
    allIds.length && topicIds.length
      ? rowsOf<{ article_id: number; topic_id: number; score: number }>(
          db,
          sql`select article_id, topic_id, score from ${articleTopics}
              where topic_id = any(${arrayLiteral(topicIds)}::int[]) and article_id = any(${candidates}::int[])`,
        )
      : none,
    sharing(articlePeople, articlePeople.personId, personIds),
    sharing(articleEvents, articleEvents.eventId, eventIds),
    topicIds.length ? db.select({ id: topics.id, name: topics.name }).from(topics).where(inArray(topics.id, topicIds)) : none,
    personIds.length ? db.select({ id: people.id, name: people.name }).from(people).where(inArray(people.id, personIds)) : none,
    eventIds.length ? db.select({ id: events.id, name: events.name }).from(events).where(inArray(events.id, eventIds)) : none,
  ]);
  // What a candidate shares does not depend on which batch article looks at it, except its terms.
  const shared = new Map<number, Omit<Profile, 'terms'>>();
  for (const r of rows) {
    const id = Number(r.id);
    const duplicateOf = r.duplicate_of === null ? null : Number(r.duplicate_of);
    shared.set(id, { id, termCount: Number(r.term_count), duplicateOf, topics: new Map(), people: new Set(), events: new Set() });
  }
  for (const r of topicRows) shared.get(Number(r.article_id))?.topics.set(Number(r.topic_id), Number(r.score));
  for (const r of personRows) shared.get(Number(r.article_id))?.people.add(Number(r.key));
  for (const r of eventRows) shared.get(Number(r.article_id))?.events.add(Number(r.key));
  const names = {
    topics: new Map(topicNames.map((r) => [r.id, r.name])),
    people: new Map(personNames.map((r) => [r.id, r.name])),
    events: new Map(eventNames.map((r) => [r.id, r.name])),
  };

  // Each candidate's profile as seen from one batch article: the common part plus the terms the two share.
  const others = selves.map((self, i) => {
    const ids = candidateIds[i]!.filter((id) => shared.has(id)).sort((a, b) => a - b);
    const terms = sharedTermsOf(self.terms, postings, ids, scratch);
    return ids.map((id): Profile => {
      const c = shared.get(id)!;
      return { id, termCount: c.termCount, duplicateOf: c.duplicateOf, topics: c.topics, people: c.people, events: c.events, terms: terms.get(id) ?? [] };
    });
  });

  // Which texts the near-duplicate check compares depends only on term signatures, so all are read at once.
  const close = selves.map((self, i) =>
    others[i]!.filter((o) => o.id < self.id && textSimilarity(self, o) >= NEAR_DUPLICATE_SIGNATURE).map((o) => o.id),
  );
  const textIds = [...new Set(close.flatMap((ids, i) => (ids.length ? [...ids, ...(items[i]!.text === undefined ? [selves[i]!.id] : [])] : [])))];
  const bodies = textIds.length
    ? await db.select({ id: articles.id, headline: articles.headline, body: articles.body }).from(articles).where(inArray(articles.id, textIds))
    : [];
  const text = new Map(bodies.map((b) => [b.id, `${b.headline}\n${b.body}`]));
  items.forEach((item, i) => item.text !== undefined && text.set(selves[i]!.id, item.text));

  // In ingest order, as one-by-one relating would: an article marked a copy is a copy for the ones after it.
  const duplicateOf = new Map<number, number>();
  const results: ScoredRelation[][] = [];
  const unlinks: { articleId: number; relatedId: number }[] = [];
  const marks: { id: number; duplicateOf: number }[] = [];
  for (const [i, self] of selves.entries()) {
    const seen = others[i]!.map((o) => (duplicateOf.has(o.id) ? { ...o, duplicateOf: duplicateOf.get(o.id)! } : o));
    const canonical = nearDuplicateOf(self, seen, close[i]!, text);
    if (canonical !== null) {
      self.duplicateOf = canonical;
      duplicateOf.set(self.id, canonical);
      marks.push({ id: self.id, duplicateOf: canonical });
    }
    // An article is never related to its own copies, nor to another copy of the story it copies.
    const sameStory = (o: Profile) => {
      const root = o.duplicateOf ?? o.id;
      return root === canonical || root === self.id || o.duplicateOf === self.id;
    };
    if (canonical !== null) {
      for (const id of seen.filter(sameStory).map((o) => o.id).concat(canonical)) unlinks.push({ articleId: id, relatedId: self.id });
    }
    // Ranked by score alone; reasons are spelled out for the ones kept.
    const ranked: { other: Profile; score: number }[] = [];
    for (const o of seen) {
      if (sameStory(o)) continue;
      const score = relationScore(self, o);
      if (score >= MIN_RELATED_SCORE) ranked.push({ other: o, score });
    }
    ranked.sort((a, b) => b.score - a.score || a.other.id - b.other.id);
    results.push(ranked.slice(0, RELATED_PER_ARTICLE).map((r) => scoreRelation(self, r.other, names)));
  }

  await writeRelations(db, selves, results, unlinks, marks);
  return results;
}

/**
 * For each batch article, the ids of up to CANDIDATE_LIMIT stories sharing most of its people (or events),
 * newest first on ties, leaving out the article itself and the ones after it in the batch: one statement.
 */
async function rankedBySharing(
  db: Db,
  table: typeof articlePeople | typeof articleEvents,
  key: typeof articlePeople.personId | typeof articleEvents.eventId,
  selves: Profile[],
  keysOf: (p: Profile) => number[],
): Promise<Map<number, number[]>> {
  const pos: number[] = [];
  const ids: number[] = [];
  const keys: number[] = [];
  selves.forEach((p, i) => {
    for (const k of keysOf(p)) {
      pos.push(i);
      ids.push(p.id);
      keys.push(k);
    }
  });
  const out = new Map<number, number[]>();
  if (keys.length === 0) return out;
  const rows = await rowsOf<{ pos: number; id: number }>(
    db,
    sql`
      with s(pos, self, key) as (select * from unnest(${arrayLiteral(pos)}::int[], ${arrayLiteral(ids)}::int[], ${arrayLiteral(keys)}::int[])),
      b(id, pos) as (select * from unnest(${arrayLiteral(selves.map((p) => p.id))}::int[], ${arrayLiteral(selves.map((_, i) => i))}::int[])),
      c as (
        select s.pos, ${table.articleId} as id, count(*) as n
        from s join ${table} on ${key} = s.key
        where ${table.articleId} <> s.self and not exists (select 1 from b where b.id = ${table.articleId} and b.pos > s.pos)
        group by s.pos, ${table.articleId}
      ),
      r as (select pos, id, row_number() over (partition by pos order by n desc, id desc) as rank from c)
      select pos, id from r where rank <= ${CANDIDATE_LIMIT} order by pos, rank`,
  );
  for (const r of rows) {
    const list = out.get(Number(r.pos)) ?? [];
    list.push(Number(r.id));
    out.set(Number(r.pos), list);
  }
  return out;
}

/**
 * The articles carrying each term, read once for the whole batch. Counting shared terms in memory is exact and
 * far cheaper than grouping the same postings in the database once per article: frequent terms are shared by
 * most articles of a batch.
 */
async function loadPostings(db: Db, terms: string[]): Promise<Map<string, Int32Array>> {
  const out = new Map<string, Int32Array>();
  if (terms.length === 0) return out;
  const rows = await rowsOf<{ term: string; ids: Uint8Array }>(
    db,
    sql`select term, string_agg(int4send(article_id), ''::bytea) as ids from ${articleTerms}
        where term = any(${arrayLiteral(terms)}::text[]) group by term`,
  );
  for (const r of rows) {
    // int4send is big-endian: copied once into an aligned buffer and swapped there in native code.
    const bytes = Buffer.allocUnsafeSlow(r.ids.byteLength);
    bytes.set(r.ids);
    if (LITTLE_ENDIAN) bytes.swap32();
    out.set(r.term, new Int32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4));
  }
  return out;
}

/**
 * Up to CANDIDATE_LIMIT articles sharing most terms with `terms`, newest first on ties, leaving out `hidden`.
 * `counts` is all zeros, indexed by article id, and is left so. This loop runs over every posting of every
 * term of the batch, so it keeps to typed arrays and index loops.
 */
function topBySharedTerms(terms: string[], postings: Map<string, Int32Array>, hidden: number[], counts: Uint16Array): number[] {
  const lists: Int32Array[] = [];
  let total = 0;
  for (const t of new Set(terms)) {
    const list = postings.get(t);
    if (list) {
      lists.push(list);
      total += list.length;
    }
  }
  const touched = new Int32Array(total);
  let m = 0;
  for (const list of lists) {
    for (let j = 0; j < list.length; j += 1) {
      const id = list[j]!;
      const n = counts[id]!;
      if (n === 0) touched[m++] = id;
      counts[id] = n + 1;
    }
  }
  for (const id of hidden) if (id < counts.length) counts[id] = 0;
  const buckets: number[][] = [];
  for (let j = 0; j < m; j += 1) {
    const id = touched[j]!;
    const n = counts[id]!;
    if (n === 0) continue;
    counts[id] = 0;
    (buckets[n] ??= []).push(id);
  }
  const out: number[] = [];
  for (let n = buckets.length - 1; n > 0 && out.length < CANDIDATE_LIMIT; n -= 1) {
    const bucket = buckets[n];
    if (!bucket) continue;
    bucket.sort((a, b) => b - a);
    out.push(...bucket.slice(0, CANDIDATE_LIMIT - out.length));
  }
  return out;
}

/** For each of `ids`, the terms of `terms` it carries too. `marks` is all zeros, indexed by article id, and is left so. */
function sharedTermsOf(terms: string[], postings: Map<string, Int32Array>, ids: number[], marks: Uint16Array): Map<number, string[]> {
  for (const id of ids) if (id < marks.length) marks[id] = 1;
  const out = new Map<number, string[]>();
  for (const t of new Set(terms)) {
    const carriers = postings.get(t);
    if (!carriers) continue;
    for (let j = 0; j < carriers.length; j += 1) {
      const id = carriers[j]!;
      if (marks[id] === 0) continue;
      const list = out.get(id);
      if (list) list.push(t);
      else out.set(id, [t]);
    }
  }
  for (const id of ids) if (id < marks.length) marks[id] = 0;
  return out;
}

/** Writes a batch's related lists and near-duplicate marks with a fixed number of statements. */
async function writeRelations(
  db: Db,
  selves: Profile[],
  results: ScoredRelation[][],
  unlinks: { articleId: number; relatedId: number }[],
  marks: { id: number; duplicateOf: number }[],
): Promise<void> {
  await db.delete(relatedArticles).where(inArray(relatedArticles.articleId, selves.map((p) => p.id)));
  if (unlinks.length > 0) {
    await db.execute(sql`
      delete from ${relatedArticles} r
      using unnest(${arrayLiteral(unlinks.map((u) => u.articleId))}::int[], ${arrayLiteral(unlinks.map((u) => u.relatedId))}::int[]) as d(article_id, related_id)
      where r.article_id = d.article_id and r.related_id = d.related_id`);
  }
  if (marks.length > 0) {
    await db.execute(sql`
      update ${articles} set duplicate_of = m.duplicate_of
      from unnest(${arrayLiteral(marks.map((m) => m.id))}::int[], ${arrayLiteral(marks.map((m) => m.duplicateOf))}::int[]) as m(id, duplicate_of)
      where ${articles.id} = m.id`);
  }
  // Every pair once, written in both directions by the statement; a pair scored twice in the batch keeps its
  // later scoring, as one by one would. One JSON parameter, however many rows.
  const pairs = new Map<string, { a: number; b: number; score: number; reasons: RelatedReason[] }>();
  selves.forEach((self, i) => {
    for (const r of results[i]!) {
      const key = self.id < r.relatedId ? `${self.id}:${r.relatedId}` : `${r.relatedId}:${self.id}`;
      pairs.set(key, { a: self.id, b: r.relatedId, score: r.score, reasons: r.reasons });
    }
  });
  if (pairs.size === 0) return;
  // Key order, so concurrent ingests touching the same neighbours lock their rows in the same order.
  await db.execute(sql`
    with p as (select * from jsonb_to_recordset(${JSON.stringify([...pairs.values()])}::jsonb) as p(a int, b int, score float8, reasons jsonb))
    insert into ${relatedArticles} (article_id, related_id, score, reasons)
    select a, b, score, reasons from p union all select b, a, score, reasons from p
    order by 1, 2
    on conflict (article_id, related_id) do update set score = excluded.score, reasons = excluded.reasons`);
}

/**
 * The canonical story `self` is a lightly edited copy of, or null: among the `close` candidates (term
 * signatures alike, stored earlier), the one whose body shares most word shingles, at least
 * NEAR_DUPLICATE_SHINGLES; a copy's canonical story stands for it.
 */
function nearDuplicateOf(self: Profile, others: Profile[], close: number[], text: Map<number, string>): number | null {
  if (close.length === 0) return null;
  const byId = new Map(others.map((o) => [o.id, o]));
  const own = shingles(text.get(self.id) ?? '');
  let best: { id: number; similarity: number } | null = null;
  for (const id of close) {
    const o = byId.get(id)!;
    const similarity = shingleSimilarity(own, shingles(text.get(id) ?? ''));
    if (similarity >= NEAR_DUPLICATE_SHINGLES && (!best || similarity > best.similarity)) best = { id: o.duplicateOf ?? o.id, similarity };
  }
  return best?.id ?? null;
}
