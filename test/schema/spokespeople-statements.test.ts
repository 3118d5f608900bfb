import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../src/db/client.js';
import { ingestBatch } from '../../src/ingest/pipeline.js';
import { CountingLogger, createTestDb } from '../support/db.js';
import { query, testServer } from '../support/graphql.js';
import { generatePages } from '../support/newsPages.js';

// Article.spokespeople is read from article_people.quote_count, which the ingest writes with the quotes.
describe('Article.spokespeople', () => {
  const logger = new CountingLogger();
  let handle: DbHandle;

  beforeAll(async () => {
    handle = await createTestDb({ logger });
    await ingestBatch(handle.db, generatePages(6).map((p) => ({ raw: p.raw, url: p.url })));
  });
  afterAll(async () => {
    await handle?.close();
  });

  it('names exactly the people the quotes are attributed to', async () => {
    const data = await query(
      testServer(handle),
      `{ articles(first: 10) { edges { node { spokespeople { person { name } quoteCount } quotes { speaker { name } } } } } }`,
    );
    const nodes = data.articles.edges.map((e: any) => e.node);
    expect(nodes.some((n: any) => n.quotes.length > 0)).toBe(true);
    for (const n of nodes) {
      const speakers = [...new Set(n.quotes.map((q: any) => q.speaker?.name).filter(Boolean))].sort();
      expect(n.spokespeople.map((s: any) => s.person.name).sort()).toEqual(speakers);
      for (const s of n.spokespeople) {
        expect(s.quoteCount).toBe(n.quotes.filter((q: any) => q.speaker?.name === s.person.name).length);
      }
    }
  });

  it('does not read the quotes table unless quotes are selected', async () => {
    const yoga = testServer(handle);
    logger.reset();
    await query(yoga, `{ articles(first: 10) { edges { node { headline spokespeople { role person { name } } } } } }`);
    expect(logger.statements.length).toBeGreaterThan(0);
    expect(logger.statements.filter((s) => /from "quotes"/.test(s))).toEqual([]);
  });
});
