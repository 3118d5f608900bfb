import { eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { articles, storylines } from '../db/schema.js';
import { WEIGHTS, type ScoredRelation } from './relate.js';

/**
 * Storylines group the articles of one developing story. A new article continues the storyline of its
 * best related story when the two
 * - were published within STORYLINE_WINDOW_DAYS of each other,
 * - share a person or an event,
 * - share a topic,
 * - and their texts are similar (term-signature cosine at least STORYLINE_MIN_SIMILARITY).
 * Shared people alone are not enough: a spokesman speaks on many subjects, and each subject is its own story.
 */
export const STORYLINE_WINDOW_DAYS = 21;
export const STORYLINE_MIN_SIMILARITY = 0.35;

export const STORYLINE_RULE =
  `An article joins the storyline of its most related story when both were published within ${STORYLINE_WINDOW_DAYS} days ` +
  `of each other, share a person or an event, share a topic, and their texts are similar (term-signature cosine at least ` +
  `${STORYLINE_MIN_SIMILARITY}). Shared people alone are not enough.`;

const DAY_MS = 24 * 60 * 60 * 1000;

/** Whether a related story is the same developing story; pure, so the rule is tested on its own. */
export function continuesStory(relation: ScoredRelation, publishedAt: Date | null, otherPublishedAt: Date | null): boolean {
  if (!publishedAt || !otherPublishedAt) return false;
  if (Math.abs(publishedAt.getTime() - otherPublishedAt.getTime()) > STORYLINE_WINDOW_DAYS * DAY_MS) return false;
  const kinds = new Set(relation.reasons.map((r) => r.kind));
  if (!kinds.has('SHARED_PERSON') && !kinds.has('SHARED_EVENT')) return false;
  if (!kinds.has('SHARED_TOPIC')) return false;
  const text = relation.reasons.find((r) => r.kind === 'TEXT_SIMILARITY')?.weight ?? 0;
  return text / WEIGHTS.text >= STORYLINE_MIN_SIMILARITY;
}

/**
 * Puts a just-related article into a storyline: the one of the best related story that continues it, or a
 * new one holding both. Runs inside the caller's transaction. Returns the storyline id, or null.
 */
export async function assignStoryline(
  db: Db,
  articleId: number,
  publishedAt: Date | null,
  related: ScoredRelation[],
): Promise<number | null> {
  if (!publishedAt || related.length === 0) return null;
  const others = await db
    .select({ id: articles.id, publishedAt: articles.publishedAt, storylineId: articles.storylineId })
    .from(articles)
    .where(inArray(articles.id, related.map((r) => r.relatedId)));
  const byId = new Map(others.map((o) => [o.id, o]));
  const best = related.find((r) => continuesStory(r, publishedAt, byId.get(r.relatedId)?.publishedAt ?? null));
  if (!best) return null;
  const other = byId.get(best.relatedId)!;
  const times = [publishedAt, other.publishedAt!].map((d) => d.getTime());
  const first = new Date(Math.min(...times));
  const last = new Date(Math.max(...times));
  let storylineId = other.storylineId;
  if (storylineId === null) {
    const [created] = await db.insert(storylines).values({ firstSeen: first, lastSeen: last }).returning({ id: storylines.id });
    storylineId = created!.id;
    await db.update(articles).set({ storylineId }).where(inArray(articles.id, [articleId, other.id]));
  } else {
    await db.update(articles).set({ storylineId }).where(eq(articles.id, articleId));
    await db
      .update(storylines)
      .set({
        firstSeen: sql`least(${storylines.firstSeen}, ${first.toISOString()}::timestamptz)`,
        lastSeen: sql`greatest(${storylines.lastSeen}, ${last.toISOString()}::timestamptz)`,
      })
      .where(eq(storylines.id, storylineId));
  }
  return storylineId;
}
