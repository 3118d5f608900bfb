import { and, asc, count, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { articlePeople, articles, articleTopics, people, storylines, topics } from '../db/schema.js';
import { articleColumns, type ArticleRow } from './articles.js';
import type { PersonRow } from './people.js';
import type { TopicRow } from './topics.js';
import { rowsByIds } from './prepared.js';
import { byKeyLoader, listLoader } from './util.js';

export type StorylineRow = typeof storylines.$inferSelect;
export interface StorylineTopicRow {
  storylineId: number;
  articleCount: number;
  topic: TopicRow;
}
export interface StorylinePersonRow {
  storylineId: number;
  articleCount: number;
  person: PersonRow;
}

export function createStorylineLoaders(db: Db, primeArticles: (rows: readonly ArticleRow[]) => void) {
  const storylineById = byKeyLoader<number, StorylineRow>(
    rowsByIds(db, storylines, storylines.id),
    (s) => s.id,
  );
  /** Each storyline's articles, oldest first: a storyline reads as the story developed. */
  const articlesByStorylineId = listLoader<number, ArticleRow>(async (ids) => {
    const rows = await db
      .select(articleColumns)
      .from(articles)
      .where(and(inArray(articles.storylineId, ids), isNotNull(articles.storylineId)))
      .orderBy(articles.storylineId, asc(articles.publishedAt), asc(articles.id));
    primeArticles(rows);
    return rows;
  }, (a) => a.storylineId!);
  /** Topics across a storyline's articles, by how many of them carry each. */
  const topicsByStorylineId = listLoader<number, StorylineTopicRow>(
    (ids) =>
      db
        .select({ storylineId: sql<number>`${articles.storylineId}`.mapWith(Number), articleCount: count(), topic: topics })
        .from(articles)
        .innerJoin(articleTopics, eq(articleTopics.articleId, articles.id))
        .innerJoin(topics, eq(topics.id, articleTopics.topicId))
        .where(inArray(articles.storylineId, ids))
        .groupBy(articles.storylineId, topics.id)
        .orderBy(articles.storylineId, sql`count(*) desc`, topics.id),
    (r) => r.storylineId,
  );
  /** People across a storyline's articles, by how many of them name each. */
  const peopleByStorylineId = listLoader<number, StorylinePersonRow>(
    (ids) =>
      db
        .select({ storylineId: sql<number>`${articles.storylineId}`.mapWith(Number), articleCount: count(), person: people })
        .from(articles)
        .innerJoin(articlePeople, eq(articlePeople.articleId, articles.id))
        .innerJoin(people, eq(people.id, articlePeople.personId))
        .where(inArray(articles.storylineId, ids))
        .groupBy(articles.storylineId, people.id)
        .orderBy(articles.storylineId, sql`count(*) desc`, people.id),
    (r) => r.storylineId,
  );
  return { storylineById, articlesByStorylineId, topicsByStorylineId, peopleByStorylineId };
}
