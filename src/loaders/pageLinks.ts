import { inArray } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { pageLinks } from '../db/schema.js';
import { listLoader } from './util.js';

export type PageLinkRow = typeof pageLinks.$inferSelect;

export function createPageLinkLoaders(db: Db) {
  /** Each article's page links in page order. */
  const pageLinksByArticleId = listLoader<number, PageLinkRow>(
    (ids) => db.select().from(pageLinks).where(inArray(pageLinks.articleId, ids)).orderBy(pageLinks.articleId, pageLinks.id),
    (l) => l.articleId,
  );
  return { pageLinksByArticleId };
}
