import { and, eq, inArray, ne, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import {
  articleEvents,
  articlePeople,
  articles,
  articleTopics,
  events,
  people,
  relatedArticles,
  topics,
  type RelatedReason,
} from '../db/schema.js';
import { signatureSimilarity } from './terms.js';

/** How many related stories each article keeps. */
export const RELATED_PER_ARTICLE = 20;
/** Stories scoring below this are not related enough to list. */
export const MIN_RELATED_SCORE = 0.12;
/** Candidates considered per reason source before scoring. */
const CANDIDATE_LIMIT = 300;

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

interface Profile {
  id: number;
  terms: string[];
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
  const similarity = signatureSimilarity(self.terms, other.terms);
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
    db.select({ id: articles.id, terms: articles.terms }).from(articles).where(inArray(articles.id, ids)),
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
  for (const r of rows) profiles.set(r.id, { id: r.id, terms: r.terms, topics: new Map(), people: new Set(), events: new Set() });
  for (const r of topicRows) profiles.get(r.articleId)?.topics.set(r.topicId, r.score);
  for (const r of personRows) profiles.get(r.articleId)?.people.add(r.personId);
  for (const r of eventRows) profiles.get(r.articleId)?.events.add(r.eventId);
  return profiles;
}

/**
 * Finds and stores the related stories of one article, and offers the article to each neighbour's list
 * (keeping each list to its best RELATED_PER_ARTICLE). Runs inside the caller's transaction.
 */
export async function relateArticle(db: Db, articleId: number): Promise<ScoredRelation[]> {
  const selfProfile = (await loadProfiles(db, [articleId])).get(articleId);
  if (!selfProfile) return [];

  const personIds = [...selfProfile.people];
  const eventIds = [...selfProfile.events];
  const termsParam = sql`${sql.param(selfProfile.terms, articles.terms)}::text[]`;
  const [byPeople, byEvents, byTerms] = await Promise.all([
    personIds.length
      ? db
          .selectDistinct({ id: articlePeople.articleId })
          .from(articlePeople)
          .where(and(inArray(articlePeople.personId, personIds), ne(articlePeople.articleId, articleId)))
          .limit(CANDIDATE_LIMIT)
      : [],
    eventIds.length
      ? db
          .selectDistinct({ id: articleEvents.articleId })
          .from(articleEvents)
          .where(and(inArray(articleEvents.eventId, eventIds), ne(articleEvents.articleId, articleId)))
          .limit(CANDIDATE_LIMIT)
      : [],
    selfProfile.terms.length
      ? db
          .select({ id: articles.id })
          .from(articles)
          .where(
            and(
              sql`${articles.terms} && ${termsParam}`,
              ne(articles.id, articleId),
            ),
          )
          .orderBy(
            sql`cardinality(array(select unnest(${articles.terms}) intersect select unnest(${termsParam}))) desc`,
            sql`${articles.id} desc`,
          )
          .limit(CANDIDATE_LIMIT)
      : [],
  ]);
  const candidateIds = [...new Set([...byPeople, ...byEvents, ...byTerms].map((r) => r.id))];
  const others = await loadProfiles(db, candidateIds);

  const topicIds = new Set<number>(selfProfile.topics.keys());
  const [topicNames, personNames, eventNames] = await Promise.all([
    topicIds.size ? db.select({ id: topics.id, name: topics.name }).from(topics).where(inArray(topics.id, [...topicIds])) : [],
    personIds.length ? db.select({ id: people.id, name: people.name }).from(people).where(inArray(people.id, personIds)) : [],
    eventIds.length ? db.select({ id: events.id, name: events.name }).from(events).where(inArray(events.id, eventIds)) : [],
  ]);
  const names = {
    topics: new Map(topicNames.map((r) => [r.id, r.name])),
    people: new Map(personNames.map((r) => [r.id, r.name])),
    events: new Map(eventNames.map((r) => [r.id, r.name])),
  };

  const scored = [...others.values()]
    .map((o) => scoreRelation(selfProfile, o, names))
    .filter((r) => r.score >= MIN_RELATED_SCORE)
    .sort((a, b) => b.score - a.score || a.relatedId - b.relatedId)
    .slice(0, RELATED_PER_ARTICLE);

  await db.delete(relatedArticles).where(eq(relatedArticles.articleId, articleId));
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
  // Each neighbour keeps only its best lists' worth of stories.
  const neighbours = scored.map((r) => r.relatedId);
  await db.execute(sql`
    delete from related_articles r
    using (
      select article_id, related_id,
             row_number() over (partition by article_id order by score desc, related_id) as rank
      from related_articles
      where article_id in ${neighbours.length ? sql`(${sql.join(neighbours.map((n) => sql`${n}`), sql`, `)})` : sql`(null)`}
    ) ranked
    where r.article_id = ranked.article_id and r.related_id = ranked.related_id and ranked.rank > ${RELATED_PER_ARTICLE}`);
  return scored;
}
