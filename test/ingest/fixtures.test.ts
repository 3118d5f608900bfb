import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { extract } from '../../src/ingest/extract/index.js';
import { parseDocument } from '../../src/ingest/parse/index.js';
import { bodyOf, type Extraction, type ParsedDocument } from '../../src/ingest/types.js';

function load(name: string): { doc: ParsedDocument; x: Extraction; body: string } {
  const raw = readFileSync(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)), 'utf8');
  const doc = parseDocument(raw);
  const x = extract(doc);
  return { doc, x, body: bodyOf(doc) };
}

function expectExactSpans({ x, body }: { x: Extraction; body: string }): void {
  for (const q of x.quotes) expect(body.slice(q.start, q.end)).toBe(q.text);
  for (const p of x.people) for (const m of p.mentions) expect(p.name.split(' ')).toContain(body.slice(m.start, m.end).split(' ').pop());
  for (const e of x.events) for (const m of e.mentions) expect(body.slice(m.start, m.end).toLowerCase()).toBe(e.key);
}

const quotesOf = (x: Extraction) => x.quotes.map((q) => ({ kind: q.kind, speaker: q.speakerKey, cue: q.cue, text: q.text }));

describe('AP-style page: appositive spokeswoman, quotes before and after the cue, "she"', () => {
  const f = load('ap_washington.txt');

  it('parses time in the agency zone, the AP dateline, boxes and editors', () => {
    expect(f.doc.headline).toBe('State Department defends visa rules after student protests');
    // 10:15 AM in Washington (EST) with no zone printed: AP's home zone.
    expect(f.doc.publishedAt?.toISOString()).toBe('2014-01-05T15:15:00.000Z');
    expect(f.doc.dateline).toEqual({ place: 'WASHINGTON', date: '2014-01-05', agency: 'AP' });
    expect(f.doc.paragraphs[0]).toMatch(/^The State Department on Sunday defended/);
    expect(f.doc.paragraphs).toHaveLength(5);
    expect(f.doc.editors).toEqual(['Mary Jones', 'Tom Lee']);
    expect(f.doc.pageLinks.map((l) => [l.list, l.position])).toEqual([
      ['Related Stories', 1],
      ['Related Stories', 2],
    ]);
  });

  it('takes the role from the appositive and attributes every quote to her', () => {
    expectExactSpans(f);
    expect(f.x.people).toHaveLength(1);
    expect(f.x.people[0]).toMatchObject({
      key: 'jen psaki',
      role: { text: 'spokeswoman for the State Department', title: 'spokeswoman', organization: 'State Department' },
    });
    expect(quotesOf(f.x)).toEqual([
      { kind: 'INDIRECT', speaker: 'jen psaki', cue: 'Jen Psaki, a spokeswoman for the State Department, said', text: 'the rules had been drafted with universities over six months' },
      { kind: 'INDIRECT', speaker: 'jen psaki', cue: 'She said', text: 'the department expected no delays this spring' },
      { kind: 'DIRECT', speaker: 'jen psaki', cue: 'Psaki said', text: 'We have heard the concerns of students and we take them seriously' },
      { kind: 'DIRECT', speaker: 'jen psaki', cue: 'Psaki told', text: 'Nobody who applied on time will lose a place.' },
      { kind: 'DIRECT', speaker: 'jen psaki', cue: 'she added', text: 'These rules protect students as much as they protect our borders' },
    ]);
  });
});

describe('Reuters-style page: no boxes, multi-paragraph quote, unresolvable speakers', () => {
  const f = load('reuters_london.txt');

  it('reads a printed GMT time and a dateline without a date', () => {
    expect(f.doc.publishedAt?.toISOString()).toBe('2014-03-06T12:00:00.000Z');
    expect(f.doc.dateline).toEqual({ place: 'LONDON', date: null, agency: 'Reuters' });
    expect(f.doc.pageLinks).toEqual([]);
    expect(f.doc.editors).toEqual([]);
    expect(f.doc.paragraphs).toHaveLength(8);
    expect(f.doc.paragraphs.at(-1)).toBe('John Smith met Peter Brown at the meeting. He said the talks went well.');
  });

  it('keeps one quote across paragraphs, and unresolvable speakers as null', () => {
    expectExactSpans(f);
    const carney = f.x.people.find((p) => p.key === 'mark carney');
    expect(carney?.role).toEqual({ text: 'governor of the Bank of England', title: 'governor', organization: 'Bank of England' });
    const direct = f.x.quotes.filter((q) => q.kind === 'DIRECT');
    expect(direct).toHaveLength(1);
    expect(direct[0]?.speakerKey).toBe('mark carney');
    expect(direct[0]?.text).toBe(
      'Growth has returned, but it is not yet balanced. Households are still rebuilding their savings.\n\n"We will keep rates low for as long as the recovery needs it',
    );
    expect(f.x.quotes.find((q) => q.cue === 'Mark Carney, governor of the Bank of England, told')?.text).toBe('the recovery was still fragile');
    // "An official" names nobody; "He" could be John Smith or Peter Brown.
    expect(f.x.quotes.find((q) => q.cue === 'An official said')).toMatchObject({ speakerKey: null, text: 'the bank would publish new forecasts next month' });
    expect(f.x.quotes.find((q) => q.cue === 'He said')).toMatchObject({ speakerKey: null, text: 'the talks went well' });
    // Figures and traders are sources, not speakers.
    expect(f.x.quotes.some((q) => q.cue?.startsWith('according to'))).toBe(false);
  });
});

describe('Xinhua page on New Year: year-boundary dateline, organizations, events', () => {
  const f = load('xinhua_newyear.txt');

  it('puts a Dec. 31 dateline on a Jan. 1 page in the previous year', () => {
    // 08:10 Beijing time on Jan. 1 is 00:10 UTC.
    expect(f.doc.publishedAt?.toISOString()).toBe('2014-01-01T00:10:00.000Z');
    expect(f.doc.dateline).toEqual({ place: 'BEIJING', date: '2013-12-31', agency: 'Xinhua' });
    expect(f.doc.pageLinks.map((l) => l.headline)).toEqual(['Record trade surplus reported', 'Yuan hits new high against dollar', 'Ports brace for holiday rush']);
  });

  it('keeps organization sources with a null speaker and drops statistics', () => {
    expectExactSpans(f);
    const q = quotesOf(f.x);
    expect(q).toContainEqual({ kind: 'INDIRECT', speaker: null, cue: 'according to the Ministry of Commerce', text: 'Exports rose 8 percent from a year earlier' });
    expect(q.some((x) => x.cue === 'according to statistics')).toBe(false);
    expect(q).toContainEqual({ kind: 'DIRECT', speaker: 'shen danyang', cue: 'said Shen Danyang, spokesman for the Ministry of Commerce', text: 'Our trade structure continues to improve' });
    expect(q.filter((x) => x.speaker === 'shen danyang')).toHaveLength(3);
    expect(f.x.people.map((p) => p.key)).toEqual(['shen danyang']);
    expect(f.x.people[0]?.role).toEqual({ text: 'spokesman for the Ministry of Commerce', title: 'spokesman', organization: 'Ministry of Commerce' });
  });

  it('names events with their ordinal or year', () => {
    expect(f.x.events.map((e) => e.key)).toEqual(["2014 apec economic leaders' meeting", 'g20 summit']);
  });

  it('scores trade first', () => {
    expect(f.x.topics[0]?.slug).toBe('trade');
  });
});

describe('wire page from New York: printed zone, inverted cue, continuation, "she"', () => {
  const f = load('nyc_march.txt');

  it('converts a printed EST time and reads a dateline without agency', () => {
    expect(f.doc.publishedAt?.toISOString()).toBe('2014-03-02T22:30:00.000Z');
    expect(f.doc.dateline).toEqual({ place: 'NEW YORK', date: '2014-03-02', agency: null });
    expect(f.doc.pageLinks.map((l) => l.list)).toEqual(['You May Also Like', 'You May Also Like']);
  });

  it('follows the speaker through an inverted cue, a continued quote and pronouns', () => {
    expectExactSpans(f);
    const lopez = f.x.quotes.filter((q) => q.speakerKey === 'anna lopez');
    expect(lopez.map((q) => [q.kind, q.text])).toEqual([
      ['DIRECT', 'This is a market that wants to go up'],
      ['DIRECT', 'Earnings have been better than anyone expected.'],
      ['INDIRECT', 'investors were also watching the Federal Reserve'],
      ['INDIRECT', 'Investors shrugged off weak manufacturing data'],
      ['DIRECT', 'The rally has legs'],
    ]);
    expect(f.x.people[0]?.role).toMatchObject({ title: 'chief market strategist', organization: 'Harbor Bank' });
    expect(f.x.topics.map((t) => t.slug)).toContain('markets');
  });
});
