import type DataLoader from 'dataloader';
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { people, quotes } from '../db/schema.js';
import type { PersonRow, QuoteRow } from './people.js';
import { inIds, preparedFor, rowsByIds } from './prepared.js';
import { byKeyLoader, listLoader } from './util.js';

const quotesOfArticles = (db: Db) =>
  db
    .select({ quote: quotes, speaker: people })
    .from(quotes)
    .leftJoin(people, eq(people.id, quotes.speakerId))
    .where(inIds(quotes.articleId, 'ids'))
    .orderBy(quotes.articleId, quotes.start, quotes.id)
    .prepare('quotesByArticleId');

/**
 * Each article's quotes come with their speakers' Person rows, primed into `personById`, so `Quote.speaker`
 * never needs a statement of its own whatever order the database answers in.
 */
export function createQuoteLoaders(db: Db, personById: DataLoader<number, PersonRow | null>) {
  const quoteById = byKeyLoader<number, QuoteRow>(
    rowsByIds(db, quotes, quotes.id),
    (q) => q.id,
  );
  /** Each article's quotes in body order. */
  const quotesByArticleId = listLoader<number, QuoteRow>(async (ids) => {
    const rows = await preparedFor(db, 'quotesByArticleId', quotesOfArticles).execute({ ids });
    return rows.map(({ quote, speaker }) => {
      quoteById.prime(quote.id, quote);
      if (speaker) personById.prime(speaker.id, speaker);
      return quote;
    });
  }, (q) => q.articleId);
  return { quoteById, quotesByArticleId };
}
