import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../src/db/client.js';
import { articles, people, quotes, relatedArticles } from '../../src/db/schema.js';
import { ingestBatch, ingestRaw } from '../../src/ingest/pipeline.js';
import { createTestDb } from '../support/db.js';
import { pageText as page } from '../support/newsPages.js';


const drought = page('Farm ministry promises drought relief for growers', '10:15, March 03, 2021', [
  'NAIROBI, March 2 (Reuters) -- The farm ministry will release emergency funds for growers hit by the drought, Agriculture Minister Wanjiru Kamau said on Tuesday.',
  '"No farmer will be left to face this drought alone," Kamau told reporters at the ministry.',
  'The drought has cut maize harvests across the region, officials said.',
]);
const droughtFollowUp = page('Drought relief funds reach maize growers', '09:00, March 10, 2021', [
  'NAIROBI, March 9 (Reuters) -- Emergency drought funds began reaching maize growers this week, Agriculture Minister Wanjiru Kamau said.',
  'Kamau said the ministry would review the drought relief programme in April.',
]);
const football = page('Rovers clinch league title with late winner', '21:30, May 15, 2021', [
  'LONDON (Reuters) - Rovers won the league title on Saturday with a stoppage-time goal, manager Tom Briggs said.',
  '"The players never stopped believing," Briggs said after the match.',
]);

let handle: DbHandle;
beforeAll(async () => {
  handle = await createTestDb();
});
afterAll(async () => {
  await handle?.close();
});

async function articleCount() {
  const [row] = await handle.db.select({ n: count() }).from(articles);
  return row!.n;
}

describe('ingestRaw', () => {
  it('creates an article once and reports a re-ingest of the same page as unchanged', async () => {
    const first = await ingestRaw(handle.db, { raw: drought });
    expect(first.status).toBe('created');
    const again = await ingestRaw(handle.db, { raw: `${drought}\r\n` });
    expect(again).toEqual({ status: 'unchanged', articleId: (first as { articleId: number }).articleId });
    expect(await articleCount()).toBe(1);
  });

  it('relates a follow-up story through the shared person, with weights that sum to the score', async () => {
    const follow = await ingestRaw(handle.db, { raw: droughtFollowUp });
    const sport = await ingestRaw(handle.db, { raw: football });
    expect(follow.status).toBe('created');
    expect(sport.status).toBe('created');
    const followId = (follow as { articleId: number }).articleId;
    const rows = await handle.db.select().from(relatedArticles).where(eq(relatedArticles.articleId, followId));
    const [best] = rows.sort((a, b) => b.score - a.score);
    expect(best).toBeDefined();
    expect(best!.relatedId).not.toBe(followId);
    expect(best!.reasons.some((r) => r.kind === 'SHARED_PERSON')).toBe(true);
    expect(best!.score).toBeCloseTo(best!.reasons.reduce((s, r) => s + r.weight, 0), 4);
    // The first story now lists the follow-up too: neighbours' lists are updated.
    const back = await handle.db.select().from(relatedArticles).where(eq(relatedArticles.relatedId, followId));
    expect(back.map((r) => r.articleId)).toContain(best!.relatedId);
    expect(rows.map((r) => r.relatedId)).not.toContain((sport as { articleId: number }).articleId);
  });

  it('stores one person per identity across articles', async () => {
    const rows = await handle.db.select().from(people).where(eq(people.key, 'wanjiru kamau'));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.aliases).toContain('Kamau');
  });

  it('replaces a page re-ingested at the same URL with new content, keeping its id', async () => {
    const url = 'https://news.example.org/2021/03/rates';
    const v1 = page('Central bank holds rates steady', '12:00, March 11, 2021', [
      'ACCRA, March 11 (Reuters) -- The central bank kept its policy rate unchanged, Governor Kofi Mensah said.',
    ]);
    const v2 = v1.replace('kept its policy rate unchanged', 'kept its policy rate unchanged at 14.5 percent');
    const a = await ingestRaw(handle.db, { raw: v1, url });
    const b = await ingestRaw(handle.db, { raw: v2, url });
    expect(a.status).toBe('created');
    expect(b).toEqual({ status: 'updated', articleId: (a as { articleId: number }).articleId });
    const [row] = await handle.db.select().from(articles).where(eq(articles.url, url));
    expect(row!.body).toContain('14.5 percent');
  });

  it('drops what other stories said about a page when its URL brings different content', async () => {
    const url = 'https://news.example.org/2021/03/drought-update';
    const first = (await ingestRaw(handle.db, { raw: droughtFollowUp.replace('this week', 'on Monday'), url })) as { articleId: number };
    const pointing = await handle.db.select().from(relatedArticles).where(eq(relatedArticles.relatedId, first.articleId));
    expect(pointing.length).toBeGreaterThan(0);
    const replaced = await ingestRaw(handle.db, { raw: football.replace('Rovers', 'United'), url });
    expect(replaced).toEqual({ status: 'updated', articleId: first.articleId });
    const after = await handle.db.select().from(relatedArticles).where(eq(relatedArticles.relatedId, first.articleId));
    // Only relations computed for the new text remain, and none of them still claims the old shared person.
    for (const r of after) expect(r.reasons.map((x) => x.label)).not.toContain('Wanjiru Kamau');
  });

  it.each([
    ['empty text', '   \n ', /empty/],
    ['binary junk', '\u0000\u0001\u0002PK\u0003\u0004binary\u0000', /binary/],
    ['an oversized body', `Headline\n\n${'word '.repeat(5 * 1024 * 1024)}`, /limit/],
  ])('refuses %s with a clear reason and writes nothing', async (_name, raw, reason) => {
    const before = await articleCount();
    const outcome = await ingestRaw(handle.db, { raw });
    expect(outcome.status).toBe('failed');
    expect((outcome as { reason: string }).reason).toMatch(reason);
    expect(await articleCount()).toBe(before);
  });

  it('refuses a URL that is not http(s)', async () => {
    const outcome = await ingestRaw(handle.db, { raw: football, url: 'javascript:alert(1)' });
    expect(outcome).toMatchObject({ status: 'failed', field: 'url' });
  });

  it('stores every quote with offsets that index the stored body', async () => {
    const rows = await handle.db
      .select({ text: quotes.text, start: quotes.start, end: quotes.end, body: articles.body })
      .from(quotes)
      .innerJoin(articles, eq(articles.id, quotes.articleId));
    expect(rows.length).toBeGreaterThan(2);
    for (const q of rows) expect(q.body.slice(q.start, q.end)).toBe(q.text);
  });

  it('flags a lightly edited copy as a near-duplicate and never relates the two', async () => {
    const original = page('Mine flooding traps workers in northern province', '07:30, June 02, 2021', [
      'LUBUMBASHI, June 1 (Reuters) -- Rescue teams worked through the night to reach 14 miners trapped by flooding in a copper mine, provincial governor Jacques Ilunga said on Tuesday.',
      'Water from heavy rains poured into the lower galleries late on Monday, cutting off the miners, the mine operator said in a statement.',
      '"We are pumping water out as fast as we can and we still hope to find them alive," Ilunga told reporters at the mine.',
      'The province has suffered three mining accidents this year, and unions have called for stricter inspections of flood defences.',
    ]);
    const edited = original
      .replace('07:30, June 02, 2021', '09:45, June 02, 2021')
      .replace('14 miners', '15 miners')
      .replace('unions have called for', 'unions are demanding');
    const a = (await ingestRaw(handle.db, { raw: original })) as { articleId: number };
    const b = (await ingestRaw(handle.db, { raw: edited })) as { status: string; articleId: number };
    expect(b.status).toBe('created');
    const [copy] = await handle.db.select().from(articles).where(eq(articles.id, b.articleId));
    expect(copy!.duplicateOf).toBe(a.articleId);
    const pairs = await handle.db.select().from(relatedArticles);
    expect(pairs.filter((p) => [p.articleId, p.relatedId].sort().join() === [a.articleId, b.articleId].sort().join())).toEqual([]);

    // A different story on the same subject is related, not a duplicate.
    const other = (await ingestRaw(handle.db, {
      raw: page('Miners rescued after flooding', '18:00, June 03, 2021', [
        'LUBUMBASHI, June 3 (Reuters) -- All the trapped miners were brought to the surface alive after two days underground, governor Jacques Ilunga said.',
        'Ilunga praised the rescue teams and promised an inquiry into the flooding.',
      ]),
    })) as { articleId: number };
    const [otherRow] = await handle.db.select().from(articles).where(eq(articles.id, other.articleId));
    expect(otherRow!.duplicateOf).toBeNull();
    const related = await handle.db.select().from(relatedArticles).where(eq(relatedArticles.articleId, other.articleId));
    expect(related.map((r) => r.relatedId)).toContain(a.articleId);
  });

  it('ingests a batch in one go, keeping each outcome in its input order', async () => {
    const before = await articleCount();
    const outcomes = await ingestBatch(handle.db, [
      { raw: page('Vaccine drive reaches rural clinics', '11:00, July 01, 2021', ['KAMPALA, July 1 (Reuters) -- Health workers took vaccines to rural clinics, Health Minister Jane Aceng said.']) },
      { raw: '' },
      { raw: drought },
      { raw: page('Rail line reopens after repairs', '12:00, July 02, 2021', ['DAR ES SALAAM, July 2 (Reuters) -- The central rail line reopened after flood repairs, the railway company said.']) },
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['created', 'failed', 'unchanged', 'created']);
    expect(await articleCount()).toBe(before + 2);
  });

  it('leaves one article when the same page is ingested twice at once', async () => {
    const raw = page('Port strike ends after pay deal', '08:00, April 01, 2021', [
      'MOMBASA, March 31 (Reuters) -- Dock workers ended a week-long strike after a pay deal, union leader Amina Odhiambo said.',
    ]);
    const before = await articleCount();
    const outcomes = await Promise.all([ingestRaw(handle.db, { raw }), ingestRaw(handle.db, { raw })]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['created', 'unchanged']);
    expect(await articleCount()).toBe(before + 1);
  });
});
