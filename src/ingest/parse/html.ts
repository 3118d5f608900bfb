import { createRequire } from 'node:module';
import type * as JsdomModule from 'jsdom';
import type * as ReadabilityModule from '@mozilla/readability';
import { parseDateline } from '../extract/dateline.js';
import type { Dateline, PageLink, ParsedDocument } from '../types.js';
import { ParseError } from './errors.js';
import { isKnownBoxTitle, zoneForPlace } from './page.js';
import { sourceFromUrl } from './source.js';
import { parseTimestampLine, toUtc, validZone, zoneForPublication, type LocalTimestamp } from './time.js';

/**
 * HTML article pages. Each field is taken from the most explicit statement the page makes about itself:
 * schema.org JSON-LD (NewsArticle, Article, ReportageNewsArticle, BlogPosting, ...), then meta tags (Open Graph,
 * article:*, author, canonical link), then the visible page. The body is the <p> elements of the main content
 * as @mozilla/readability finds it on a jsdom document (falling back to <article>/<main>/<body>, then to the
 * JSON-LD articleBody). Boxes of story links ("Related stories", "More from", "Most read", "Recommended",
 * asides with a heading over a list of links) are read into pageLinks and removed before the body is taken;
 * navigation menus are dropped. Scripts never run and nothing is fetched.
 *
 * jsdom and readability are loaded on first use, so text-only ingest does not pay for them.
 */

const require = createRequire(import.meta.url);
let jsdom: typeof JsdomModule | null = null;
let readability: typeof ReadabilityModule | null = null;
const loadJsdom = (): typeof JsdomModule => (jsdom ??= require('jsdom') as typeof JsdomModule);
const loadReadability = (): typeof ReadabilityModule =>
  (readability ??= require('@mozilla/readability') as typeof ReadabilityModule);

export interface HtmlParseOptions {
  url?: string | null;
  source?: string | null;
  /** IANA zone of times the page prints without a zone. */
  timeZone?: string | null;
}

const TAG = /<(?:p|div|h[1-6]|article|section|span|a|ul|ol|li|br|img|table|meta|link|script|title|head|main|header|footer|nav)\b[^>]*>/gi;

/** Markup rather than text: a doctype, an <html>/<head>/<body> tag, or several common elements. */
export function isHtml(raw: string): boolean {
  const head = raw.slice(0, 8192);
  if (/^\s*(?:<\?xml[^>]*>\s*)?(?:<!--[\s\S]*?-->\s*)*<!doctype\s+html\b/i.test(head)) return true;
  if (/<(?:html|head|body)\b[^>]*>/i.test(head)) return true;
  return (head.match(TAG)?.length ?? 0) >= 3 && /<\/[a-z][a-z0-9]*\s*>/i.test(head);
}

const ARTICLE_TYPE = /^(?:Article|NewsArticle|ReportageNewsArticle|AnalysisNewsArticle|BackgroundNewsArticle|OpinionNewsArticle|ReviewNewsArticle|AskPublicNewsArticle|SatiricalArticle|BlogPosting|LiveBlogPosting|SocialMediaPosting|TechArticle|Report)$/;

// Titles of link boxes beyond the shared page vocabulary; a box title is matched whole.
const BOX_TITLE = new RegExp(
  '^(?:related(?: (?:stories|articles|news|content|links|reading|coverage|posts|topics))?|' +
    'more (?:from|on|in|about|stories|news|headlines)\\b.*|most (?:read|popular|viewed|shared|commented|watched)\\b.*|' +
    'recommended(?: for you| stories| reading| articles)?|read (?:more|next|also)|also read|see also|' +
    'you (?:may|might) (?:also )?(?:like|be interested in)|trending(?: now| stories)?|top (?:stories|news|headlines)|' +
    'popular(?: now| stories| articles)?|latest(?: news| stories| headlines)?|editor\'?s\'? (?:picks?|choice)|' +
    'what to read next|further reading|in other news|more to explore|around the web)$',
  'i',
);

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };

const squash = (s: string | null | undefined): string => (s ?? '').replace(/[\s\u00a0]+/g, ' ').trim();
const isObject = (v: Json | undefined): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const asArray = (v: Json | undefined): Json[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);
const typesOf = (o: JsonObject): string[] =>
  asArray(o['@type']).filter((t): t is string => typeof t === 'string').map((t) => t.replace(/^.*[/#:]/, ''));

function normalizeBoxTitle(text: string): string {
  return squash(text).replace(/[’‘`]/g, "'").replace(/\s*[:»›>→]+\s*$/, '').trim();
}

export function isBoxTitle(text: string): boolean {
  const t = normalizeBoxTitle(text);
  return t.length > 0 && t.length <= 60 && (BOX_TITLE.test(t) || isKnownBoxTitle(t));
}

/** All JSON-LD objects of the page, @graph and arrays flattened; unparsable blocks are skipped. */
function jsonLdObjects(doc: Document): JsonObject[] {
  const out: JsonObject[] = [];
  const visit = (v: Json | undefined): void => {
    for (const item of asArray(v)) {
      if (!isObject(item)) continue;
      out.push(item);
      if (item['@graph'] !== undefined) visit(item['@graph']);
    }
  };
  for (const script of doc.querySelectorAll('script[type="application/ld+json" i]')) {
    const text = (script.textContent ?? '').replace(/^\s*<!--|-->\s*$/g, '').trim();
    if (!text) continue;
    try {
      visit(JSON.parse(text) as Json);
    } catch {
      // Malformed JSON-LD is common; the page's other signals still apply.
    }
  }
  return out;
}

function jsonText(v: Json | undefined): string | null {
  if (typeof v === 'string') return squash(v) || null;
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) return jsonText(v[0]);
  if (isObject(v)) return jsonText(v['@value'] ?? v.name ?? v['@id']);
  return null;
}

/** Person names among JSON-LD authors, following @id references into the graph; organizations are not bylines. */
function jsonLdAuthors(article: JsonObject, byId: Map<string, JsonObject>): string[] {
  const names: string[] = [];
  for (const raw of asArray(article.author ?? article.creator)) {
    let a: Json = raw;
    if (isObject(a) && typeof a['@id'] === 'string' && a.name === undefined) a = byId.get(a['@id']) ?? a;
    if (typeof a === 'string') names.push(...splitNames(a));
    else if (isObject(a)) {
      const types = typesOf(a);
      if (types.some((t) => /Organization|NewsMediaOrganization|Corporation/.test(t))) continue;
      const name = jsonText(a.name);
      if (name) names.push(...splitNames(name));
    }
  }
  return names;
}

/** "By Jane Doe and John Roe", "Jane Doe, John Roe" → names; URLs and e-mail addresses are not names. */
export function splitNames(text: string): string[] {
  const t = squash(text)
    .replace(/^(?:by|written by|words by|reporting by|story by)\s*:?\s+/i, '')
    .replace(/\s*[|•·]\s*.*$/, '');
  if (!t || /^https?:\/\/|@.*\./i.test(t)) return [];
  return t
    .split(/\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*|\s*;\s*/i)
    .map((s) => s.replace(/\s+(?:in|for)\s+[A-Z][\w .'-]*$/, '').trim())
    .filter((s) => s.length > 1 && s.length <= 60 && /\p{L}/u.test(s) && !/^(?:staff|reporters?|correspondents?|agencies)$/i.test(s))
    .map(nameCase);
}

const pushUnique = (list: string[], items: string[]): void => {
  for (const item of items) if (!list.some((x) => x.toLowerCase() === item.toLowerCase())) list.push(item);
};

function meta(doc: Document, ...keys: string[]): string | null {
  for (const key of keys) {
    for (const el of doc.querySelectorAll(`meta[property="${key}" i], meta[name="${key}" i], meta[itemprop="${key}" i]`)) {
      const v = squash(el.getAttribute('content'));
      if (v) return v;
    }
  }
  return null;
}

const ISO = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T\s](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * A publication time as pages write it: ISO 8601 (a time without an offset is read in `zone`, else UTC), an
 * RFC 2822 date, or one of the printed shapes the page parser knows.
 */
export function parsePageTime(text: string | null | undefined, zone: string | null): Date | null {
  const t = squash(text);
  if (!t) return null;
  const m = ISO.exec(t);
  if (m) {
    const [, y, mo, d, h, mi, s, offset] = m;
    if (offset) {
      const date = new Date(t.replace(' ', 'T').replace(/([+-]\d{2})(\d{2})$/, '$1:$2').replace(/([+-]\d{2})$/, '$1:00'));
      return Number.isNaN(date.getTime()) ? null : date;
    }
    const ts: LocalTimestamp = {
      year: Number(y), month: Number(mo), day: Number(d), hour: Number(h ?? 0), minute: Number(mi ?? 0),
      second: Number(s ?? 0), zone: null,
    };
    if (ts.month < 1 || ts.month > 12 || ts.day < 1 || ts.day > 31) return null;
    return toUtc(ts, zone);
  }
  const printed = parseTimestampLine(t);
  if (printed) return toUtc(printed, zone);
  if (/\b(?:GMT|UTC|[+-]\d{4})\b/.test(t)) {
    const date = new Date(t);
    if (!Number.isNaN(date.getTime())) return date;
  }
  return null;
}

function stripSiteSuffix(title: string, site: string | null): string {
  let t = squash(title);
  if (site) {
    const esc = site.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    t = t.replace(new RegExp(`\\s*[|–—:\\-]\\s*${esc}\\s*$`, 'i'), '').replace(new RegExp(`^${esc}\\s*[|:]\\s*`, 'i'), '');
  }
  // "Headline | Site Name": a short trailing part after a pipe names the site.
  const pipe = /^(.{12,}?)\s+\|\s+[^|]{2,40}$/.exec(t);
  return (pipe?.[1] ?? t).trim();
}

interface Box {
  element: Element;
  title: string;
  links: string[];
}

/** Text of an element outside its links. */
function nonLinkTextLength(el: Element): number {
  let n = squash(el.textContent).length;
  for (const a of el.querySelectorAll('a')) n -= squash(a.textContent).length;
  return n;
}

function linkHeadlines(container: Element, skip: Element | null): string[] {
  const items = container.querySelectorAll('li');
  const out: string[] = [];
  const candidates: Element[] = items.length > 0 ? [...items] : [...container.querySelectorAll('a[href]')];
  for (const item of candidates) {
    if (skip?.contains(item)) continue;
    const a = item.matches('a') ? item : item.querySelector('a[href]');
    if (!a) continue;
    const heading = a.querySelector('h1,h2,h3,h4,h5,h6,[class*="title" i],[class*="headline" i]');
    const text = squash((heading ?? a).textContent).replace(/^\d{1,2}[.)]?\s+(?=\S)/, '');
    if (text.split(' ').length < 2 || text.length > 200) continue;
    if (/^(?:more|see (?:all|more)|view (?:all|more)|read more|show more)\b/i.test(text)) continue;
    if (!out.includes(text)) out.push(text);
  }
  return out;
}

const HEADINGS = 'h1,h2,h3,h4,h5,h6,[role="heading"],[class*="title" i],[class*="heading" i],[class*="header" i]';

/** Finds link boxes: a box-titled heading over a list of links, a box-labelled region, or a titled aside. */
function findBoxes(doc: Document): Box[] {
  const boxes: Box[] = [];
  const claimed = (el: Element): boolean => boxes.some((b) => b.element === el || b.element.contains(el) || el.contains(b.element));
  const add = (element: Element, title: string, heading: Element | null): void => {
    if (claimed(element)) return;
    const links = linkHeadlines(element, heading);
    if (links.length > 0) boxes.push({ element, title: normalizeBoxTitle(title), links });
  };

  for (const region of doc.querySelectorAll('aside[aria-label], nav[aria-label], section[aria-label], div[aria-label], [role="complementary"][aria-label]')) {
    const label = region.getAttribute('aria-label') ?? '';
    if (isBoxTitle(label)) add(region, label, null);
  }
  for (const heading of doc.querySelectorAll(HEADINGS)) {
    if (heading.querySelector(HEADINGS) || squash(heading.textContent).length > 60) continue;
    const title = squash(heading.textContent);
    if (!isBoxTitle(title)) continue;
    // The heading's own container when it holds little but links, else the lists right after the heading.
    let el: Element = heading;
    while (el.parentElement && el.parentElement.children.length === 1 && el.parentElement !== doc.body) el = el.parentElement;
    const container = el.parentElement;
    if (container && container !== doc.body && container.querySelector('a[href]') && nonLinkTextLength(container) - title.length <= 150) {
      add(container, title, heading);
      continue;
    }
    for (let sib = el.nextElementSibling; sib; sib = sib.nextElementSibling) {
      if (sib.matches(HEADINGS) || sib.querySelector('h1,h2,h3,h4,h5,h6')) break;
      if (sib.querySelector('a[href]') || sib.matches('a[href]')) {
        const links = linkHeadlines(sib, null);
        if (links.length > 0 && !claimed(sib)) {
          boxes.push({ element: sib, title: normalizeBoxTitle(title), links });
          heading.remove();
          break;
        }
      }
    }
  }
  // Untitled-by-vocabulary asides that are still lists of stories under a heading ("From our partners").
  for (const aside of doc.querySelectorAll('aside, [role="complementary"]')) {
    if (claimed(aside)) continue;
    const heading = aside.querySelector('h2,h3,h4,h5,h6');
    const links = linkHeadlines(aside, heading);
    const headlineLike = links.filter((l) => l.split(' ').length >= 4);
    if (heading && headlineLike.length >= 2 && nonLinkTextLength(aside) - squash(heading.textContent).length <= 150) {
      add(aside, squash(heading.textContent), heading);
    }
  }
  return boxes;
}

const NOISE_PARAGRAPH = /^(?:advertisement|advertising|sponsored|sign up\b.*|subscribe\b.*|read more:.*|related:.*|follow us\b.*|share this\b.*|click here\b.*|image:.*|photo:.*|\(?(?:ap|reuters|afp|getty images)\s*(?:photo|images)?\)?)$/i;
const BYLINE_PARAGRAPH = /^(?:by|written by|reporting by)\s+[A-Z][\p{L}.'-]+(?:\s+[A-Z][\p{L}.'-]+){0,3}(?:\s*(?:,|and|&)\s*[A-Z][\p{L}.'-]+(?:\s+[A-Z][\p{L}.'-]+){0,3})*(?:\s*[,|]\s*[\p{L} .]+)?$/u;

const LOOSE_DATE =
  /^(?:(?:published|updated|posted|last updated)\s*:?\s*)?(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?(?:\d{1,2}\s+[a-z]{3,9}\.?,?\s+\d{4}|[a-z]{3,9}\.?\s+\d{1,2},?\s+\d{4})\b[\d\s.:apmAPMGTUC+-]*$/i;

/** A line that only states when the story was published ("Thu 21 Mar 2024 12.05 GMT"). */
function isPrintedDate(text: string): boolean {
  return text.length <= 60 && (parseTimestampLine(text) !== null || LOOSE_DATE.test(text));
}

// Page furniture around a story: bylines, kickers, standfirsts, share bars, ad slots, newsletter prompts.
const FURNITURE = /(?:^|[\s_-])(?:byline|bylines|kicker|eyebrow|standfirst|dek|share|sharing|social|ad|ads|advert|advertisement|ad-slot|newsletter|promo|paywall|breadcrumbs?|comments?|comment-respond|tags|author-bio)(?:$|[\s_-])/i;

const COMMENTS = /(?:^|\s)(?:comments?|comments-area|comment-list|comment-respond|respond|disqus_thread)(?:\s|$)/i;

/** Removes furniture, never an element that holds the headline, the marked body or story-length text. */
function pruneFurniture(doc: Document): void {
  for (const el of doc.querySelectorAll('body [class], body [id]')) {
    if (!el.isConnected || el.querySelector('h1, [itemprop="articleBody"]')) continue;
    const marker = `${el.getAttribute('class') ?? ''} ${el.getAttribute('id') ?? ''}`.trim();
    if (COMMENTS.test(marker)) {
      el.remove();
      continue;
    }
    if (!FURNITURE.test(marker)) continue;
    const longParagraphs = [...el.querySelectorAll('p')].filter((p) => squash(p.textContent).length >= 120).length;
    if (longParagraphs < 2 && squash(el.textContent).length < 400) el.remove();
  }
}

/** An all-capitals byline name ("MARK T. JOHNSON", as wire services print them) in title case. */
function nameCase(name: string): string {
  if (name !== name.toUpperCase() || !/[A-Z]{2}/.test(name)) return name;
  return name.toLowerCase().replace(/(^|[\s'’.-])(\p{L})/gu, (_m, pre: string, c: string) => pre + c.toUpperCase())
    .replace(/\bMc(\p{L})/gu, (_m, c: string) => `Mc${c.toUpperCase()}`);
}

function paragraphsOf(root: Element, headline: string): string[] {
  const out: string[] = [];
  for (const p of root.querySelectorAll('p')) {
    if (p.closest('figure, figcaption, nav, aside, footer, form, [role="navigation"]')) continue;
    if (p.parentElement?.closest('p')) continue;
    const text = squash(p.textContent);
    if (!text || text === headline || NOISE_PARAGRAPH.test(text) || isPrintedDate(text)) continue;
    if (out.length === 0 && text.length <= 80 && BYLINE_PARAGRAPH.test(text)) continue;
    out.push(text);
  }
  return out;
}

export function parseHtml(raw: string, opts: HtmlParseOptions = {}): ParsedDocument {
  const { JSDOM, VirtualConsole } = loadJsdom();
  // A silent console: page CSS and markup errors are not ingest errors.
  const dom = new JSDOM(raw, { virtualConsole: new VirtualConsole() });
  const doc = dom.window.document;
  try {
    const objects = jsonLdObjects(doc);
    const byId = new Map<string, JsonObject>();
    for (const o of objects) if (typeof o['@id'] === 'string') byId.set(o['@id'], o);
    const article = objects.find((o) => typesOf(o).some((t) => ARTICLE_TYPE.test(t))) ?? null;
    const publisher = article && isObject(article.publisher) ? article.publisher : null;
    const publisherName =
      (publisher && (jsonText(publisher.name) ?? (typeof publisher['@id'] === 'string' ? jsonText(byId.get(publisher['@id'])?.name) : null))) ?? null;

    const canonical = squash(doc.querySelector('link[rel~="canonical" i]')?.getAttribute('href')) || null;
    const pageUrl =
      opts.url ?? canonical ?? meta(doc, 'og:url') ?? (article ? jsonText(article.url) ?? jsonText(article.mainEntityOfPage) : null);
    const url = pageUrl && /^https?:\/\//i.test(pageUrl) ? pageUrl : (opts.url ?? null);
    const source = opts.source ?? publisherName ?? meta(doc, 'og:site_name', 'application-name', 'publisher') ?? sourceFromUrl(url);

    const titleCandidates = [
      article ? jsonText(article.headline) ?? jsonText(article.name) : null,
      meta(doc, 'og:title', 'twitter:title', 'headline'),
      squash(doc.querySelector('article h1, main h1, [itemprop="headline"], h1')?.textContent) || null,
      squash(doc.querySelector('title')?.textContent) || null,
    ];
    const headline = stripSiteSuffix(titleCandidates.find((t): t is string => !!t) ?? '', source);

    // Bylines.
    const authors: string[] = [];
    if (article) pushUnique(authors, jsonLdAuthors(article, byId));
    if (authors.length === 0) {
      for (const el of doc.querySelectorAll('meta[name="author" i], meta[property="article:author" i], meta[name="byl" i], meta[name="parsely-author" i], meta[name="sailthru.author" i]')) {
        pushUnique(authors, splitNames(el.getAttribute('content') ?? ''));
      }
    }
    if (authors.length === 0) {
      const byline = doc.querySelectorAll('[rel~="author"], [itemprop="author"], .byline, .author, [class*="byline" i]');
      for (const el of byline) {
        if (el.parentElement?.closest('[rel~="author"], [itemprop="author"], .byline, .author, [class*="byline" i]')) continue;
        const named = el.querySelector('[itemprop="name"]');
        pushUnique(authors, splitNames((named ?? el).textContent ?? ''));
      }
    }

    // Boxes of story links, then everything that is not the story, are taken out before the body is read.
    const boxes = findBoxes(doc);
    const pageLinks: PageLink[] = [];
    for (const box of boxes) {
      if (box.title) box.links.forEach((headline, i) => pageLinks.push({ list: box.title, position: i + 1, headline }));
      box.element.remove();
    }
    for (const el of doc.querySelectorAll('nav, [role="navigation"], script, style, noscript, template, form, iframe')) el.remove();

    const publishedText =
      (article ? jsonText(article.datePublished) ?? jsonText(article.dateCreated) : null) ??
      meta(doc, 'article:published_time', 'og:article:published_time', 'datePublished', 'pubdate', 'publish-date',
        'publishdate', 'date', 'dc.date.issued', 'dc.date', 'dcterms.created', 'sailthru.date', 'parsely-pub-date') ??
      (doc.querySelector('time[itemprop="datePublished"], time[pubdate], article time[datetime], time[datetime]')?.getAttribute('datetime') ?? null) ??
      (squash(doc.querySelector('article time, time')?.textContent) || null);

    const langAttr = squash(doc.documentElement.getAttribute('lang')) || (article ? jsonText(article.inLanguage) : null) || meta(doc, 'og:locale', 'language');
    const language = (langAttr ?? 'en').split(/[-_]/)[0]?.toLowerCase() || 'en';

    // Main content: the body the page marks up itself (schema.org microdata), else readability's pick.
    pruneFurniture(doc);
    const { Readability } = loadReadability();
    let paragraphs: string[] = [];
    const marked = doc.querySelector('[itemprop="articleBody"]');
    if (marked) paragraphs = paragraphsOf(marked, headline);
    let readable: ReturnType<ReadabilityModule.Readability<Element>['parse']> = null;
    try {
      readable = new Readability<Element>(doc.cloneNode(true) as Document, { serializer: (node) => node as Element, charThreshold: 200 }).parse();
    } catch {
      readable = null;
    }
    if (paragraphs.length === 0 && readable?.content) paragraphs = paragraphsOf(readable.content, headline);
    if (paragraphs.length === 0) {
      const root = doc.querySelector('[itemprop="articleBody"], article, main, [role="main"]') ?? doc.body;
      if (root) paragraphs = paragraphsOf(root, headline);
    }
    if (paragraphs.length === 0 && article) {
      const body = typeof article.articleBody === 'string' ? article.articleBody : '';
      paragraphs = body.split(/\n\s*\n|\n/).map(squash).filter((p) => p !== '');
    }
    if (authors.length === 0 && readable?.byline) pushUnique(authors, splitNames(readable.byline));

    if (!headline && paragraphs.length === 0) throw new ParseError('no headline or article text in the HTML page', 'no-headline');
    if (!headline) throw new ParseError('no headline in the HTML page (no JSON-LD headline, og:title, <h1> or <title>)', 'no-headline');
    if (paragraphs.length === 0) throw new ParseError('no article paragraphs in the HTML page', 'no-body');

    let host: string | null = null;
    try {
      host = url ? new URL(url).hostname : null;
    } catch {
      host = null;
    }
    const probe = parseDateline(paragraphs[0] ?? '', null);
    const zone = opts.timeZone
      ? validZone(opts.timeZone)
      : (zoneForPublication(source) ?? zoneForPublication(host) ?? zoneForPublication(probe?.dateline.agency) ?? zoneForPlace(probe?.dateline.place));
    const publishedAt = parsePageTime(publishedText ?? readable?.publishedTime, zone);

    let dateline: Dateline | null = null;
    const found = parseDateline(paragraphs[0] ?? '', publishedAt);
    if (found) {
      dateline = found.dateline;
      paragraphs[0] = found.rest.trim();
      if (paragraphs[0] === '') paragraphs.shift();
    }

    const doc_: ParsedDocument = {
      format: 'html',
      headline,
      publishedAt,
      dateline,
      paragraphs,
      editors: [],
      pageLinks,
      source,
      language,
      url,
    };
    if (authors.length > 0) doc_.authors = authors;
    return doc_;
  } finally {
    dom.window.close();
  }
}
