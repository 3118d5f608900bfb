import { eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { articleEntities, entities } from '../db/schema.js';
import { rowsByIds } from './prepared.js';
import { byKeyLoader, listLoader } from './util.js';

export type EntityRow = typeof entities.$inferSelect;
export interface ArticleEntityRow {
  articleId: number;
  mentionCount: number;
  firstMention: number;
  entity: EntityRow;
}

export function createEntityLoaders(db: Db) {
  const entityById = byKeyLoader<number, EntityRow>(
    rowsByIds(db, entities, entities.id),
    (e) => e.id,
  );
  /** Each article's organizations and places in order of first mention; the entity rows come in the same query. */
  const entitiesByArticleId = listLoader<number, ArticleEntityRow>(async (ids) => {
    const rows = await db
      .select({
        articleId: articleEntities.articleId,
        mentionCount: articleEntities.mentionCount,
        firstMention: articleEntities.firstMention,
        entity: entities,
      })
      .from(articleEntities)
      .innerJoin(entities, eq(entities.id, articleEntities.entityId))
      .where(inArray(articleEntities.articleId, ids))
      .orderBy(articleEntities.articleId, articleEntities.firstMention, entities.id);
    for (const { entity } of rows) entityById.prime(entity.id, entity);
    return rows;
  }, (l) => l.articleId);
  return { entityById, entitiesByArticleId };
}
