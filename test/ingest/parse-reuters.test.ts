import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { extract } from '../../src/ingest/extract/index.js';
import { decodeText } from '../../src/ingest/files.js';
import {
  detectFormat,
  INPUT_FORMATS,
  ParseError,
  parseDocument,
  printedDatelinePlace,
  splitRaw,
} from '../../src/ingest/parse/index.js';
import { decodeEntities } from '../../src/ingest/parse/entities.js';
import { parseReutersDate, reutersParagraphs } from '../../src/ingest/parse/reuters.js';

const story = (attrs: string, inner: string, text: string, type = ''): string =>
  `<REUTERS TOPICS="YES" LEWISSPLIT="TRAIN" CGISPLIT="TRAINING-SET" ${attrs}>\n${inner}\n` +
  `<UNKNOWN> \n&#5;&#5;&#5;C T\n&#22;&#22;&#1;f0704&#31;reute\nu f BC-X   02-26 0105</UNKNOWN>\n` +
  `<TEXT${type}>&#2;\n${text}</TEXT>\n</REUTERS>`;

const labels = (topics: string[], people: string[] = []): string =>
  `<DATE>26-FEB-1987 15:01:01.79</DATE>\n<TOPICS>${topics.map((t) => `<D>${t}</D>`).join('')}</TOPICS>\n` +
  `<PLACES><D>usa</D></PLACES>\n<PEOPLE>${people.map((p) => `<D>${p}</D>`).join('')}</PEOPLE>\n<ORGS></ORGS>\n` +
  `<EXCHANGES><D>nyse</D></EXCHANGES>\n<COMPANIES></COMPANIES>`;

const FULL = story(
  'OLDID="5544" NEWID="1"',
  labels(['money-fx', 'interest'], ['volcker']),
  `<TITLE>FED'S VOLCKER SAYS DOLLAR &lt;USD> DECLINE HAS GONE FAR ENOUGH</TITLE>
<AUTHOR>    By Jane Doe, Reuters</AUTHOR>
<DATELINE>    NEW YORK, Feb 26 - </DATELINE><BODY>Federal Reserve Chairman Paul Volcker said the
dollar's decline against the yen &amp; the mark has gone far enough, according to
a text released by the Fed.
    "We think the adjustment is largely done," Volcker told the
House Banking Committee.
    Shares of &lt;Bank of Boston Corp> rose 1/8 to 41&#127;3/4 in
active trading.
 Reuter
&#3;</BODY>`,
);

const TITLE_ONLY = story(
  'TOPICS="NO" OLDID="5600" NEWID="2"',
  labels([]),
  `<TITLE>CANADA'S MULRONEY TO VISIT WASHINGTON NEXT MONTH
</TITLE>&#3;
`,
);

const YEAR_BOUNDARY = story(
  'OLDID="5601" NEWID="3"',
  '<DATE> 1-JAN-1988 00:10:00.00</DATE>\n<TOPICS></TOPICS>\n<PLACES><D>japan</D></PLACES>\n<PEOPLE></PEOPLE>\n<ORGS></ORGS>\n<EXCHANGES></EXCHANGES>\n<COMPANIES></COMPANIES>',
  `<TITLE>JAPAN TRADE SURPLUS NARROWS IN DECEMBER</TITLE>
<DATELINE>    TOKYO, Dec 31 - </DATELINE><BODY>Japan's trade surplus narrowed in December, the
Finance Ministry said.
 REUTER
&#3;</BODY>`,
);

const BRIEF = story(
  'TOPICS="NO" OLDID="5574" NEWID="4"',
  labels([]),
  `******<TITLE>ASSETS OF MONEY MARKET MUTUAL FUNDS ROSE 720.4 MLN DLRS IN LATEST WEEK
</TITLE>Blah blah blah.
&#3;

`,
  ' TYPE="BRIEF"',
);

const EMPTY = story('TOPICS="NO" OLDID="1762" NEWID="5"', labels([]), '&#3;\n\n', ' TYPE="UNPROC"');

const UNPROC = story(
  'TOPICS="BYPASS" OLDID="5645" NEWID="6"',
  labels([]),
  `FEDERAL RESERVE WEEKLY REPORT 3 - FEB 26
    One week ended Feb 25 daily avgs-mlns
 Govts bought outright....193,374 down....1,342
 Reuter
&#3;

`,
  ' TYPE="UNPROC"',
);

const SPILLED = story(
  'OLDID="5602" NEWID="7"',
  labels([]),
  `<TITLE>BRAZIL ANTI-INFLATION PLAN LIMPS TO ANNIVERSARY</TITLE>
<DATELINE>    RIO DE JANEIRO, Feb 26 - Brazil's "Cruzado" anti- </DATELINE><BODY>inflation
plan is limping towards its first anniversary.
 Reuter
&#3;</BODY>`,
);

const FILE = ['<!DOCTYPE lewis SYSTEM "lewis.dtd">', FULL, TITLE_ONLY, YEAR_BOUNDARY, BRIEF, EMPTY, UNPROC, SPILLED, ''].join('\n');
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/;

describe('Reuters-21578 SGML', () => {
  const chunks = splitRaw(FILE);

  it('splits a file into one raw chunk per story, and leaves single-story input whole', () => {
    expect(chunks).toHaveLength(7);
    expect(chunks[0]).toBe(FULL);
    expect(chunks.every((c) => c.startsWith('<REUTERS') && c.endsWith('</REUTERS>'))).toBe(true);
    expect(splitRaw(FULL)).toEqual([FULL]);
    const plain = 'A headline\n\nA paragraph.';
    expect(splitRaw(plain)).toEqual([plain]);
    expect(detectFormat(chunks[0] ?? '')).toBe('reuters');
    expect(detectFormat(FILE)).toBe('reuters');
  });

  it('refuses a whole multi-story file', () => {
    expect(() => parseDocument(FILE)).toThrow(/holds 7 Reuters stories; split it with splitRaw first/);
  });

  it('reads title, date (UTC), dateline, author, paragraphs, entities and the sign-off', () => {
    const doc = parseDocument(chunks[0] ?? '');
    expect(doc).toMatchObject({
      format: 'reuters',
      headline: "FED'S VOLCKER SAYS DOLLAR <USD> DECLINE HAS GONE FAR ENOUGH",
      dateline: { place: 'NEW YORK', date: '1987-02-26', agency: 'Reuters' },
      source: 'Reuters',
      authors: ['Jane Doe'],
      editors: [],
      pageLinks: [],
    });
    expect(doc.publishedAt?.toISOString()).toBe('1987-02-26T15:01:01.790Z');
    expect(doc.paragraphs).toEqual([
      "Federal Reserve Chairman Paul Volcker said the dollar's decline against the yen & the mark has gone far enough, according to a text released by the Fed.",
      '"We think the adjustment is largely done," Volcker told the House Banking Committee.',
      'Shares of <Bank of Boston Corp> rose 1/8 to 41 3/4 in active trading.',
    ]);
  });

  it('keeps labels, splits and ids as evaluation-only metadata that extraction ignores', () => {
    const doc = parseDocument(chunks[0] ?? '');
    expect(doc.meta).toMatchObject({
      externalId: '1',
      split: 'TRAIN',
      cgiSplit: 'TRAINING-SET',
      topicsAttribute: 'YES',
      oldId: '5544',
      newId: '1',
      textType: 'NORMAL',
      datelineText: 'NEW YORK, Feb 26 -',
      labels: { topics: ['money-fx', 'interest'], places: ['usa'], people: ['volcker'], orgs: [], exchanges: ['nyse'], companies: [] },
    });
    const { meta: _meta, ...withoutMeta } = doc;
    expect(extract(doc)).toEqual(extract(withoutMeta));
  });

  it('stores a TITLE-only story and a BRIEF with a headline and no paragraphs', () => {
    expect(parseDocument(chunks[1] ?? '')).toMatchObject({ headline: "CANADA'S MULRONEY TO VISIT WASHINGTON NEXT MONTH", paragraphs: [], dateline: null });
    expect(parseDocument(chunks[3] ?? '')).toMatchObject({
      headline: 'ASSETS OF MONEY MARKET MUTUAL FUNDS ROSE 720.4 MLN DLRS IN LATEST WEEK',
      paragraphs: [],
      meta: { textType: 'BRIEF' },
    });
  });

  it('resolves a dateline across the year boundary against DATE', () => {
    const doc = parseDocument(chunks[2] ?? '');
    expect(doc.dateline).toEqual({ place: 'TOKYO', date: '1987-12-31', agency: 'Reuters' });
    expect(doc.paragraphs).toEqual(["Japan's trade surplus narrowed in December, the Finance Ministry said."]);
  });

  it('throws ParseError only for a story with neither title nor body', () => {
    expect(() => parseDocument(chunks[4] ?? '')).toThrow(ParseError);
    expect(() => parseDocument(chunks[4] ?? '')).toThrow(/neither a TITLE nor a BODY/);
  });

  it('reads an UNPROC story: first line is the headline, the rest the body', () => {
    expect(parseDocument(chunks[5] ?? '')).toMatchObject({
      headline: 'FEDERAL RESERVE WEEKLY REPORT 3 - FEB 26',
      paragraphs: ['One week ended Feb 25 daily avgs-mlns', 'Govts bought outright....193,374 down....1,342'],
      dateline: null,
    });
  });

  it('returns body words that the DATELINE element swallowed', () => {
    const doc = parseDocument(chunks[6] ?? '');
    expect(doc.dateline?.place).toBe('RIO DE JANEIRO');
    expect(doc.paragraphs).toEqual(['Brazil\'s "Cruzado" anti-inflation plan is limping towards its first anniversary.']);
  });

  it('decodes entities and leaves no control characters', () => {
    expect(decodeEntities('a &lt;b&gt; &amp; c&#3;&#2;&#127;d &#x41; &#150; &bogus;')).toBe('a <b> & c d A – &bogus;');
    for (const chunk of chunks.filter((_, i) => i !== 4)) {
      const doc = parseDocument(chunk);
      for (const text of [doc.headline, ...doc.paragraphs]) expect(text).not.toMatch(CONTROL);
    }
  });

  it('parses DATE and paragraphs in the corpus shapes', () => {
    expect(parseReutersDate(' 3-MAR-1987  09:15:05.40')?.toISOString()).toBe('1987-03-03T09:15:05.400Z');
    expect(parseReutersDate('27-MAR-1987 00:02:59.13&#5;&#5;&#5;RM')?.toISOString()).toBe('1987-03-27T00:02:59.130Z');
    expect(parseReutersDate('9-APR-1987 00:00:00.00    # date added by S Finch as guesswork ')?.toISOString()).toBe('1987-04-09T00:00:00.000Z');
    expect(parseReutersDate('31-MAR-1987 605:12:19.12')?.toISOString()).toBe('1987-03-31T00:00:00.000Z');
    expect(parseReutersDate('not a date')).toBeNull();
    expect(reutersParagraphs('one\ntwo\n    three\n\nfour')).toEqual(['one two', 'three', 'four']);
  });

  it('measures dateline places against the printed place', () => {
    expect(printedDatelinePlace('    NEW YORK, Feb 26 - ')).toBe('NEW YORK');
    expect(printedDatelinePlace('    BOCA RATON, Fla., March 23 - ')).toBe('BOCA RATON, Fla.');
    expect(printedDatelinePlace('    ROME, March 13, Reuter - ')).toBe('ROME');
    expect(printedDatelinePlace('    AMSTERDAM, 2 March - ')).toBe('AMSTERDAM');
  });
});

describe('forcing a format', () => {
  it('names the valid formats for an unknown one', () => {
    expect(INPUT_FORMATS).toEqual(['page', 'plain', 'reuters', 'html']);
    expect(() => parseDocument('Headline\n\nBody.', { format: 'sgml' })).toThrow(
      'unknown input format "sgml" (valid formats: page, plain, reuters, html)',
    );
  });

  it('uses the forced parser instead of detection', () => {
    expect(parseDocument('Headline here\n\nBody text.', { format: 'plain' }).format).toBe('plain');
    expect(parseDocument('<h1>Headline here</h1><p>Body text.</p>', { format: 'html' })).toMatchObject({ format: 'html', headline: 'Headline here' });
    expect(() => parseDocument('Headline here\n\nBody text.', { format: 'page' })).toThrow(/no recognizable headline/);
    expect(() => parseDocument('Headline here\n\nBody text.', { format: 'reuters' })).toThrow(/no <REUTERS> story element/);
  });
});

const REUTERS = fileURLToPath(new URL('../../../shared/corpus/reuters21578', import.meta.url));
const FILES = Array.from({ length: 22 }, (_, i) => `${REUTERS}/reut2-${String(i).padStart(3, '0')}.sgm`);
const present = FILES.every((f) => existsSync(f));
if (!present) console.warn(`Reuters-21578 not found at ${REUTERS} (../shared is absent): skipping the Reuters corpus smoke test`);

describe.skipIf(!present)('Reuters-21578 corpus smoke test', () => {
  it('splits all 22 files into 21,578 stories that parse, with dateline places parsed exactly', () => {
    let stories = 0;
    let withDateline = 0;
    let placeExact = 0;
    const failures: string[] = [];
    for (const file of FILES) {
      for (const chunk of splitRaw(decodeText(readFileSync(file)))) {
        stories++;
        let doc;
        try {
          doc = parseDocument(chunk);
        } catch (e) {
          expect(e, chunk.slice(0, 200)).toBeInstanceOf(ParseError);
          expect((e as Error).message).toMatch(/neither a TITLE nor a BODY/);
          expect(chunk).not.toMatch(/<TITLE>|<BODY>/);
          failures.push((e as Error).message);
          continue;
        }
        expect(doc.format).toBe('reuters');
        expect(doc.headline).not.toBe('');
        expect(doc.publishedAt).not.toBeNull();
        for (const text of [doc.headline, ...doc.paragraphs]) if (CONTROL.test(text)) expect.fail(`control character in ${doc.meta?.externalId}`);
        const printed = doc.meta?.datelineText;
        if (typeof printed === 'string') {
          withDateline++;
          if ((doc.dateline?.place ?? '') === printedDatelinePlace(printed)) placeExact++;
        }
      }
    }
    const share = placeExact / withDateline;
    console.log(
      `Reuters-21578: ${stories} stories, ${failures.length} without title or body; ` +
        `dateline place parsed exactly in ${placeExact}/${withDateline} = ${share.toFixed(4)}`,
    );
    expect(stories).toBe(21578);
    expect(withDateline).toBe(19043);
    expect(failures.length).toBeLessThanOrEqual(5);
    expect(share).toBeGreaterThanOrEqual(0.98);
  });
});
