import { parseDateline } from '../extract/dateline.js';
import type { Dateline, DocumentMeta, ParsedDocument } from '../types.js';
import { decodeEntities } from './entities.js';
import { ParseError } from './errors.js';

/**
 * Reuters-21578 SGML (Lewis's DTD). A file holds about 1,000 `<REUTERS ...>` stories; `splitReuters` cuts
 * them apart and `parseReuters` reads one.
 *
 * - DATE ("26-FEB-1987 15:01:01.79") carries no zone. It is read as UTC: the collection does not say where its
 *   clock ran, and UTC keeps every stored instant equal to the printed wall time, so nothing is invented.
 * - DATELINE ("    NEW YORK, Feb 26 - ") is read with the shared dateline grammar in field mode, its date
 *   resolved against DATE. A few DATELINE elements swallowed the body's first words ("RIO DE JANEIRO, Feb 26 -
 *   Brazil's "Cruzado" anti-"); those words go back to the body.
 * - BODY paragraphs start at an indented line or after a blank line; lines inside one are joined with a space.
 *   The "Reuter" sign-off and the &#3; end-of-story code are removed.
 * - TYPE="BRIEF" stories are a TITLE over the placeholder "Blah blah blah.": stored with no paragraphs.
 *   TYPE="UNPROC" stories are raw wire text with no TITLE: the first line is the headline, the rest the body.
 * - TOPICS/PLACES/PEOPLE/ORGS/EXCHANGES/COMPANIES, LEWISSPLIT, CGISPLIT, OLDID and NEWID go to `meta`, for
 *   evaluation only.
 */

const STORY = /<REUTERS\b[^>]*>[\s\S]*?<\/REUTERS>/gi;
const LABEL_FIELDS = ['TOPICS', 'PLACES', 'PEOPLE', 'ORGS', 'EXCHANGES', 'COMPANIES'] as const;
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const HEADLINE_MAX = 120;

export function isReuters(raw: string): boolean {
  return /<REUTERS\b[^>]*>/i.test(raw.slice(0, 4096)) || /^\s*<!DOCTYPE\s+lewis\b/i.test(raw);
}

/** One `<REUTERS>...</REUTERS>` chunk per story, in file order; [] when the text holds none. */
export function splitReuters(raw: string): string[] {
  return raw.match(STORY) ?? [];
}

function element(text: string, name: string): string | null {
  const m = new RegExp(`<${name}\\b[^>]*>([\\s\\S]*?)</${name}\\s*>`, 'i').exec(text);
  return m ? (m[1] ?? '') : null;
}

function attributes(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of tag.matchAll(/([A-Za-z][\w-]*)\s*=\s*"([^"]*)"/g)) out[(m[1] ?? '').toUpperCase()] = m[2] ?? '';
  return out;
}

const clean = (text: string): string => decodeEntities(text).replace(/\s+/g, ' ').trim();

/** Reads DATE as UTC; null when it is not the DTD's "DD-MON-YYYY HH:MM:SS.CC". */
export function parseReutersDate(text: string | null): Date | null {
  if (!text) return null;
  const m = /(\d{1,2})-([A-Za-z]{3})-(\d{4})(?:\s+(\d{1,3}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?)?/.exec(decodeEntities(text));
  if (!m) return null;
  const month = MONTHS.indexOf((m[2] ?? '').toUpperCase());
  if (month < 0) return null;
  let [hour, minute, second] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
  let ms = m[7] ? Math.round(Number(`0.${m[7]}`) * 1000) : 0;
  // A garbled clock ("605:12:19.12") keeps the day, at midnight.
  if (hour > 23 || minute > 59 || second > 59) [hour, minute, second, ms] = [0, 0, 0, 0];
  const date = new Date(Date.UTC(Number(m[3]), month, Number(m[1]), hour, minute, second, ms));
  return Number.isNaN(date.getTime()) ? null : date;
}

/**
 * The place as printed in a DATELINE element, by plain string cuts (no dateline grammar): leading junk removed,
 * cut at the first dash separator, then a trailing ", <month> <day>" or ", <day> <month>" removed. This is the
 * reference the dateline parser is measured against.
 */
export function printedDatelinePlace(datelineText: string): string {
  let text = decodeEntities(datelineText).replace(/\s+/g, ' ').replace(/^[^A-Za-z]+/, '');
  text = (/^(.*?)\s*(?:--|-)(?:\s|$)/.exec(`${text} `)?.[1] ?? text).trim();
  text = text.replace(/\(\s*[A-Za-z][^)]*\)\s*$/, '').replace(/,\s*Reuters?$/i, '').trim();
  text = text.replace(/(?:^|,?\s*\b)(?:[A-Za-z]{3,10}\.?,?\s+\d{1,3}[A-Za-z]?|\d{1,2}\s+[A-Za-z]{3,10}\.?)(?:,?\s+\d{4})?,?$/, '');
  return text.replace(/\s*,\s*/g, ', ').replace(/[\s,]+$/, '').trim();
}

const SUSPENDED_HYPHEN_NEXT = /^(?:and|or|nor|to)\b/i;

/** Splits BODY text into paragraphs: a new one at an indented line or after a blank line. */
export function reutersParagraphs(text: string): string[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const paragraphs: string[] = [];
  let block: string[] = [];
  const flush = (): void => {
    if (block.length) paragraphs.push(block.join(' ').replace(/\s+/g, ' ').trim());
    block = [];
  };
  for (const line of lines) {
    if (line.trim() === '') {
      flush();
      continue;
    }
    if (/^\s/.test(line)) flush();
    block.push(line.trim());
  }
  flush();
  return paragraphs.filter((p) => p !== '');
}

/** Drops the wire sign-off ("Reuter", "REUTER", "Reuter..."), alone on the last line or after a sentence. */
function stripSignOff(paragraphs: string[]): string[] {
  const out = [...paragraphs];
  const last = out.length - 1;
  const text = out[last];
  if (text === undefined) return out;
  if (/^(?:REUTERS?|RUTER|REUTR)\W*\d*\W*$/i.test(text)) out.pop();
  else out[last] = text.replace(/([.!?"'”)])\s+REUTERS?\W*$/, '$1');
  return out;
}

function firstLineHeadline(text: string): string {
  const line = text.split('\n').map((l) => l.replace(/\s+/g, ' ').trim()).find((l) => l !== '') ?? '';
  if (line.length <= HEADLINE_MAX) return line;
  const cut = line.slice(0, HEADLINE_MAX);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), 40)).trim()}…`;
}

export interface ReutersParseOptions {
  url?: string | null;
  source?: string | null;
}

export function parseReuters(raw: string, opts: ReutersParseOptions = {}): ParsedDocument {
  const stories = splitReuters(raw);
  if (stories.length > 1) {
    throw new ParseError(`the text holds ${stories.length} Reuters stories; split it with splitRaw first`, 'multiple-stories');
  }
  const story = stories[0] ?? raw;
  const open = /<REUTERS\b([^>]*)>/i.exec(story);
  if (!open) throw new ParseError('no <REUTERS> story element', 'no-headline');
  const attrs = attributes(open[1] ?? '');
  const publishedAt = parseReutersDate(element(story, 'DATE'));

  const textOpen = /<TEXT\b([^>]*)>/i.exec(story);
  const textType = (attributes(textOpen?.[1] ?? '').TYPE ?? 'NORMAL').toUpperCase();
  const textBody = element(story, 'TEXT') ?? '';
  const titleRaw = element(textBody, 'TITLE');
  const datelineRaw = element(textBody, 'DATELINE');
  const bodyRaw = element(textBody, 'BODY');
  const authorRaw = element(textBody, 'AUTHOR');

  let headline = titleRaw !== null ? clean(titleRaw) : '';
  let bodyText = bodyRaw !== null ? decodeEntities(bodyRaw) : '';
  if (bodyRaw === null && titleRaw === null && textType === 'UNPROC') {
    // Unprocessed wire text: no markup inside TEXT.
    const lines = decodeEntities(textBody.replace(/<[^>]+>/g, '')).split('\n');
    const first = lines.findIndex((l) => l.trim() !== '');
    if (first >= 0) {
      headline = firstLineHeadline(lines[first] ?? '');
      bodyText = lines.slice(first + 1).join('\n');
    }
  }

  let dateline: Dateline | null = null;
  if (datelineRaw !== null) {
    const text = decodeEntities(datelineRaw).replace(/\s+/g, ' ').replace(/^[^A-Za-z]+/, '');
    const found = parseDateline(text, publishedAt, { field: true });
    if (found) {
      dateline = { ...found.dateline, agency: found.dateline.agency ?? 'Reuters' };
      const spill = found.rest.trim();
      if (spill !== '') {
        const lead = bodyText.replace(/^\s+/, '');
        const glue = /[A-Za-z]-$/.test(spill) && !SUSPENDED_HYPHEN_NEXT.test(lead) ? '' : ' ';
        bodyText = `${spill}${glue}${lead}`;
      }
    } else if (text.trim() !== '') {
      // Not a dateline at all (a table row the wire put in the field): keep it as the body's first line.
      bodyText = `${text.trim()}\n${bodyText}`;
    }
  }

  let paragraphs = stripSignOff(reutersParagraphs(bodyText));
  if (textType === 'BRIEF' && paragraphs.length === 1 && /^blah blah blah\.?$/i.test(paragraphs[0] ?? '')) paragraphs = [];
  if (headline === '' && paragraphs.length > 0) headline = firstLineHeadline(paragraphs[0] ?? '');
  if (headline === '' && paragraphs.length === 0) {
    throw new ParseError(`Reuters story ${attrs.NEWID ?? '?'} has neither a TITLE nor a BODY`, 'no-headline');
  }

  const labels: Record<string, string[]> = {};
  for (const field of LABEL_FIELDS) {
    const inner = element(story, field);
    labels[field.toLowerCase()] = inner === null ? [] : [...inner.matchAll(/<D>([\s\S]*?)<\/D>/gi)].map((d) => clean(d[1] ?? ''));
  }
  const meta: DocumentMeta = {
    externalId: attrs.NEWID,
    labels,
    split: attrs.LEWISSPLIT,
    cgiSplit: attrs.CGISPLIT,
    topicsAttribute: attrs.TOPICS,
    oldId: attrs.OLDID,
    newId: attrs.NEWID,
    textType,
    datelineText: datelineRaw === null ? null : clean(datelineRaw),
  };
  const author = authorRaw === null ? null : clean(authorRaw).replace(/^by\s+/i, '').replace(/,\s*Reuters?\.?$/i, '').trim();

  const doc: ParsedDocument = {
    format: 'reuters',
    headline,
    publishedAt,
    dateline,
    paragraphs,
    editors: [],
    pageLinks: [],
    source: opts.source ?? 'Reuters',
    language: 'en',
    url: opts.url ?? null,
    meta,
  };
  if (author) doc.authors = author.split(/\s+and\s+|\s*;\s*/).filter((a) => a !== '');
  return doc;
}
