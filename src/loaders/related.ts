import type DataLoader from 'dataloader';
import { desc, eq, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../db/client.js';
import { articles, relatedArticles, type RelatedReason } from '../db/schema.js';
import { articleColumns, type ArticleRow } from './articles.js';
import { inIds, preparedFor } from './prepared.js';
import { BatchLoader, groupBy } from './util.js';

export interface RelatedRow {
  articleId: number;
  relatedId: number;
  score: number;
  reasons: RelatedReason[];
}

export interface RelatedKey {
  articleId: number;
  first: number;
}

/**
 * Per article, the index on (article_id, score desc) yields its best `first` links in order: a list can hold
 * hundreds (a new story also enters its neighbours' lists), and ranking all of them read every link's row.
 */
const topRelated = (db: Db) => {
  const seed = alias(articles, 'seed');
  const top = db
    .select({ relatedId: relatedArticles.relatedId, score: relatedArticles.score, reasons: relatedArticles.reasons })
    .from(relatedArticles)
    .where(eq(relatedArticles.articleId, seed.id))
    .orderBy(desc(relatedArticles.score), relatedArticles.relatedId)
    .limit(sql.placeholder('first'))
    .as('top');
  return db
    .select({
      link: { articleId: seed.id, relatedId: top.relatedId, score: top.score, reasons: top.reasons },
      article: articleColumns,
    })
    .from(seed)
    .crossJoinLateral(top)
    .innerJoin(articles, eq(articles.id, top.relatedId))
    .where(inIds(seed.id, 'ids'))
    .orderBy(seed.id, desc(top.score), top.relatedId)
    .prepare('relatedByArticleId');
};

/**
 * The strongest `first` related stories of each article. Keys sharing `first` are ranked per article in one
 * query; the related articles come in that query too and are primed into `articleById`.
 */
export function createRelatedLoaders(db: Db, articleById: DataLoader<number, ArticleRow | null>) {
  const relatedByArticleId = new BatchLoader<RelatedKey, RelatedRow[], string>(
    async (keys) => {
      const out = new Map<string, RelatedRow[]>();
      await Promise.all(
        [...groupBy(keys, (k) => k.first).entries()].map(async ([first, group]) => {
          const ids = [...new Set(group.map((k) => k.articleId))];
          const rows = await preparedFor(db, 'relatedByArticleId', topRelated).execute({ ids, first });
          const byArticle = groupBy(rows, (r) => r.link.articleId);
          for (const k of group) {
            const list = (byArticle.get(k.articleId) ?? []).map(({ link, article }) => {
              articleById.prime(article.id, article);
              return { articleId: link.articleId, relatedId: link.relatedId, score: link.score, reasons: link.reasons };
            });
            out.set(relatedKey(k), list);
          }
        }),
      );
      return keys.map((k) => out.get(relatedKey(k)) ?? []);
    },
    { cacheKeyFn: relatedKey },
  );
  return { relatedByArticleId };
}

function relatedKey(k: RelatedKey): string {
  return `${k.articleId}:${k.first}`;
}
