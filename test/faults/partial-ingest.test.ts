import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/db/rows.js';
import { ingestBatch, type IngestInput } from '../../src/ingest/pipeline.js';
import { createTestDb } from '../support/db.js';
import { invariantViolations, tableCounts } from '../support/dbState.js';
import { execute, testServer } from '../support/graphql.js';
import { generatePage, pageText } from '../support/newsPages.js';

/**
 * Ingest is all or nothing, through the API and on both databases: concurrent ingests of one page store it
 * once, and a failure between two statements of the store (raised by a real trigger, the way a constraint,
 * a full disk or a lost connection would fail it) leaves no row behind.
 */
const INGEST = `mutation Ingest($input: IngestArticleInput!) {
  ingestArticle(input: $input) { status created article { id headline quotes { text } } userErrors { field message } }
}`;

/**
 * A story whose person, places, organizations and quote appear nowhere else, so any row of it left behind is
 * findable. The fault fires for stories about a dredging plan.
 */
function poisonPage(surname: string, town: string): { raw: string; headline: string } {
  const headline = `Harbour board approves ${surname} dredging plan`;
  const raw = pageText(headline, '11:20, April 07, 2021', [
    `PORTSMOUTH, April 6 (Reuters) -- The Harbour Board of ${town} approved the dredging plan on Tuesday, board chair Odalys ${surname} said.`,
    `"The channel will be open to larger ships by the autumn," ${surname} told reporters at the harbour office.`,
    `Fishing crews had asked the ${town} Fishermen Guild to oppose the plan, officials said.`,
  ]);
  return { raw, headline };
}

let handle: Awaited<ReturnType<typeof createTestDb>>;

beforeAll(async () => {
  handle = await createTestDb();
  // Raises while the quotes of a story are inserted: after its article, terms, people and article_people rows
  // were written in the same transaction, before its topics, events, entities, links and relations.
  await handle.db.execute(sql.raw(`
    create function fault_injected() returns trigger language plpgsql as $$
    begin
      if exists (select 1 from articles a where a.id = new.article_id and a.headline like '%dredging plan%') then
        raise exception 'fault injected into the quotes of article %', new.article_id;
      end if;
      return new;
    end $$`));
});

afterAll(async () => {
  await handle?.close();
});

async function armFault(): Promise<void> {
  await handle.db.execute(sql`create trigger fault_injected before insert on quotes for each row execute function fault_injected()`);
}
async function disarmFault(): Promise<void> {
  await handle.db.execute(sql`drop trigger if exists fault_injected on quotes`);
}

/** Rows that name the poison story's own words: zero everywhere unless some of it was stored. */
async function leftovers(surname: string, town: string): Promise<Record<string, number>> {
  const [row] = await rowsOf<Record<string, number>>(
    handle.db,
    sql`select
      (select count(*)::int from articles where headline like ${`%${surname}%`}) as articles,
      (select count(*)::int from people where name like ${`%${surname}%`}) as people,
      (select count(*)::int from entities where name like ${`%${town}%`}) as entities,
      (select count(*)::int from quotes q join articles a on a.id = q.article_id
        where q.text like '%larger ships%' and a.headline like ${`%${surname}%`}) as quotes,
      (select count(*)::int from article_terms where term = ${surname.toLowerCase()}) as terms`,
  );
  return row!;
}

const NOTHING = { articles: 0, people: 0, entities: 0, quotes: 0, terms: 0 };

describe('concurrent ingests of one page through GraphQL', () => {
  it('store one article: one request creates it, the others find it unchanged', async () => {
    const yoga = testServer(handle);
    const page = generatePage(400);
    const before = await tableCounts(handle.db);
    const answers = await Promise.all(Array.from({ length: 4 }, () => execute(yoga, INGEST, { input: { raw: page.raw, url: page.url } })));
    for (const answer of answers) expect(answer.errors).toBeUndefined();
    const payloads = answers.map((a) => a.data.ingestArticle);
    expect(payloads.map((p) => p.status).sort()).toEqual(['CREATED', 'UNCHANGED', 'UNCHANGED', 'UNCHANGED']);
    expect(new Set(payloads.map((p) => p.article.id)).size).toBe(1);
    expect(payloads[0].article.headline).toBe(page.headline);

    const after = await tableCounts(handle.db);
    expect(after.articles).toBe(before.articles! + 1);
    const [row] = await rowsOf<{ n: number }>(handle.db, sql`select count(*)::int as n from articles where headline = ${page.headline}`);
    expect(row!.n).toBe(1);
    // One article's worth of quotes, not one per request.
    expect(after.quotes! - before.quotes!).toBe(payloads[0].article.quotes.length);
    expect(await invariantViolations(handle.db)).toEqual([]);
  });
});

describe('a failure between two statements of an ingest', () => {
  it('answers ingestArticle with a clean error and writes nothing; the same page ingests fully once the fault is gone', async () => {
    const yoga = testServer(handle);
    const poison = poisonPage('Quillfeather', 'Wexmoor');
    const before = await tableCounts(handle.db);
    await armFault();
    let answer;
    try {
      answer = await execute(yoga, INGEST, { input: { raw: poison.raw } });
    } finally {
      await disarmFault();
    }
    // A database failure is not the client's to fix: an error, with neither the SQL, the cause nor a stack.
    expect(answer.data?.ingestArticle ?? null).toBeNull();
    expect(answer.errors).toHaveLength(1);
    const error = answer.errors![0]!;
    expect(typeof error.message).toBe('string');
    expect(JSON.stringify(error)).not.toMatch(/fault injected|insert into|quotes|\bat .*\.ts:\d+/i);

    expect(await tableCounts(handle.db)).toEqual(before);
    expect(await leftovers('Quillfeather', 'Wexmoor')).toEqual(NOTHING);

    const again = await execute(yoga, INGEST, { input: { raw: poison.raw } });
    expect(again.errors).toBeUndefined();
    expect(again.data.ingestArticle).toMatchObject({ status: 'CREATED', userErrors: [], article: { headline: poison.headline } });
    expect(again.data.ingestArticle.article.quotes.some((q: { text: string }) => q.text.includes('larger ships'))).toBe(true);
    const stored = await leftovers('Quillfeather', 'Wexmoor');
    expect(stored).toMatchObject({ articles: 1, people: 1, quotes: 1, terms: 1 });
    const after = await tableCounts(handle.db);
    for (const table of ['articles', 'article_people', 'quotes', 'article_terms', 'article_topics']) {
      expect(after[table], table).toBeGreaterThan(before[table]!);
    }
    expect(await invariantViolations(handle.db)).toEqual([]);
  });

  it('costs a batch only the failing story: the others are stored, and nothing of the failing one is', async () => {
    const good = [generatePage(410), generatePage(411), generatePage(412)];
    const inputs = [good[0]!, poisonPage('Brackenridge', 'Lowmere'), good[1]!, good[2]!].map((p): IngestInput => ({ raw: p.raw, url: 'url' in p ? String(p.url) : null }));
    const before = await tableCounts(handle.db);
    await armFault();
    let outcomes;
    try {
      outcomes = await ingestBatch(handle.db, inputs);
    } finally {
      await disarmFault();
    }
    expect(outcomes.map((o) => o.status)).toEqual(['created', 'failed', 'created', 'created']);
    expect(outcomes[1]).toMatchObject({ field: 'raw' });
    const stored = await rowsOf<{ headline: string }>(handle.db, sql`select headline from articles where id > 0 order by id`);
    for (const page of good) expect(stored.map((r) => r.headline)).toContain(page.headline);
    expect((await tableCounts(handle.db)).articles).toBe(before.articles! + 3);
    expect(await leftovers('Brackenridge', 'Lowmere')).toEqual(NOTHING);
    expect(await invariantViolations(handle.db)).toEqual([]);

    // The same batch again: the stored three are unchanged, and the one that failed is stored now.
    const retried = await ingestBatch(handle.db, inputs);
    expect(retried.map((o) => o.status)).toEqual(['unchanged', 'created', 'unchanged', 'unchanged']);
    expect(await leftovers('Brackenridge', 'Lowmere')).toMatchObject({ articles: 1, people: 1, quotes: 1, terms: 1 });
    expect(await invariantViolations(handle.db)).toEqual([]);
  });
});
