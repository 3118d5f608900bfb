import type { Span } from '../types.js';

export interface Token extends Span {
  text: string;
  /** Lower-case form without a possessive ending. */
  lower: string;
  /** "Lei's", "Jaynes'": the token ends a noun phrase. */
  possessive: boolean;
  /** Body text between the previous token and this one. */
  gapBefore: string;
}

const ABBREVIATIONS = new Set([
  'mr', 'mrs', 'ms', 'dr', 'prof', 'st', 'jr', 'sr', 'gen', 'col', 'lt', 'capt', 'sgt', 'gov', 'sen', 'rep',
  'rev', 'inc', 'corp', 'co', 'ltd', 'no', 'vs', 'etc', 'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep',
  'sept', 'oct', 'nov', 'dec', 'mt', 'ft', 'pres', 'approx', 'dept', 'est', 'fig', 'govt', 'mln', 'bln',
]);

export function isAbbreviation(word: string): boolean {
  const w = word.replace(/\.$/, '');
  return ABBREVIATIONS.has(w.toLowerCase()) || /\./.test(w) || /^[A-Z]$/.test(w);
}

const WORD = /[\p{L}\p{N}]+(?:[.'’\-][\p{L}\p{N}]+)*\.?/gu;

export function tokenize(text: string, offset = 0): Token[] {
  const tokens: Token[] = [];
  let last = 0;
  for (const m of text.matchAll(WORD)) {
    let word = m[0];
    const start = m.index;
    // A trailing period belongs to the word only for abbreviations ("U.S.", "Mr.", "J.").
    if (word.endsWith('.') && !isAbbreviation(word)) word = word.slice(0, -1);
    let end = start + word.length;
    let possessive = false;
    let bare = word;
    const pm = /^(.*?)['’]s$/.exec(word);
    if (pm?.[1]) {
      possessive = true;
      bare = pm[1];
    } else if (/^['’](?:\s|$)/.test(text.slice(end, end + 2)) && /s$/.test(word)) {
      possessive = true;
      end += 1;
    }
    tokens.push({
      text: word,
      lower: bare.toLowerCase(),
      possessive,
      start: offset + start,
      end: offset + end,
      gapBefore: text.slice(last, start),
    });
    last = end;
  }
  return tokens;
}

export function isCapitalized(word: string): boolean {
  return /^\p{Lu}/u.test(word);
}

/** Word without its possessive ending, as printed. */
export function bareWord(t: Token): string {
  return t.possessive ? t.text.replace(/['’]s?$/, '') : t.text;
}

const OPENING = new Set(['"', '“']);
const CLOSING = new Set(['"', '”']);

export interface QuoteRegion extends Span {
  /** Offset of the opening mark. */
  open: number;
  /** Offset just past the closing mark (or the end of the last paragraph when unterminated). */
  close: number;
  /** The region runs across paragraph breaks. */
  multiParagraph: boolean;
}

/**
 * Pairs double quotation marks in the body. A quote still open at the end of a paragraph continues when the
 * next paragraph reopens with a quotation mark (the newspaper convention), and ends there otherwise.
 */
export function findQuoteRegions(body: string, paragraphs: Span[]): QuoteRegion[] {
  const regions: QuoteRegion[] = [];
  let openAt: number | null = null;
  let multi = false;
  for (let p = 0; p < paragraphs.length; p++) {
    const para = paragraphs[p] as Span;
    let i = para.start;
    if (openAt !== null) {
      if (OPENING.has(body[i] ?? '')) {
        multi = true;
        i += 1;
      } else {
        const prev = paragraphs[p - 1] as Span;
        regions.push({ open: openAt, close: prev.end, start: openAt + 1, end: prev.end, multiParagraph: multi });
        openAt = null;
        multi = false;
      }
    }
    for (; i < para.end; i++) {
      const ch = body[i] ?? '';
      if (openAt === null) {
        if (OPENING.has(ch) && !(ch === '"' && /[\p{L}\p{N}]/u.test(body[i - 1] ?? ''))) openAt = i;
      } else if (ch === '"' && /[\s(\[—–-]/.test(body[i - 1] ?? ' ') && /[^\s.,;:!?]/.test(body[i + 1] ?? ' ')) {
        // A straight mark that can only open, after a finished sentence: a paragraph break that the text
        // lost (`… again. "As I got older …`), where the newspaper convention reopens the running quote.
        if (/[.!?]['’)\]]?\s+$/.test(body.slice(Math.max(openAt, i - 4), i))) {
          multi = true;
          continue;
        }
        // Otherwise the previous quote lost its closing mark (common in plain text), so it ends before this one.
        let end = i;
        while (end > openAt + 1 && /\s/.test(body[end - 1] ?? '')) end--;
        regions.push({ open: openAt, close: end, start: openAt + 1, end, multiParagraph: multi });
        openAt = i;
        multi = false;
      } else if (CLOSING.has(ch)) {
        regions.push({ open: openAt, close: i + 1, start: openAt + 1, end: i, multiParagraph: multi });
        openAt = null;
        multi = false;
      }
    }
  }
  const lastPara = paragraphs[paragraphs.length - 1];
  if (openAt !== null && lastPara) {
    regions.push({ open: openAt, close: lastPara.end, start: openAt + 1, end: lastPara.end, multiParagraph: multi });
  }
  return regions;
}

/** Spans of the paragraphs inside `body`. */
export function paragraphSpans(paragraphs: string[], separator: string): Span[] {
  const spans: Span[] = [];
  let at = 0;
  for (const p of paragraphs) {
    spans.push({ start: at, end: at + p.length });
    at += p.length + separator.length;
  }
  return spans;
}

export interface Sentence extends Span {
  paragraph: number;
  index: number;
}

/** Replaces the inside of quotation regions with neutral letters so quoted periods do not split sentences. */
export function maskRegions(body: string, regions: Span[]): string {
  const chars = body.split('');
  for (const r of regions) {
    // Sentence-final punctuation just inside the closing mark stays visible, so the next sentence still splits.
    const keepLast = /[.!?]/.test(body[r.end - 1] ?? '') ? 1 : 0;
    for (let i = r.start; i < r.end - keepLast; i++) if (chars[i] !== '\n') chars[i] = 'x';
  }
  return chars.join('');
}

export function splitSentences(masked: string, paragraphs: Span[]): Sentence[] {
  const sentences: Sentence[] = [];
  paragraphs.forEach((para, p) => {
    let start = para.start;
    const text = masked.slice(para.start, para.end);
    const boundary = /[.!?]["”’)]*\s+(?=["“(]?[\p{Lu}\p{N}]|["“])/gu;
    for (const m of text.matchAll(boundary)) {
      const endOfMark = para.start + m.index + m[0].trimEnd().length;
      if (m[0][0] === '.') {
        // Only the last word matters, and the last 64 characters hold any abbreviation: an anchored `[…]+$` over
        // the whole sentence retries from every position of a long run of letters, quadratic in its length.
        const mark = para.start + m.index + 1;
        const before = /([\p{L}\p{N}.'’\-]+)\.$/u.exec(masked.slice(Math.max(start, mark - 64), mark));
        if (before?.[1] && isAbbreviation(`${before[1]}.`) && !/^[\p{N}]+$/u.test(before[1])) continue;
      }
      sentences.push({ start, end: endOfMark, paragraph: p, index: sentences.length });
      start = para.start + m.index + m[0].length;
    }
    if (start < para.end) sentences.push({ start, end: para.end, paragraph: p, index: sentences.length });
  });
  return sentences;
}

export function sentenceAt(sentences: Sentence[], offset: number): Sentence | undefined {
  return sentences.find((s) => offset >= s.start && offset < s.end) ?? sentences.find((s) => offset <= s.end);
}

/** Trims whitespace and the given trailing punctuation from a span. */
export function trimSpan(body: string, span: Span, trailing = /[\s,;:]/): Span {
  let { start, end } = span;
  while (start < end && /\s/.test(body[start] ?? '')) start++;
  while (end > start && trailing.test(body[end - 1] ?? '')) end--;
  return { start, end };
}
