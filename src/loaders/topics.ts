import { desc, eq, inArray, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../db/client.js';
import { articleTopics, topics } from '../db/schema.js';
import { createTopicExploreLoaders } from './explore.js';
import { inIds, preparedFor, rowsByIds } from './prepared.js';
import { byKeyLoader, listLoader } from './util.js';

export type TopicRow = typeof topics.$inferSelect;
export interface ArticleTopicRow {
  articleId: number;
  topicId: number;
  score: number;
}

const topicsOfArticles = (db: Db) => {
  const parent = alias(topics, 'parent');
  return db
    .select({ link: articleTopics, topic: topics, parent })
    .from(articleTopics)
    .innerJoin(topics, eq(topics.id, articleTopics.topicId))
    .leftJoin(parent, eq(parent.id, topics.parentId))
    .where(inIds(articleTopics.articleId, 'ids'))
    .orderBy(articleTopics.articleId, desc(articleTopics.score), topics.slug)
    .prepare('topicsByArticleId');
};

const topicsBySlugs = (db: Db) =>
  db.select().from(topics).where(sql`${topics.slug} = any(${sql.placeholder('slugs')}::text[])`).prepare('topicBySlug');

export function createTopicLoaders(db: Db) {
  const topicById = byKeyLoader<number, TopicRow>(
    rowsByIds(db, topics, topics.id),
    (t) => t.id,
  );
  const topicBySlug = byKeyLoader<string, TopicRow>(async (slugs) => {
    const rows = await preparedFor(db, 'topicBySlug', topicsBySlugs).execute({ slugs });
    for (const row of rows) topicById.prime(row.id, row);
    return rows;
  }, (t) => t.slug);
  const prime = (row: TopicRow) => {
    topicById.prime(row.id, row);
    topicBySlug.prime(row.slug, row);
  };

  /** Each article's topics, strongest first; the Topic rows and their parents come in the same query. */
  const topicsByArticleId = listLoader<number, ArticleTopicRow>(async (ids) => {
    const rows = await preparedFor(db, 'topicsByArticleId', topicsOfArticles).execute({ ids });
    return rows.map(({ link, topic, parent: up }) => {
      prime(topic);
      if (up) prime(up);
      return link;
    });
  }, (l) => l.articleId);

  const topicsByParentId = listLoader<number, TopicRow>(async (ids) => {
    const rows = await db.select().from(topics).where(inArray(topics.parentId, ids)).orderBy(topics.slug);
    rows.forEach(prime);
    return rows;
  }, (t) => t.parentId!);

  return {
    topicById,
    topicBySlug,
    topicsByArticleId,
    topicsByParentId,
    primeTopic: prime,
    ...createTopicExploreLoaders(db, prime),
  };
}
