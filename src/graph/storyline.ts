import { inArray, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { arrayLiteral } from '../db/rows.js';
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
  const [id] = await assignStorylines(db, [{ articleId, publishedAt, related }]);
  return id ?? null;
}

export interface StorylineItem {
  articleId: number;
  publishedAt: Date | null;
  related: ScoredRelation[];
}

/**
 * assignStoryline for a batch of just-related articles, in ingest order, with a fixed number of statements:
 * each article sees the storylines the ones before it joined or opened, as one by one it would.
 */
export async function assignStorylines(db: Db, items: StorylineItem[]): Promise<(number | null)[]> {
  const wanted = [...new Set(items.flatMap((i) => (i.publishedAt ? i.related.map((r) => r.relatedId) : [])))];
  if (wanted.length === 0) return items.map(() => null);
  const others = await db
    .select({ id: articles.id, publishedAt: articles.publishedAt, storylineId: articles.storylineId })
    .from(articles)
    .where(inArray(articles.id, wanted));
  const byId = new Map(others.map((o) => [o.id, o]));
  // New storylines get their ids when inserted below; until then they go by their place in `opened`.
  const opened: { firstSeen: Date; lastSeen: Date }[] = [];
  const grown = new Map<number, { firstSeen: Date; lastSeen: Date }>();
  const joined = new Map<number, { storyline: number; opened: boolean }>();
  const storylineOf = (id: number) => joined.get(id) ?? (byId.get(id)?.storylineId != null ? { storyline: byId.get(id)!.storylineId!, opened: false } : null);
  const out: ({ storyline: number; opened: boolean } | null)[] = [];
  for (const { articleId, publishedAt, related } of items) {
    const best = publishedAt ? related.find((r) => continuesStory(r, publishedAt, byId.get(r.relatedId)?.publishedAt ?? null)) : undefined;
    if (!best || !publishedAt) {
      out.push(null);
      continue;
    }
    const other = byId.get(best.relatedId)!;
    const times = [publishedAt, other.publishedAt!].map((d) => d.getTime());
    const span = { firstSeen: new Date(Math.min(...times)), lastSeen: new Date(Math.max(...times)) };
    let target = storylineOf(other.id);
    if (target === null) {
      target = { storyline: opened.push(span) - 1, opened: true };
      joined.set(other.id, target);
    } else {
      const spans = target.opened ? opened : null;
      const seen = spans ? spans[target.storyline]! : grown.get(target.storyline);
      const merged = seen
        ? { firstSeen: seen.firstSeen < span.firstSeen ? seen.firstSeen : span.firstSeen, lastSeen: seen.lastSeen > span.lastSeen ? seen.lastSeen : span.lastSeen }
        : span;
      if (spans) spans[target.storyline] = merged;
      else grown.set(target.storyline, merged);
    }
    joined.set(articleId, target);
    out.push(target);
  }

  const ids = opened.length
    ? (await db.insert(storylines).values(opened).returning({ id: storylines.id })).map((r) => r.id).sort((a, b) => a - b)
    : [];
  const resolve = (t: { storyline: number; opened: boolean }) => (t.opened ? ids[t.storyline]! : t.storyline);
  if (grown.size > 0) {
    const rows = [...grown].sort((a, b) => a[0] - b[0]);
    await db.execute(sql`
      update ${storylines} set
        first_seen = least(${storylines.firstSeen}, g.first_seen),
        last_seen = greatest(${storylines.lastSeen}, g.last_seen)
      from unnest(${arrayLiteral(rows.map(([id]) => id))}::int[], ${arrayLiteral(rows.map(([, s]) => s.firstSeen.toISOString()))}::timestamptz[],
                  ${arrayLiteral(rows.map(([, s]) => s.lastSeen.toISOString()))}::timestamptz[]) as g(id, first_seen, last_seen)
      where ${storylines.id} = g.id`);
  }
  if (joined.size > 0) {
    const rows = [...joined].sort((a, b) => a[0] - b[0]);
    await db.execute(sql`
      update ${articles} set storyline_id = j.storyline_id
      from unnest(${arrayLiteral(rows.map(([id]) => id))}::int[], ${arrayLiteral(rows.map(([, t]) => resolve(t)))}::int[]) as j(id, storyline_id)
      where ${articles.id} = j.id`);
  }
  return out.map((t) => (t ? resolve(t) : null));
}
