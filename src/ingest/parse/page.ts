import { parseDateline } from '../extract/dateline.js';
import type { Dateline, PageLink, ParsedDocument } from '../types.js';
import { ParseError } from './errors.js';
import { sourceFromUrl } from './source.js';
import { parseTimestampLine, toUtc, validZone, zoneForPublication, type LocalTimestamp } from './time.js';

/**
 * Raw text of a news-site page: navigation, a headline line, a timestamp line, the story's paragraphs
 * (the first may open with a dateline), then boxes — a title line followed by short headline lines, numbered
 * or not — and footer lines (share links, editors, comment form).
 *
 * Page links: only headline lines of a box count. A box's unnumbered "featured" line printed between the
 * title and a numbered list (a photo teaser) is not a link, so positions stay the printed 1..n.
 * Box titles keep their wording; curly apostrophes are normalized to ASCII ("What's happening in China").
 */

export interface PageParseOptions {
  url?: string | null;
  source?: string | null;
  /** IANA zone of the page's printed times, overriding the zone inferred from its publication. */
  timeZone?: string | null;
}

interface Line {
  text: string;
  index: number;
}

const NUMBERED = /^(\d{1,2})[.)]\s+(\S.*)$/;
const HEAD_SCAN_LINES = 40;

// Generic box vocabulary of news sites; anything else is recognized by shape.
const BOX_TITLES = new Set([
  'latest news', 'latest', 'we recommend', 'recommended', 'recommended for you', 'most popular', 'most read',
  'most viewed', 'most commented', 'most shared', 'popular', 'selections for you', 'related news',
  'related stories', 'related articles', 'related reading', 'related', 'related links', 'see also', 'read more',
  "editor's pick", "editor's picks", "editors' picks", "editor's choice", 'top stories', 'top news', 'hot news',
  'hot topics', 'trending', 'more news', 'more stories', 'special report', 'special reports', 'in pictures',
  'photos', 'photo gallery', 'video', 'videos', 'you may also like', 'you might also like', 'features',
  'opinion', 'highlights', 'in depth', 'news in brief', 'day in photos',
]);

const COMMENT_FORM = /^leave (?:a|your) comments?(?![a-z])|^post (?:a|your) comment(?![a-z])|^\d+\s+comments?$|^comments?\s*\(\d+\)$/i;
const FORM_FIELD = /^(?:name|e-?mail|comments?|your comment|verification code|code|submit|post|reset|password|user ?name)\s*:?$/i;
const SHARE_LINE = /^(?:e-?mail|print|comments?|share|tweet|facebook|twitter|feedback)\s*(?:\||$)/i;
const EDITOR_INLINE = /\(\s*(?:editors?|editor in charge|responsible editor|web editor)\s*:\s*([^)]*)\)/i;
const EDITOR_LINE = /^(?:editors?|editor in charge|responsible editor|web editor)\s*:\s*(.+)$/i;
const SOURCE_LINE = /^\(?\s*source\s*:\s*[^)]*\)?$/i;

const normalizeTitle = (s: string): string => s.replace(/[’‘`]/g, "'").replace(/\s*:\s*$/, '').trim();
const words = (s: string): number => s.split(/\s+/).filter(Boolean).length;

function isFooter(text: string): boolean {
  return SHARE_LINE.test(text) || EDITOR_INLINE.test(text) || EDITOR_LINE.test(text) || SOURCE_LINE.test(text);
}

export function isKnownBoxTitle(text: string): boolean {
  return BOX_TITLES.has(normalizeTitle(text).toLowerCase());
}

/** A short line that reads as a listed headline rather than a sentence of prose. */
function isHeadlineLike(text: string): boolean {
  if (NUMBERED.test(text) || isFooter(text)) return false;
  const n = words(text);
  return text.length <= 120 && n >= 1 && n <= 18 && !/[.,;:"”]$/.test(text);
}

/** Locates the timestamp line near the top and the headline printed above it. */
export function findPageHead(lines: string[]): { headline: Line; stamp: LocalTimestamp; stampIndex: number } | null {
  const limit = Math.min(lines.length, HEAD_SCAN_LINES);
  for (let i = 0; i < limit; i++) {
    const stamp = parseTimestampLine(lines[i] ?? '');
    if (!stamp) continue;
    for (let j = i - 1; j >= 0; j--) {
      const text = lines[j] ?? '';
      if (text === '') continue;
      if (/:$/.test(text) || isKnownBoxTitle(text) || isFooter(text)) break;
      return { headline: { text, index: j }, stamp, stampIndex: i };
    }
    return null;
  }
  return null;
}

export function splitLines(raw: string): string[] {
  return raw
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.replace(/[\u00a0\u2007\u202f\ufeff]/g, ' ').replace(/\s+/g, ' ').trim());
}

export function parseEditors(text: string): string[] {
  const m = EDITOR_INLINE.exec(text) ?? EDITOR_LINE.exec(text);
  if (!m?.[1]) return [];
  return m[1]
    .split(/[、,，;；/&]|\s+and\s+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

const PLACE_ZONES: Array<[RegExp, string]> = [
  [/^(BEIJING|SHANGHAI|GUANGZHOU|SHENZHEN|CHONGQING|TIANJIN|WUHAN|CHENGDU|NANJING|HANGZHOU|HONG KONG|MACAO|MACAU|TAIPEI)\b/i, 'Asia/Shanghai'],
  [/^(TOKYO|OSAKA)\b/i, 'Asia/Tokyo'],
  [/^(SEOUL|PYONGYANG)\b/i, 'Asia/Seoul'],
  [/^(MOSCOW)\b/i, 'Europe/Moscow'],
  [/^(LONDON)\b/i, 'Europe/London'],
  [/^(PARIS)\b/i, 'Europe/Paris'],
  [/^(BERLIN|FRANKFURT)\b/i, 'Europe/Berlin'],
  [/^(NEW YORK|WASHINGTON|BOSTON)\b/i, 'America/New_York'],
  [/^(NEW DELHI|MUMBAI)\b/i, 'Asia/Kolkata'],
];

export function zoneForPlace(place: string | undefined): string | null {
  if (!place) return null;
  for (const [re, zone] of PLACE_ZONES) if (re.test(place)) return zone;
  return null;
}

/**
 * The zone of a printed time without one: the caller's, else the publication's home zone (from the source
 * or URL), else the home zone of the dateline's agency, else the dateline city's, else UTC.
 */
function resolveZone(opts: PageParseOptions, source: string | null, probe: Dateline | null): string | null {
  if (opts.timeZone) return validZone(opts.timeZone);
  let host: string | null = null;
  try {
    host = opts.url ? new URL(opts.url).hostname : null;
  } catch {
    host = null;
  }
  return (
    zoneForPublication(source) ??
    zoneForPublication(host) ??
    zoneForPublication(probe?.agency) ??
    zoneForPlace(probe?.place)
  );
}

export function isPage(lines: string[]): boolean {
  return findPageHead(lines) !== null;
}

export function parsePage(raw: string, opts: PageParseOptions = {}): ParsedDocument {
  const lines = splitLines(raw);
  const head = findPageHead(lines);
  if (!head) throw new ParseError('no recognizable headline (expected a headline line above a timestamp line)');

  const nonEmptyAfter = (i: number, count: number): string[] => {
    const out: string[] = [];
    for (let k = i + 1; k < lines.length && out.length < count; k++) if (lines[k]) out.push(lines[k] ?? '');
    return out;
  };
  const startsBox = (i: number): boolean => {
    const text = lines[i] ?? '';
    if (isFooter(text) || COMMENT_FORM.test(text) || NUMBERED.test(text) || isKnownBoxTitle(text)) return true;
    const next = nonEmptyAfter(i, 2);
    if (/:$/.test(text) && words(text) <= 6 && next[0] !== undefined && isHeadlineLike(next[0])) return true;
    return isHeadlineLike(text) && next.length === 2 && next.every((t) => isHeadlineLike(t) || NUMBERED.test(t));
  };

  const paragraphs: string[] = [];
  let block: string[] = [];
  let i = head.stampIndex + 1;
  for (; i < lines.length; i++) {
    const text = lines[i] ?? '';
    if (text === '') {
      if (block.length) paragraphs.push(block.join(' '));
      block = [];
      continue;
    }
    if (startsBox(i)) break;
    block.push(text);
  }
  if (block.length) paragraphs.push(block.join(' '));

  const source = opts.source ?? sourceFromUrl(opts.url);
  let dateline: Dateline | null = null;
  const probe = paragraphs[0] !== undefined ? parseDateline(paragraphs[0], null) : null;
  const publishedAt = toUtc(head.stamp, resolveZone(opts, source, probe?.dateline ?? null));
  if (paragraphs[0] !== undefined) {
    const found = parseDateline(paragraphs[0], publishedAt);
    if (found) {
      dateline = found.dateline;
      paragraphs[0] = found.rest.trim();
    }
  }
  if (paragraphs.every((p) => p === '')) throw new ParseError('no body text below the headline', 'no-body');

  const { pageLinks, editors } = parseBoxes(lines.slice(i));
  return {
    format: 'page',
    headline: head.headline.text,
    publishedAt,
    dateline,
    paragraphs: paragraphs.filter((p) => p !== ''),
    editors,
    pageLinks,
    source,
    language: 'en',
    url: opts.url ?? null,
  };
}

interface Box {
  title: string;
  links: string[];
  numbered: boolean;
  discard: boolean;
}

/** Walks the boxes below the story: titles, headline lines (numbered or not) and footer lines. */
export function parseBoxes(lines: string[]): { pageLinks: PageLink[]; editors: string[] } {
  const items = lines.filter((l) => l !== '');
  const boxes: Box[] = [];
  const editors: string[] = [];
  let box: Box | null = null;
  const open = (title: string, discard = false): void => {
    box = { title: normalizeTitle(title), links: [], numbered: false, discard };
    boxes.push(box);
  };

  for (let k = 0; k < items.length; k++) {
    const text = items[k] ?? '';
    const next = items[k + 1];
    const current = box as Box | null;
    if (isFooter(text)) {
      for (const e of parseEditors(text)) if (!editors.includes(e)) editors.push(e);
      box = null;
      continue;
    }
    if (COMMENT_FORM.test(text)) {
      open(text, true);
      continue;
    }
    const numbered = NUMBERED.exec(text);
    if (numbered) {
      const label = numbered[2]?.trim() ?? '';
      if (!current || current.discard) {
        // A numbered form field ("1. Name") or a list without a title.
        continue;
      }
      if (current.links.length > 0 && !current.numbered) {
        open('');
      }
      const target = box as Box | null;
      if (target) {
        target.numbered = true;
        target.links.push(label);
      }
      continue;
    }
    if (current?.discard && FORM_FIELD.test(text)) continue;
    const nextNumbered = next !== undefined && NUMBERED.test(next);
    const looksLikeTitle = /:$/.test(text) || isKnownBoxTitle(text);
    if (looksLikeTitle || !current || current.discard || current.numbered) {
      open(text);
      continue;
    }
    // An unnumbered line right under a title that heads a numbered list is a featured teaser, not a link.
    if (current.links.length === 0 && nextNumbered) continue;
    if (isHeadlineLike(text) || /\?$/.test(text)) current.links.push(text);
  }

  const pageLinks: PageLink[] = [];
  for (const b of boxes) {
    if (b.discard || b.title === '') continue;
    b.links.forEach((headline, n) => pageLinks.push({ list: b.title, position: n + 1, headline }));
  }
  return { pageLinks, editors };
}
