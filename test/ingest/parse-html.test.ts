import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectFormat, ParseError, parseDocument } from '../../src/ingest/parse/index.js';
import { isHtml, parsePageTime, splitNames } from '../../src/ingest/parse/html.js';
import { bodyOf, type ParsedDocument } from '../../src/ingest/types.js';

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/html/${name}`, import.meta.url), 'utf8');
const parse = (name: string): ParsedDocument => parseDocument(fixture(name));
const headlinesOf = (doc: ParsedDocument, list: string): string[] => doc.pageLinks.filter((l) => l.list === list).map((l) => l.headline);

const FIXTURES = ['wordpress-jsonld.html', 'newspaper-og.html', 'minimal.html', 'related-inside.html', 'amp-article.html'];

describe('HTML detection', () => {
  it.each(FIXTURES)('detects %s as html', (name) => {
    expect(detectFormat(fixture(name))).toBe('html');
  });

  it('does not take plain or page text for HTML', () => {
    expect(isHtml('Ad sales boost Time Warner profit\n\nQuarterly profits at US media giant TimeWarner jumped 76%.')).toBe(false);
    expect(isHtml('Profits rose <5% in the quarter, the company said.\n\nShares > 3 dlrs.')).toBe(false);
    expect(isHtml('<p>one</p>')).toBe(false);
    expect(isHtml('<body>one</body>')).toBe(true);
  });
});

describe('WordPress article with a JSON-LD @graph', () => {
  const doc = parse('wordpress-jsonld.html');

  it('takes headline, time, author, publisher and canonical URL from JSON-LD and link tags', () => {
    expect(doc).toMatchObject({
      format: 'html',
      headline: 'City council approves new bike lanes on Harbour Road',
      authors: ['Maria Okafor'],
      source: 'The Riverside Ledger',
      url: 'https://riversideledger.example/2023/12/31/city-council-approves-new-bike-lanes/',
      language: 'en',
      editors: [],
    });
    expect(doc.publishedAt?.toISOString()).toBe('2024-01-01T00:30:00.000Z');
  });

  it('reads the dateline off the first paragraph, across the year boundary', () => {
    expect(doc.dateline).toEqual({ place: 'RIVERSIDE', date: '2023-12-31', agency: null });
    expect(doc.paragraphs[0]).toMatch(/^The city council voted 7-2 on Sunday night/);
  });

  it('keeps entities decoded (£, curly quotes) and drops share bars, comments and footers', () => {
    expect(doc.paragraphs).toHaveLength(5);
    expect(doc.paragraphs[1]).toMatch(/^The £4\.2 million plan/);
    expect(doc.paragraphs[2]).toMatch(/^“This is the single biggest safety improvement/);
    const body = bodyOf(doc);
    for (const noise of ['Share this', 'Twitter', 'About time', 'Leave a Reply', 'Proudly powered', 'Posted in', 'In "Local"']) {
      expect(body).not.toContain(noise);
    }
  });

  it('turns the related-posts box and the sidebar list into page links, not body text', () => {
    expect(headlinesOf(doc, 'Related')).toEqual([
      'Harbour Road consultation opens to the public',
      'Cyclist injured near the ferry terminal',
      'Traders warn over parking plans',
    ]);
    expect(doc.pageLinks.filter((l) => l.list === 'Related').map((l) => l.position)).toEqual([1, 2, 3]);
    expect(headlinesOf(doc, 'Recent Posts')).toEqual(['New Year fireworks moved to the quayside', 'Library hours extended over the winter']);
    expect(bodyOf(doc)).not.toContain('Harbour Road consultation');
    expect(doc.pageLinks.map((l) => l.headline)).not.toContain('Politics');
  });
});

describe('newspaper page with Open Graph meta tags and a "Most read" aside', () => {
  const doc = parse('newspaper-og.html');

  it('takes headline, time, site and URL from meta tags and authors from the author meta', () => {
    expect(doc).toMatchObject({
      headline: 'Bank of England holds rates as inflation eases',
      source: 'The Daily Courier',
      url: 'https://www.dailycourier.example/business/2024/mar/21/bank-of-england-holds-rates',
      authors: ['Helen Carter', 'David Moss'],
      dateline: { place: 'LONDON', date: null, agency: 'Reuters' },
    });
    expect(doc.publishedAt?.toISOString()).toBe('2024-03-21T12:05:00.000Z');
  });

  it('reads only the story paragraphs: no kicker, standfirst, caption, ad label, timestamp or menus', () => {
    expect(doc.paragraphs).toHaveLength(5);
    expect(doc.paragraphs[0]).toMatch(/^The Bank of England kept interest rates at a 16-year high/);
    expect(doc.paragraphs[4]).toMatch(/said Ruth Gregory, deputy chief UK economist at Capital Economics\.$/);
    const body = bodyOf(doc);
    for (const noise of ['Interest rates', 'Policymakers vote', 'Photograph', 'Advertisement', '12.05 GMT', 'Subscribe', 'Share on', 'Privacy']) {
      expect(body).not.toContain(noise);
    }
  });

  it('lists the "Most read" box in order, without its rank numbers', () => {
    expect(doc.pageLinks).toEqual([
      { list: 'Most read', position: 1, headline: 'Train strikes called off after last-minute deal' },
      { list: 'Most read', position: 2, headline: 'Volcano erupts again in south-west Iceland' },
      { list: 'Most read', position: 3, headline: 'England name uncapped trio in Euro 2024 squad' },
    ]);
  });
});

describe('minimal page: an <h1> and <p>s', () => {
  it('reads the headline and paragraphs with nothing else known', () => {
    expect(parse('minimal.html')).toEqual({
      format: 'html',
      headline: 'Volunteers clear ten tonnes of litter from the beach',
      publishedAt: null,
      dateline: null,
      paragraphs: [
        "More than 300 volunteers spent Saturday morning clearing rubbish from the town's two beaches, collecting about ten tonnes of litter in four hours.",
        "Organisers said most of it was plastic packaging, fishing line and cigarette ends washed up after last week's storms.",
        '"We did not expect so many people to turn up," said Tom Baker, who runs the beach clean group. "It shows how much people care about this place."',
      ],
      editors: [],
      pageLinks: [],
      source: null,
      language: 'en',
      url: null,
    });
  });
});

describe('article with a "Related stories" list inside the body and a nav menu', () => {
  const doc = parse('related-inside.html');

  it('takes the byline from the page, in name case, and reads a zone-less time in the publication zone', () => {
    expect(doc.headline).toBe('Senate passes stopgap funding bill, averting shutdown');
    expect(doc.authors).toEqual(['Ana Lopez', 'Mark T. Johnson']);
    // apnews.com (canonical) prints US Eastern time: 23:45 EST is 04:45 UTC the next day.
    expect(doc.source).toBe('Associated Press');
    expect(doc.publishedAt?.toISOString()).toBe('2024-03-02T04:45:00.000Z');
    expect(doc.dateline).toEqual({ place: 'WASHINGTON', date: null, agency: 'AP' });
  });

  it('keeps the paragraphs on both sides of the box and moves the box to page links', () => {
    expect(doc.paragraphs).toHaveLength(4);
    expect(doc.paragraphs[2]).toMatch(/^"We have done our job/);
    expect(headlinesOf(doc, 'Related stories')).toEqual([
      'House approves stopgap bill with bipartisan support',
      'What a government shutdown would mean for you',
      "A timeline of this year's budget negotiations",
    ]);
    const body = bodyOf(doc);
    for (const noise of ['Related stories', 'House approves stopgap', 'U.S. News', 'World News', 'Careers', 'Copyright']) {
      expect(body).not.toContain(noise);
    }
    // A site menu is neither body nor a list of stories.
    expect(doc.pageLinks.every((l) => l.list === 'Related stories')).toBe(true);
  });
});

describe('AMP article with a NewsArticle JSON-LD', () => {
  const doc = parse('amp-article.html');

  it('reads several authors, the publisher and an offset time from JSON-LD', () => {
    expect(doc).toMatchObject({
      headline: 'Chipmaker unveils smaller, faster processor for laptops',
      authors: ['Kenji Sato', 'Laura Fischer'],
      source: 'Tech News Daily',
      url: 'https://technewsdaily.example/2024/05/07/chipmaker-unveils-processor',
      dateline: { place: 'TOKYO', date: '2024-05-07', agency: 'Kyodo' },
    });
    expect(doc.publishedAt?.toISOString()).toBe('2024-05-07T00:00:00.000Z');
  });

  it('reads the carousel of "More from" links as page links', () => {
    expect(doc.paragraphs).toHaveLength(4);
    expect(doc.paragraphs[1]).toContain('¥120 billion');
    expect(doc.pageLinks).toEqual([
      { list: 'More from Tech', position: 1, headline: 'Smartphone sales rebound in first quarter' },
      { list: 'More from Tech', position: 2, headline: 'Data centre power demand set to double by 2030' },
    ]);
    expect(bodyOf(doc)).not.toContain('Smartphone sales');
  });
});

describe('HTML edge cases', () => {
  it('falls back to the JSON-LD articleBody when the page has no paragraphs', () => {
    const raw = `<!doctype html><html><head><title>Ignored | Site</title>
      <script type="application/ld+json">{"@type":"NewsArticle","headline":"Port strike ends","datePublished":"2024-02-01",
      "articleBody":"Dock workers returned on Monday.\\n\\nThe union accepted a 6% rise."}</script></head><body><div id="app"></div></body></html>`;
    expect(parseDocument(raw)).toMatchObject({
      headline: 'Port strike ends',
      paragraphs: ['Dock workers returned on Monday.', 'The union accepted a 6% rise.'],
    });
    expect(parseDocument(raw).publishedAt?.toISOString()).toBe('2024-02-01T00:00:00.000Z');
  });

  it('survives malformed JSON-LD and strips the site name from <title>', () => {
    const raw = `<html><head><title>Floods close the ring road | Valley News</title><script type="application/ld+json">{"@type": "NewsArticle",}</script></head>
      <body><p>The ring road was closed on Tuesday after heavy rain flooded two underpasses.</p></body></html>`;
    expect(parseDocument(raw)).toMatchObject({ headline: 'Floods close the ring road', paragraphs: ['The ring road was closed on Tuesday after heavy rain flooded two underpasses.'] });
  });

  it('throws ParseError for a page without text or without a headline', () => {
    expect(() => parseDocument('<html><head><title>Empty page</title></head><body><div></div></body></html>')).toThrow(/no article paragraphs/);
    expect(() => parseDocument('<html><body><div><span></span></div></body></html>')).toThrow(ParseError);
  });

  it('reads page times and byline names in their common shapes', () => {
    expect(parsePageTime('2024-03-21T12:05:00+01:00', null)?.toISOString()).toBe('2024-03-21T11:05:00.000Z');
    expect(parsePageTime('2024-03-21T12:05:00.000+0530', null)?.toISOString()).toBe('2024-03-21T06:35:00.000Z');
    expect(parsePageTime('2024-07-01 12:00', 'America/New_York')?.toISOString()).toBe('2024-07-01T16:00:00.000Z');
    expect(parsePageTime('Thu, 21 Mar 2024 12:05:00 GMT', null)?.toISOString()).toBe('2024-03-21T12:05:00.000Z');
    expect(parsePageTime('yesterday', null)).toBeNull();
    expect(splitNames('By Jane Doe, John Roe and Ann Lee')).toEqual(['Jane Doe', 'John Roe', 'Ann Lee']);
    expect(splitNames('https://example.com/author/jane')).toEqual([]);
  });
});
