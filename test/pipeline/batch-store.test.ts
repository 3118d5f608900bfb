import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db, DbHandle } from '../../src/db/client.js';
import { rowsOf } from '../../src/db/rows.js';
import { ingestBatch, ingestRaw, type IngestInput } from '../../src/ingest/pipeline.js';
import { CountingLogger, createTestDb, onPostgresServer } from '../support/db.js';
import { invariantViolations } from '../support/dbState.js';
import { generatePages, pageText } from '../support/newsPages.js';

/**
 * A batch is stored with one statement per table for all its pages (people aside), and must write exactly
 * what storing its pages one after another writes, ids included: the people a later page resolves against
 * the roles an earlier page of the same batch stated, events, organizations and places first named inside
 * the batch, and an exact copy inside the batch.
 */
function stream(): IngestInput[] {
  const pages = generatePages(24, 300);
  const inputs: IngestInput[] = pages.map((p) => ({ raw: p.raw, url: p.url }));
  const stamp = '10:15, March 04, 2014';
  // Two full-name people carrying the surname Hong, with different roles...
  inputs.splice(
    3,
    0,
    {
      raw: pageText('Ministry rules out new port fees', stamp, [
        'BEIJING, March 3 (Xinhua) -- Foreign Ministry spokesman Hong Lei said on Monday that the Velmora Shipping Council would meet in Quorra.',
        '"We hope every side keeps calm," Hong Lei told a regular news briefing.',
      ]),
    },
    {
      raw: pageText('Trade minister visits Quorra harbour', stamp, [
        'QUORRA, March 3 (Xinhua) -- Trade Minister David Hong toured the harbour of Quorra on Monday with the Velmora Shipping Council.',
        '"The harbour will double its trade," David Hong said.',
      ]),
    },
  );
  // ...and a page naming only "spokesman Hong": the roles stored for the pages above decide who that is.
  inputs.splice(9, 0, {
    raw: pageText('Spokesman calls for calm over port fees', stamp, [
      'BEIJING, March 3 (Xinhua) -- Foreign Ministry spokesman Hong said on Monday that the Velmora Shipping Council had asked for talks.',
      '"The door to talks is open," Hong said.',
    ]),
  });
  // An exact copy of a page earlier in the same batch.
  inputs.splice(14, 0, { raw: inputs[5]!.raw });
  return inputs;
}

const TABLES = [
  'sources',
  'articles',
  'article_terms',
  'people',
  'article_people',
  'quotes',
  'article_topics',
  'events',
  'article_events',
  'entities',
  'article_entities',
  'page_links',
  'related_articles',
  'storylines',
];

/** Every row of every table the ingest writes, ids included (the ingest time aside). */
async function contents(db: Db): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const table of TABLES) {
    const rows = await rowsOf<{ row: string }>(db, sql`select (to_jsonb(t) - 'ingested_at')::text as row from ${sql.identifier(table)} t`);
    out[table] = rows.map((r) => r.row).sort();
  }
  return out;
}

describe('storing a batch', () => {
  it('writes what storing its pages one after another writes, ids included', async () => {
    const [oneByOne, batched] = await Promise.all([createTestDb(), createTestDb()]);
    try {
      const inputs = stream();
      const single = [];
      for (const input of inputs) single.push(await ingestRaw(oneByOne.db, input));
      const together = await ingestBatch(batched.db, inputs);
      expect(together).toEqual(single);
      expect(together[14]).toEqual({ status: 'unchanged', articleId: (together[5] as { articleId: number }).articleId });

      const expected = await contents(oneByOne.db);
      // The single-name page resolved to the spokesman, which takes the roles the first page stored.
      const [spokesman] = await rowsOf<{ key: string; aliases: string[] }>(
        oneByOne.db,
        sql`select p.key, p.aliases from quotes q join people p on p.id = q.speaker_id where q.text = 'The door to talks is open'`,
      );
      expect(spokesman?.key).toBe('hong lei');
      expect(expected.events!.length).toBeGreaterThan(0);
      expect(expected.entities!.some((e) => e.includes('velmora shipping council'))).toBe(true);
      expect(expected.related_articles!.length).toBeGreaterThan(50);
      expect(await contents(batched.db)).toEqual(expected);
      expect(await invariantViolations(batched.db)).toEqual([]);
    } finally {
      await Promise.all([oneByOne.close(), batched.close()]);
    }
  });
});

describe('statements per batch', () => {
  const logger = new CountingLogger();
  let handle: DbHandle;
  beforeAll(async () => {
    handle = await createTestDb({ logger });
  });
  afterAll(async () => {
    await handle?.close();
  });

  it.each([5, 40])('writes the articles, terms, quotes, topics, events, places and links of %i pages with one statement each', async (n) => {
    const inputs = generatePages(n, 500 + n).map((p) => ({ raw: p.raw, url: p.url }));
    await ingestBatch(handle.db, inputs.slice(0, 1)); // taxonomy loaded, sources and the first people stored
    logger.reset();
    const outcomes = await ingestBatch(handle.db, inputs.slice(1));
    expect(outcomes.every((o) => o.status === 'created')).toBe(true);
    const inserts = (table: string) => logger.statements.filter((s) => s.trim().startsWith(`insert into "${table}"`)).length;
    for (const table of ['articles', 'article_terms', 'quotes', 'article_topics', 'article_events', 'article_entities', 'page_links']) {
      expect({ table, statements: inserts(table) }).toEqual({ table, statements: 1 });
    }
    // People are resolved page by page; their rows in article_people wait for the end of the run.
    expect(inserts('article_people')).toBe(1);
  });
});

describe.skipIf(!onPostgresServer)('a person another ingest creates while a batch resolves its people', () => {
  let handle: Awaited<ReturnType<typeof createTestDb>>;
  beforeAll(async () => {
    handle = await createTestDb();
  });
  afterAll(async () => {
    await handle?.close();
  });

  it('is the person the batch links, once that ingest commits', async () => {
    const stamp = '08:05, May 12, 2014';
    const inputs = ['Harbour master warns of fog', 'Harbour master reopens the channel'].map((headline, i) => ({
      raw: pageText(headline, stamp, [
        `LISBON, May 11 (Reuters) -- Harbour master Ingrid Vasquez-Thorne said on Sunday that the channel ${i ? 'reopened' : 'would close'}.`,
        `"Ships will wait for the fog to lift," Ingrid Vasquez-Thorne told reporters.`,
      ]),
    }));
    const other = postgres(handle.url!, { max: 1, onnotice: () => {} });
    try {
      const conn = await other.reserve();
      await conn`begin`;
      const [held] = await conn<{ id: number }[]>`insert into people (name, key) values ('Ingrid Vasquez-Thorne', 'ingrid vasquez-thorne') returning id`;
      const ingest = ingestBatch(handle.db, inputs);
      await sleep(500); // the batch has read the people it names and waits on the key held here
      await conn`commit`;
      conn.release();
      const outcomes = await ingest;
      expect(outcomes.map((o) => o.status)).toEqual(['created', 'created']);
      const linked = await rowsOf<{ person_id: number }>(
        handle.db,
        sql`select ap.person_id from article_people ap join people p on p.id = ap.person_id where p.name = 'Ingrid Vasquez-Thorne'`,
      );
      expect(linked.map((r) => r.person_id)).toEqual([held!.id, held!.id]);
      expect(await invariantViolations(handle.db)).toEqual([]);
    } finally {
      await other.end();
    }
  });
});
