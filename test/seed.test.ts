import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../src/db/client.js';
import type { NewsGraphServer } from '../src/server.js';
import { createTestDb } from './support/db.js';
import { query, testServer } from './support/graphql.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SEED_FILE = '000_62a88a9f84c9e534.txt';

function readSeed(): { raw: string; source: string | null } {
  const bundled = path.join(root, 'data/sample', SEED_FILE);
  const file = existsSync(bundled) ? bundled : path.resolve(root, '../shared/seeds', SEED_FILE);
  const manifest = path.join(root, 'data/sample/sample.json');
  const source = existsSync(manifest)
    ? ((JSON.parse(readFileSync(manifest, 'utf8')) as Array<{ file: string; source?: string }>).find((e) => e.file === SEED_FILE)
        ?.source ?? null)
    : null;
  return { raw: readFileSync(file, 'utf8'), source };
}

const INGEST = /* GraphQL */ `
  mutation Ingest($input: IngestArticleInput!) {
    ingestArticle(input: $input) { created status article { id } userErrors { field message } }
  }
`;

const SEED_QUERY = /* GraphQL */ `
  query Seed($id: ID!) {
    node(id: $id) {
      ... on Article {
        id
        headline
        publishedAt
        dateline { place date agency }
        source { name }
        body
        paragraphs
        editors
        topics { score topic { slug name } }
        people { role roleTitle roleOrganization person { name } }
        spokespeople { role person { name } quotes { text kind } }
        quotes { text kind start end cue speaker { name } }
        events { name }
        organizations { entity { name } }
        places { entity { name } }
        pageLinks { list position headline article { id } }
      }
    }
  }
`;

type Quote = { text: string; kind: 'DIRECT' | 'INDIRECT'; start: number; end: number; cue: string | null; speaker: { name: string } | null };

describe('the seed page, through GraphQL', () => {
  let handle: DbHandle;
  let yoga: NewsGraphServer;
  let article: any;
  let seed: ReturnType<typeof readSeed>;

  beforeAll(async () => {
    handle = await createTestDb();
    yoga = testServer(handle);
    seed = readSeed();
    const { ingestArticle } = await query(yoga, INGEST, { input: { raw: seed.raw, source: seed.source } });
    expect(ingestArticle.userErrors).toEqual([]);
    expect(ingestArticle.created).toBe(true);
    article = (await query(yoga, SEED_QUERY, { id: ingestArticle.article.id })).node;
  }, 60_000);

  afterAll(async () => {
    await handle?.close();
  });

  it('is idempotent: the same page again is unchanged', async () => {
    const { ingestArticle } = await query(yoga, INGEST, { input: { raw: seed.raw, source: seed.source } });
    expect(ingestArticle).toMatchObject({ created: false, status: 'UNCHANGED', userErrors: [] });
    expect(ingestArticle.article.id).toBe(article.id);
    expect((await query(yoga, '{ articles { totalCount } }')).articles.totalCount).toBe(1);
  });

  it('has the headline and the publication time in UTC', () => {
    expect(article.headline).toBe('China willing to hold dialogues with U.S. on cyber security: spokesman');
    // 08:40, June 04, 2013, Beijing time
    expect(article.publishedAt).toBe('2013-06-04T00:40:00.000Z');
  });

  it('has the dateline', () => {
    expect(article.dateline).toEqual({ place: 'BEIJING', date: '2013-06-03', agency: 'Xinhua' });
    if (seed.source) expect(article.source).toEqual({ name: seed.source });
  });

  it('has the six body paragraphs and none of the boilerplate', () => {
    expect(article.paragraphs).toHaveLength(6);
    expect(article.paragraphs[0]).toMatch(/^China is willing to hold constructive discussions/);
    expect(article.body).toBe(article.paragraphs.join('\n\n'));
    for (const boilerplate of [
      'Latest News',
      'We Recommend',
      'Email|Print|Comments',
      'Leave your comment',
      'Most Popular',
      'Selections for you',
      'happening in China',
      'Seaplanes of North Sea Fleet',
      'Mechanized infantry brigade in drill',
      'Exit from QE in U.S.',
      'Central China mine blast',
      'Photo story',
      'YanMeng',
    ]) {
      expect(article.body, boilerplate).not.toContain(boilerplate);
    }
  });

  it('credits the editors', () => {
    expect(article.editors).toEqual(['YanMeng', 'Yao Chun']);
  });

  it('names exactly the two spokespeople, with their roles as stated', () => {
    const spokespeople = Object.fromEntries(
      article.spokespeople.map((s: { person: { name: string }; role: string }) => [s.person.name, s.role]),
    );
    expect(spokespeople).toEqual({ 'Hong Lei': 'Foreign Ministry spokesman', 'Chuck Hagel': 'U.S. Defense Secretary' });
    const hong = article.people.find((p: { person: { name: string } }) => p.person.name === 'Hong Lei');
    expect(hong).toMatchObject({ roleTitle: 'spokesman', roleOrganization: 'Foreign Ministry' });
  });

  it('attributes the quotes: one direct and at least four indirect by Hong Lei, one by Hagel, none by anyone else', () => {
    const quotes = article.quotes as Quote[];
    expect(quotes.every((q) => q.speaker !== null)).toBe(true);
    expect(new Set(quotes.map((q) => q.speaker?.name))).toEqual(new Set(['Hong Lei', 'Chuck Hagel']));

    const direct = quotes.filter((q) => q.kind === 'DIRECT');
    expect(direct).toHaveLength(1);
    expect(direct[0]).toMatchObject({
      text: 'The Chinese government attaches great importance to the issue and opposes hackers or cyber attacks of any kind',
      speaker: { name: 'Hong Lei' },
    });

    const hongIndirect = quotes.filter((q) => q.kind === 'INDIRECT' && q.speaker?.name === 'Hong Lei');
    expect(hongIndirect.length).toBeGreaterThanOrEqual(4);
    const cues = hongIndirect.map((q) => (q.cue ?? '').toLowerCase());
    expect(cues.filter((c) => /spokesman said/.test(c))).toHaveLength(1);
    expect(cues.filter((c) => /\bhong said\b/.test(c))).toHaveLength(2);
    expect(cues.filter((c) => /^he said$|\bhe said\b/.test(c))).toHaveLength(1);
    expect(hongIndirect.some((q) => q.text.startsWith('China is willing to hold constructive discussions'))).toBe(true);
    expect(hongIndirect.some((q) => q.text.startsWith('China is one of the biggest victims of hacking activities'))).toBe(true);

    const hagel = quotes.filter((q) => q.speaker?.name === 'Chuck Hagel');
    expect(hagel).toHaveLength(1);
    expect(hagel[0]!.cue ?? '').toMatch(/Hagel said/);

    const spokesQuotes = Object.fromEntries(
      article.spokespeople.map((s: { person: { name: string }; quotes: unknown[] }) => [s.person.name, s.quotes.length]),
    );
    expect(spokesQuotes).toEqual({ 'Hong Lei': direct.length + hongIndirect.length, 'Chuck Hagel': 1 });
  });

  it('gives exact offsets: body.slice(start, end) is the quote text, in body order', () => {
    const quotes = article.quotes as Quote[];
    expect(quotes.length).toBeGreaterThanOrEqual(6);
    for (const q of quotes) expect(article.body.slice(q.start, q.end)).toBe(q.text);
    const starts = quotes.map((q) => q.start);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
  });

  it('is about cyber security first, and about U.S.-China relations', () => {
    const slugs = article.topics.map((t: { topic: { slug: string } }) => t.topic.slug);
    expect(slugs[0]).toBe('cyber-security');
    expect(slugs).toContain('us-china-relations');
    const scores = article.topics.map((t: { score: number }) => t.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it('names the Foreign Ministry as an organization and China and the United States as places', () => {
    expect(article.organizations.map((o: { entity: { name: string } }) => o.entity.name)).toContain('Foreign Ministry');
    const places = article.places.map((p: { entity: { name: string } }) => p.entity.name);
    expect(places).toEqual(expect.arrayContaining(['China', 'United States']));
    expect(places).not.toContain('Hong Lei');
  });

  it('mentions the 12th Shangri-la Dialogue', () => {
    expect(article.events.map((e: { name: string }) => e.name)).toEqual(
      expect.arrayContaining([expect.stringMatching(/12th Shangri-la Dialogue/i)]),
    );
  });

  it('lists the 31 numbered headlines of the four boxes', () => {
    const links = article.pageLinks as Array<{ list: string; position: number; headline: string; article: unknown }>;
    const byList = new Map<string, typeof links>();
    for (const link of links) {
      const list = link.list.replace(/[\u2018\u2019]/g, "'");
      byList.set(list, [...(byList.get(list) ?? []), link]);
    }
    expect([...byList.keys()].sort()).toEqual(['Most Popular', 'Selections for you', 'We Recommend', "What's happening in China"]);
    expect(byList.get('We Recommend')).toHaveLength(6);
    expect(byList.get('Selections for you')).toHaveLength(10);
    expect(byList.get('Most Popular')).toHaveLength(10);
    // The featured "Photo story" line above the numbered list may count as a sixth.
    expect([5, 6]).toContain(byList.get("What's happening in China")!.length);
    expect([31, 32]).toContain(links.length);

    expect(byList.get('Most Popular')!.map((l) => l.position)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(byList.get('We Recommend')![0]!.headline).toBe('Seaplanes of North Sea Fleet in training at sea');
    expect(byList.get('Most Popular')![9]!.headline).toBe('Japan, India eager to forge closer ties');
    // None of those stories is stored yet.
    expect(links.every((l) => l.article === null)).toBe(true);
  });
});
