import { isNull } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { articles, relatedArticles } from '../db/schema.js';

/**
 * Precision@k of related stories against a labelling: for each stored canonical article (copies excluded),
 * the share of its k best related stories with the same label, counting missing places as misses.
 */
export async function relatedPrecisionAtK(
  db: Db,
  labelByHash: Map<string, string>,
  k = 5,
): Promise<{ precision: number; articles: number; withFullList: number }> {
  const rows = await db.select({ id: articles.id, hash: articles.contentHash, duplicateOf: articles.duplicateOf }).from(articles);
  const label = new Map<number, string>();
  for (const r of rows) {
    const l = labelByHash.get(r.hash);
    if (l) label.set(r.id, l);
  }
  const canonical = await db.select({ id: articles.id }).from(articles).where(isNull(articles.duplicateOf));
  const related = await db
    .select({ articleId: relatedArticles.articleId, relatedId: relatedArticles.relatedId, score: relatedArticles.score })
    .from(relatedArticles);
  const lists = new Map<number, { relatedId: number; score: number }[]>();
  for (const r of related) {
    const list = lists.get(r.articleId) ?? [];
    list.push(r);
    lists.set(r.articleId, list);
  }
  let sum = 0;
  let counted = 0;
  let full = 0;
  for (const { id } of canonical) {
    const own = label.get(id);
    if (!own) continue;
    const top = (lists.get(id) ?? []).sort((a, b) => b.score - a.score || a.relatedId - b.relatedId).slice(0, k);
    counted += 1;
    if (top.length === k) full += 1;
    sum += top.filter((r) => label.get(r.relatedId) === own).length / k;
  }
  return { precision: counted ? sum / counted : 0, articles: counted, withFullList: full };
}
