import { eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { articleEvents, events } from '../db/schema.js';
import { rowsByIds } from './prepared.js';
import { byKeyLoader, listLoader } from './util.js';

export type EventRow = typeof events.$inferSelect;
export interface ArticleEventRow {
  articleId: number;
  event: EventRow;
}

export function createEventLoaders(db: Db) {
  const eventById = byKeyLoader<number, EventRow>(
    rowsByIds(db, events, events.id),
    (e) => e.id,
  );
  /** Each article's events in order of first mention; the Event rows come in the same query. */
  const eventsByArticleId = listLoader<number, ArticleEventRow>(async (ids) => {
    const rows = await db
      .select({ articleId: articleEvents.articleId, event: events })
      .from(articleEvents)
      .innerJoin(events, eq(events.id, articleEvents.eventId))
      .where(inArray(articleEvents.articleId, ids))
      .orderBy(articleEvents.articleId, articleEvents.start, events.id);
    for (const { event } of rows) eventById.prime(event.id, event);
    return rows;
  }, (l) => l.articleId);
  return { eventById, eventsByArticleId };
}
