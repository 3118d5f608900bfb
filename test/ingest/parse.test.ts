import { describe, expect, it } from 'vitest';
import { parseDateline } from '../../src/ingest/extract/dateline.js';
import { detectFormat, ParseError, parseDocument } from '../../src/ingest/parse/index.js';
import { parseBoxes, parseEditors } from '../../src/ingest/parse/page.js';
import { parseTimestampLine, toUtc } from '../../src/ingest/parse/time.js';

const at = (iso: string) => new Date(iso);

describe('parseDateline', () => {
  it.each([
    ['BEIJING, June 3 (Xinhua) -- China said', '2013-06-04T00:40:00Z', { place: 'BEIJING', date: '2013-06-03', agency: 'Xinhua' }, 'China said'],
    ['NEW YORK, March 2 - Stocks rose', '2014-03-02T22:30:00Z', { place: 'NEW YORK', date: '2014-03-02', agency: null }, 'Stocks rose'],
    ['LONDON (Reuters) - The bank held', '2014-03-06T12:00:00Z', { place: 'LONDON', date: null, agency: 'Reuters' }, 'The bank held'],
    ['WASHINGTON, Jan. 5 (AP) — The department', '2014-01-05T15:00:00Z', { place: 'WASHINGTON', date: '2014-01-05', agency: 'AP' }, 'The department'],
    ['SAN FRANCISCO, Calif., March 2, 1987 (Reuters) - Shares', '2014-01-01T00:00:00Z', { place: 'SAN FRANCISCO, Calif.', date: '1987-03-02', agency: 'Reuters' }, 'Shares'],
    ['Beijing, Sept. 9 (Xinhua) -- Text', '2013-09-10T00:00:00Z', { place: 'Beijing', date: '2013-09-09', agency: 'Xinhua' }, 'Text'],
  ])('%s', (paragraph, published, dateline, rest) => {
    expect(parseDateline(paragraph, at(published))).toEqual({ dateline, rest });
  });

  it('resolves the year across a year boundary in both directions', () => {
    expect(parseDateline('BEIJING, Dec. 31 (Xinhua) -- x y', at('2014-01-01T00:10:00Z'))?.dateline.date).toBe('2013-12-31');
    expect(parseDateline('TOKYO, Jan. 1 (Kyodo) -- x y', at('2013-12-31T20:00:00Z'))?.dateline.date).toBe('2014-01-01');
  });

  it('leaves the date null without a publication time', () => {
    expect(parseDateline('BEIJING, June 3 (Xinhua) -- x', null)?.dateline).toEqual({ place: 'BEIJING', date: null, agency: 'Xinhua' });
  });

  it('does not take ordinary sentences for datelines', () => {
    expect(parseDateline('China is willing to hold talks - with the U.S.', null)).toBeNull();
    expect(parseDateline('Officials - who declined to be named - said so.', null)).toBeNull();
    expect(parseDateline('"We will win," Hong said.', null)).toBeNull();
  });
});

describe('timestamps', () => {
  it('reads the common printed shapes', () => {
    expect(parseTimestampLine('08:40, June 04, 2013')).toMatchObject({ year: 2013, month: 6, day: 4, hour: 8, minute: 40, zone: null });
    expect(parseTimestampLine('June 4, 2013 8:40 PM')).toMatchObject({ day: 4, hour: 20 });
    expect(parseTimestampLine('Updated: 2013-06-04 08:40:05')).toMatchObject({ second: 5 });
    expect(parseTimestampLine('04 June 2013 08:40 GMT')).toMatchObject({ zone: 0 });
    expect(parseTimestampLine('2013-06-04 08:40 +0530')).toMatchObject({ zone: 330 });
    expect(parseTimestampLine('China willing to hold dialogues with U.S.')).toBeNull();
  });

  it('converts through DST-aware zones', () => {
    const summer = parseTimestampLine('2013-07-01 12:00');
    const winter = parseTimestampLine('2013-01-01 12:00');
    expect(toUtc(summer!, 'America/New_York').toISOString()).toBe('2013-07-01T16:00:00.000Z');
    expect(toUtc(winter!, 'America/New_York').toISOString()).toBe('2013-01-01T17:00:00.000Z');
    expect(toUtc(winter!, null).toISOString()).toBe('2013-01-01T12:00:00.000Z');
  });
});

const PAGE = ['A headline about something', '', '09:00, May 01, 2014', '', 'ROME (AP) - First paragraph here.', '', 'Second paragraph.'].join('\n');

describe('parseDocument', () => {
  it('rejects empty, binary and shapeless input with readable reasons', () => {
    expect(() => parseDocument('   \n ')).toThrow(/^empty text$/);
    expect(() => parseDocument('abc\u0000\u0001def')).toThrow(/binary content \(NUL\/control bytes\)/);
    expect(() => parseDocument('just one line of words without structure')).toThrow(/no recognizable headline/);
    expect(() => parseDocument('A headline\n\n09:00, May 01, 2014\n\n')).toThrow(/no body text/);
    let caught: unknown;
    try {
      parseDocument('');
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ParseError);
    expect(caught).toMatchObject({ name: 'ParseError', reason: 'empty' });
  });

  it('honours the time-zone option, and names the source from the URL', () => {
    expect(parseDocument(PAGE).publishedAt?.toISOString()).toBe('2014-05-01T13:00:00.000Z');
    expect(parseDocument(PAGE, { timeZone: 'Europe/Rome' }).publishedAt?.toISOString()).toBe('2014-05-01T07:00:00.000Z');
    expect(() => parseDocument(PAGE, { timeZone: 'Mars/Olympus' })).toThrow(/unknown time zone/);
    expect(parseDocument(PAGE, { url: 'https://www.xinhuanet.com/english/x.htm' })).toMatchObject({ source: 'Xinhua', url: 'https://www.xinhuanet.com/english/x.htm' });
    expect(parseDocument(PAGE, { url: 'https://example.org/x' }).source).toBeNull();
  });

  it('detects the plain headline-blank-paragraphs shape', () => {
    const raw = 'Plain headline here\n\nFirst paragraph, with words.\n\nSecond paragraph.\n';
    expect(detectFormat(raw)).toBe('plain');
    expect(detectFormat(PAGE)).toBe('page');
    expect(parseDocument(raw)).toMatchObject({ format: 'plain', headline: 'Plain headline here', publishedAt: null, paragraphs: ['First paragraph, with words.', 'Second paragraph.'] });
  });
});

describe('page boxes', () => {
  it('reads numbered and unnumbered boxes, skipping teasers and comment forms', () => {
    const { pageLinks, editors } = parseBoxes([
      'Related:', 'One story', 'Two story',
      'Leave your comment', '1. Name', '2. Email',
      'Top Stories', 'Featured teaser line', '1. First', '2. Second',
      'Another box', '1. Third',
      '(Editor: Zhang San, Li Si)',
    ]);
    expect(pageLinks.map((l) => `${l.list}#${l.position}:${l.headline}`)).toEqual([
      'Related#1:One story', 'Related#2:Two story', 'Top Stories#1:First', 'Top Stories#2:Second', 'Another box#1:Third',
    ]);
    expect(editors).toEqual(['Zhang San', 'Li Si']);
  });

  it('normalizes curly apostrophes in box titles only', () => {
    const { pageLinks } = parseBoxes(['What’s new', '1. Children’s Day']);
    expect(pageLinks).toEqual([{ list: "What's new", position: 1, headline: 'Children’s Day' }]);
  });

  it('splits editors on ideographic and ASCII separators', () => {
    expect(parseEditors('Email|Print|Comments(Editor:YanMeng、Yao Chun)')).toEqual(['YanMeng', 'Yao Chun']);
    expect(parseEditors('Editor: A. Writer')).toEqual(['A. Writer']);
  });
});
