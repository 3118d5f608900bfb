import type DataLoader from 'dataloader';
import { desc, eq, inArray, lte, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { articles, relatedArticles, type RelatedReason } from '../db/schema.js';
import { articleColumns, type ArticleRow } from './articles.js';
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
          const sq = db
            .select({
              articleId: relatedArticles.articleId,
              relatedId: relatedArticles.relatedId,
              score: relatedArticles.score,
              reasons: relatedArticles.reasons,
              rn: sql<number>`(row_number() over (partition by ${relatedArticles.articleId} order by ${desc(relatedArticles.score)}, ${relatedArticles.relatedId}))::integer`
                .mapWith(Number)
                .as('rn'),
            })
            .from(relatedArticles)
            .where(inArray(relatedArticles.articleId, ids))
            .as('ranked');
          const rows = await db
            .select({
              link: { articleId: sq.articleId, relatedId: sq.relatedId, score: sq.score, reasons: sq.reasons },
              article: articleColumns,
            })
            .from(sq)
            .innerJoin(articles, eq(articles.id, sq.relatedId))
            .where(lte(sq.rn, first))
            .orderBy(sq.articleId, sq.rn);
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
