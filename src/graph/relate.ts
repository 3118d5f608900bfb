import { and, eq, inArray, ne, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
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

const round = (x: number) => Math.round(x * 10_000) / 10_000;


/** Cosine of the two term signatures; a candidate may carry only its shared terms and its signature size. */
function textSimilarity(self: Profile, other: Profile): number {
  if (other.termCount === undefined) return signatureSimilarity(self.terms, other.terms);
  if (self.terms.length === 0 || other.termCount === 0) return 0;
  const own = new Set(self.terms);
  return other.terms.filter((t) => own.has(t)).length / Math.sqrt(self.terms.length * other.termCount);
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

/**
 * Candidates seen only through what they share with `self`: the shared terms, topics, people and events, and
 * the size of their signatures. That is all scoring needs, and it keeps the rows read per ingest small.
 */
async function loadCandidates(db: Db, self: Profile, ids: number[]): Promise<Map<number, Profile>> {
  const profiles = new Map<number, Profile>();
  if (ids.length === 0) return profiles;
  const topicIds = [...self.topics.keys()];
  const personIds = [...self.people];
  const eventIds = [...self.events];
  const [rows, termRows, topicRows, personRows, eventRows] = await Promise.all([
    db
      .select({ id: articles.id, termCount: sql<number>`cardinality(${articles.terms})`, duplicateOf: articles.duplicateOf })
      .from(articles)
      .where(inArray(articles.id, ids)),
    self.terms.length
      ? db
          .select({ articleId: articleTerms.articleId, term: articleTerms.term })
          .from(articleTerms)
          .where(and(inArray(articleTerms.term, self.terms), inArray(articleTerms.articleId, ids)))
      : [],
    topicIds.length
      ? db
          .select()
          .from(articleTopics)
          .where(and(inArray(articleTopics.topicId, topicIds), inArray(articleTopics.articleId, ids)))
      : [],
    personIds.length
      ? db
          .select({ articleId: articlePeople.articleId, personId: articlePeople.personId })
          .from(articlePeople)
          .where(and(inArray(articlePeople.personId, personIds), inArray(articlePeople.articleId, ids)))
      : [],
    eventIds.length
      ? db
          .select({ articleId: articleEvents.articleId, eventId: articleEvents.eventId })
          .from(articleEvents)
          .where(and(inArray(articleEvents.eventId, eventIds), inArray(articleEvents.articleId, ids)))
      : [],
  ]);
  for (const r of rows) {
    profiles.set(r.id, {
      id: r.id,
      terms: [],
      termCount: Number(r.termCount),
      duplicateOf: r.duplicateOf,
      topics: new Map(),
      people: new Set(),
      events: new Set(),
    });
  }
  for (const r of termRows) profiles.get(r.articleId)?.terms.push(r.term);
  for (const r of topicRows) profiles.get(r.articleId)?.topics.set(r.topicId, r.score);
  for (const r of personRows) profiles.get(r.articleId)?.people.add(r.personId);
  for (const r of eventRows) profiles.get(r.articleId)?.events.add(r.eventId);
  return profiles;
}

/**
 * Finds and stores the related stories of one article, and adds the article to each neighbour's list.
 * Runs inside the caller's transaction. `known` is the article's profile when the caller has it at hand
 * (the store just wrote it), which saves reading it back.
 */
export async function relateArticle(db: Db, articleId: number, known?: Profile): Promise<ScoredRelation[]> {
  const selfProfile = known ?? (await loadProfiles(db, [articleId])).get(articleId);
  if (!selfProfile) return [];

  const personIds = [...selfProfile.people];
  const eventIds = [...selfProfile.events];
  // Each source ranks its candidates by how much they share, newest first on ties, so the same corpus
  // gives the same related lists on every run and on either database.
  const [byPeople, byEvents, byTerms] = await Promise.all([
    personIds.length
      ? db
          .select({ id: articlePeople.articleId })
          .from(articlePeople)
          .where(and(inArray(articlePeople.personId, personIds), ne(articlePeople.articleId, articleId)))
          .groupBy(articlePeople.articleId)
          .orderBy(sql`count(*) desc`, sql`${articlePeople.articleId} desc`)
          .limit(CANDIDATE_LIMIT)
      : [],
    eventIds.length
      ? db
          .select({ id: articleEvents.articleId })
          .from(articleEvents)
          .where(and(inArray(articleEvents.eventId, eventIds), ne(articleEvents.articleId, articleId)))
          .groupBy(articleEvents.articleId)
          .orderBy(sql`count(*) desc`, sql`${articleEvents.articleId} desc`)
          .limit(CANDIDATE_LIMIT)
      : [],
    selfProfile.terms.length
      ? db
          .select({ id: articleTerms.articleId })
          .from(articleTerms)
          .where(and(inArray(articleTerms.term, selfProfile.terms), ne(articleTerms.articleId, articleId)))
          .groupBy(articleTerms.articleId)
          .orderBy(sql`count(*) desc`, sql`${articleTerms.articleId} desc`)
          .limit(CANDIDATE_LIMIT)
      : [],
  ]);
  const candidateIds = [...new Set([...byPeople, ...byEvents, ...byTerms].map((r) => r.id))];
  const topicIds = [...selfProfile.topics.keys()];
  const [others, topicNames, personNames, eventNames] = await Promise.all([
    loadCandidates(db, selfProfile, candidateIds),
    topicIds.length ? db.select({ id: topics.id, name: topics.name }).from(topics).where(inArray(topics.id, topicIds)) : [],
    personIds.length ? db.select({ id: people.id, name: people.name }).from(people).where(inArray(people.id, personIds)) : [],
    eventIds.length ? db.select({ id: events.id, name: events.name }).from(events).where(inArray(events.id, eventIds)) : [],
  ]);
  const names = {
    topics: new Map(topicNames.map((r) => [r.id, r.name])),
    people: new Map(personNames.map((r) => [r.id, r.name])),
    events: new Map(eventNames.map((r) => [r.id, r.name])),
  };

  const canonical = await markNearDuplicate(db, selfProfile, [...others.values()]);
  // An article is never related to its own copies, nor to another copy of the story it copies.
  const sameStory = (o: Profile) => {
    const root = o.duplicateOf ?? o.id;
    return root === canonical || root === articleId || o.duplicateOf === articleId;
  };

  const scored = [...others.values()]
    .filter((o) => !sameStory(o))
    .map((o) => scoreRelation(selfProfile, o, names))
    .filter((r) => r.score >= MIN_RELATED_SCORE)
    .sort((a, b) => b.score - a.score || a.relatedId - b.relatedId)
    .slice(0, RELATED_PER_ARTICLE);

  await db.delete(relatedArticles).where(eq(relatedArticles.articleId, articleId));
  if (canonical !== null) {
    await db
      .delete(relatedArticles)
      .where(and(eq(relatedArticles.relatedId, articleId), inArray(relatedArticles.articleId, [...others.values()].filter(sameStory).map((o) => o.id).concat(canonical))));
  }
  if (scored.length === 0) return scored;
  const rows = scored.flatMap((r) => [
    { articleId, relatedId: r.relatedId, score: r.score, reasons: r.reasons },
    { articleId: r.relatedId, relatedId: articleId, score: r.score, reasons: r.reasons },
  ]);
  await db
    .insert(relatedArticles)
    .values(rows)
    .onConflictDoUpdate({
      target: [relatedArticles.articleId, relatedArticles.relatedId],
      set: { score: sql`excluded.score`, reasons: sql`excluded.reasons` },
    });
  return scored;
}

/**
 * Flags `self` as a near-duplicate of an earlier stored story when their texts are the same story lightly
 * edited: term signatures pick the candidates, word-shingle overlap of the bodies decides. Returns the id of
 * the canonical story (the earliest stored copy), or null.
 */
async function markNearDuplicate(db: Db, self: Profile, others: Profile[]): Promise<number | null> {
  const close = others.filter((o) => o.id < self.id && textSimilarity(self, o) >= NEAR_DUPLICATE_SIGNATURE);
  if (close.length === 0) return null;
  const bodies = await db
    .select({ id: articles.id, headline: articles.headline, body: articles.body })
    .from(articles)
    .where(inArray(articles.id, [self.id, ...close.map((o) => o.id)]));
  const text = new Map(bodies.map((b) => [b.id, `${b.headline}\n${b.body}`]));
  const own = shingles(text.get(self.id) ?? '');
  let best: { id: number; similarity: number } | null = null;
  for (const o of close) {
    const similarity = shingleSimilarity(own, shingles(text.get(o.id) ?? ''));
    if (similarity >= NEAR_DUPLICATE_SHINGLES && (!best || similarity > best.similarity)) best = { id: o.duplicateOf ?? o.id, similarity };
  }
  if (!best) return null;
  await db.update(articles).set({ duplicateOf: best.id }).where(eq(articles.id, self.id));
  self.duplicateOf = best.id;
  return best.id;
}
