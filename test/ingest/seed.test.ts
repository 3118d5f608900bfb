import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { extract } from '../../src/ingest/extract/index.js';
import { parseDocument } from '../../src/ingest/parse/index.js';
import { bodyOf } from '../../src/ingest/types.js';

const SEED = fileURLToPath(new URL('../../../shared/seeds/000_62a88a9f84c9e534.txt', import.meta.url));
const present = existsSync(SEED);
if (!present) console.warn(`seed page not found at ${SEED} (../shared is absent): skipping the seed tests`);

describe.skipIf(!present)('seed page (People\'s Daily Online copy of a Xinhua story)', () => {
  const raw = present ? readFileSync(SEED, 'utf8') : '';
  const doc = present ? parseDocument(raw) : (null as never);
  const x = present ? extract(doc) : (null as never);
  const body = present ? bodyOf(doc) : '';

  it('reads headline, UTC time and dateline', () => {
    expect(doc.format).toBe('page');
    expect(doc.headline).toBe('China willing to hold dialogues with U.S. on cyber security: spokesman');
    expect(doc.publishedAt?.toISOString()).toBe('2013-06-04T00:40:00.000Z');
    expect(doc.dateline).toEqual({ place: 'BEIJING', date: '2013-06-03', agency: 'Xinhua' });
    expect(doc.language).toBe('en');
    expect(doc.source).toBeNull();
    expect(parseDocument(raw, { url: 'http://english.peopledaily.com.cn/90883/8270000.html' }).source).toBe(
      "People's Daily Online",
    );
    expect(parseDocument(raw, { source: 'Xinhua' }).source).toBe('Xinhua');
  });

  it('keeps exactly the six body paragraphs, text as printed', () => {
    expect(doc.paragraphs).toHaveLength(6);
    expect(doc.paragraphs[0]).toMatch(/^China is willing to hold constructive discussions/);
    expect(doc.paragraphs[2]).toMatch(/according to media reports,$/);
    for (const junk of ['Latest News', 'We Recommend', 'Email|Print', 'Leave your comment', 'Most Popular', 'Seaplanes', '1. Name']) {
      expect(body).not.toContain(junk);
    }
  });

  it('reads editors across the ideographic comma', () => {
    expect(doc.editors).toEqual(['YanMeng', 'Yao Chun']);
  });

  it('collects 31 headline links in four boxes', () => {
    const counts: Record<string, number> = {};
    for (const l of doc.pageLinks) counts[l.list] = (counts[l.list] ?? 0) + 1;
    expect(counts).toEqual({ 'We Recommend': 6, 'Selections for you': 10, 'Most Popular': 10, "What's happening in China": 5 });
    expect(doc.pageLinks).toHaveLength(31);
    expect(doc.pageLinks[0]).toEqual({ list: 'We Recommend', position: 1, headline: 'Seaplanes of North Sea Fleet in training at sea' });
    expect(doc.pageLinks.find((l) => l.list === 'Most Popular' && l.position === 10)?.headline).toBe(
      'Japan, India eager to forge closer ties',
    );
    // The featured "Photo story" line of the last box is a teaser, not a numbered link.
    expect(doc.pageLinks.filter((l) => l.list === "What's happening in China").map((l) => l.position)).toEqual([1, 2, 3, 4, 5]);
    expect(doc.pageLinks.some((l) => l.headline === 'Name')).toBe(false);
  });

  it('finds Hong Lei and Chuck Hagel with their roles', () => {
    const hong = x.people.find((p) => p.key === 'hong lei');
    const hagel = x.people.find((p) => p.key === 'chuck hagel');
    expect(hong?.role).toEqual({ text: 'Foreign Ministry spokesman', title: 'spokesman', organization: 'Foreign Ministry' });
    expect(hong?.aliases).toEqual(expect.arrayContaining(['Hong', 'Spokesman Hong Lei']));
    expect(hagel?.role).toEqual({ text: 'U.S. Defense Secretary', title: 'defense secretary', organization: 'U.S.' });
    expect(x.people.map((p) => p.key).sort()).toEqual(['chuck hagel', 'hong lei']);
    for (const p of x.people) for (const m of p.mentions) expect(p.name).toContain(body.slice(m.start, m.end));
  });

  it('attributes one direct and four indirect quotes to Hong Lei and one to Hagel', () => {
    for (const q of x.quotes) expect(body.slice(q.start, q.end)).toBe(q.text);
    const direct = x.quotes.filter((q) => q.kind === 'DIRECT');
    expect(direct).toHaveLength(1);
    expect(direct[0]).toMatchObject({
      speakerKey: 'hong lei',
      text: 'The Chinese government attaches great importance to the issue and opposes hackers or cyber attacks of any kind',
    });
    const hongIndirect = x.quotes.filter((q) => q.kind === 'INDIRECT' && q.speakerKey === 'hong lei');
    expect(hongIndirect.map((q) => q.cue)).toEqual(['a Foreign Ministry spokesman said', 'Hong said', 'he said', 'Hong said']);
    expect(hongIndirect[0]?.text).toBe('China is willing to hold constructive discussions with the United States on cyber security');
    expect(hongIndirect[3]?.text).toBe('China is one of the biggest victims of hacking activities');
    const hagel = x.quotes.filter((q) => q.speakerKey === 'chuck hagel');
    expect(hagel).toHaveLength(1);
    expect(hagel[0]?.text).toMatch(/^the U\.S\.-China network work group can help/);
    expect(new Set(x.quotes.map((q) => q.speakerKey))).toEqual(new Set(['hong lei', 'chuck hagel']));
  });

  it('ranks cyber-security first and includes us-china-relations', () => {
    expect(x.topics[0]?.slug).toBe('cyber-security');
    expect(x.topics.map((t) => t.slug)).toContain('us-china-relations');
    for (const t of x.topics) expect(t.score).toBeGreaterThan(0);
    for (const t of x.topics) expect(t.score).toBeLessThanOrEqual(1);
    expect(x.topics.length).toBeLessThanOrEqual(5);
  });

  it('names the 12th Shangri-la Dialogue as an event', () => {
    const e = x.events.find((ev) => ev.key === '12th shangri-la dialogue');
    expect(e?.name).toBe('12th Shangri-la Dialogue');
    for (const m of e?.mentions ?? []) expect(body.slice(m.start, m.end)).toBe('12th Shangri-la Dialogue');
  });
});
