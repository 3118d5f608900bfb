import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db, DbHandle } from '../../src/db/client.js';
import { articles, relatedArticles, storylines } from '../../src/db/schema.js';
import { relateBatch } from '../../src/graph/relate.js';
import { assignStorylines } from '../../src/graph/storyline.js';
import { ingestBatch, ingestRaw, prepare, type IngestInput } from '../../src/ingest/pipeline.js';
import { storeArticle } from '../../src/ingest/store.js';
import { ensureTaxonomy } from '../../src/ingest/taxonomy.js';
import { CountingLogger, createTestDb } from '../support/db.js';
import { generatePages } from '../support/newsPages.js';

/**
 * Stories that relate, copy each other and continue each other, plus a page re-ingested at its URL with
 * new text in the middle of the stream: what batching must not change.
 */
function stream(): IngestInput[] {
  const pages = generatePages(26);
  const inputs: IngestInput[] = pages.map((p) => ({ raw: p.raw, url: p.url }));
  // A lightly edited copy of an earlier story, and a copy of that copy.
  const copy = pages[3]!.raw.replace(/\b(\d{2}):(\d{2}),/, (_m, h: string, m: string) => `${h}:${m === '59' ? '58' : '59'},`);
  inputs.splice(12, 0, { raw: copy });
  inputs.splice(20, 0, { raw: `${copy}\nEditing by the desk.` });
  // Story 5's URL again, now carrying story 18's text with a new headline: the stored article is replaced.
  inputs.splice(16, 0, { raw: pages[18]!.raw.replace(pages[18]!.headline, `Update: ${pages[18]!.headline}`), url: pages[5]!.url });
  return inputs;
}

/** What relating decided, named by content hash so two databases compare whatever ids they gave. */
async function decisions(db: Db) {
  const rows = await db.select({ id: articles.id, hash: articles.contentHash, duplicateOf: articles.duplicateOf, storylineId: articles.storylineId }).from(articles);
  const hash = new Map(rows.map((r) => [r.id, r.hash]));
  const related = await db.select().from(relatedArticles);
  const lines = await db.select().from(storylines);
  const members = new Map<number, string[]>();
  for (const r of rows) if (r.storylineId !== null) members.set(r.storylineId, [...(members.get(r.storylineId) ?? []), r.hash].sort());
  return {
    related: related.map((r) => `${hash.get(r.articleId)} ${hash.get(r.relatedId)} ${r.score} ${JSON.stringify(r.reasons)}`).sort(),
    copies: rows.filter((r) => r.duplicateOf !== null).map((r) => `${r.hash} ${hash.get(r.duplicateOf!)}`).sort(),
    storylines: lines.map((l) => `${l.firstSeen.toISOString()} ${l.lastSeen.toISOString()} ${members.get(l.id)?.join(',')}`).sort(),
  };
}

describe('relating a batch', () => {
  let oneByOne: DbHandle;
  let batched: DbHandle;
  beforeAll(async () => {
    [oneByOne, batched] = await Promise.all([createTestDb(), createTestDb()]);
  });
  afterAll(async () => {
    await Promise.all([oneByOne?.close(), batched?.close()]);
  });

  it('stores the same related lists, copy marks and storylines as relating each page right after storing it', async () => {
    const inputs = stream();
    for (const input of inputs) await ingestRaw(oneByOne.db, input);
    for (let i = 0; i < inputs.length; i += 11) await ingestBatch(batched.db, inputs.slice(i, i + 11));
    const expected = await decisions(oneByOne.db);
    // The stream exercises every decision, so agreeing is not agreeing on nothing.
    expect(expected.related.length).toBeGreaterThan(50);
    expect(expected.copies.length).toBeGreaterThanOrEqual(2);
    expect(expected.storylines.length).toBeGreaterThan(0);
    expect(await decisions(batched.db)).toEqual(expected);
  });
});

describe('statements per batch', () => {
  const logger = new CountingLogger();
  let handle: DbHandle;
  beforeAll(async () => {
    handle = await createTestDb({ logger });
    await ensureTaxonomy(handle.db);
  });
  afterAll(async () => {
    await handle?.close();
  });

  it.each([4, 30])('relates %i just-stored pages with a fixed number of statements', async (n) => {
    const pages = generatePages(n, 100 + n);
    await handle.db.transaction(async (trx) => {
      const tx = trx as unknown as Db;
      const stored = [];
      for (const page of pages) {
        const p = prepare({ raw: page.raw });
        if (!p.ok) throw new Error('page did not parse');
        stored.push({ ...(await storeArticle(tx, p.raw, p.doc, p.extraction)), publishedAt: p.doc.publishedAt });
      }
      logger.reset();
      const related = await relateBatch(tx, stored.map((s) => ({ profile: s.profile! })));
      await assignStorylines(tx, stored.map((s, i) => ({ articleId: s.articleId, publishedAt: s.publishedAt, related: related[i]! })));
      expect(related.flat().length).toBeGreaterThan(n);
    });
    // Candidates (3), what candidates share and their names (7), texts for the copy check, the related lists
    // (delete, unlink copies, mark copies, insert) and storylines (read, open, widen, join): never per page.
    expect(logger.count).toBeLessThanOrEqual(19);
  });
});
