import type { ParsedDocument } from '../types.js';
import { parseDateline } from '../extract/dateline.js';
import { ParseError } from './errors.js';
import { findPageHead, splitLines, type PageParseOptions } from './page.js';
import { sourceFromUrl } from './source.js';

/**
 * Plain article text (the BBC corpus shape): the headline on line 1, a blank line, then paragraphs separated
 * by blank lines, with no timestamp line and no page boxes. Lines inside one block are joined with a space.
 */

const MAX_HEADLINE_WORDS = 25;

export function isPlain(lines: string[]): boolean {
  const [first, second] = lines;
  if (!first || second !== '' || findPageHead(lines) !== null) return false;
  const words = first.split(/\s+/).length;
  if (words > MAX_HEADLINE_WORDS || /[;,]$/.test(first)) return false;
  return lines.slice(2).some((l) => l !== '');
}

export function parsePlain(raw: string, opts: PageParseOptions = {}): ParsedDocument {
  const lines = splitLines(raw);
  if (!isPlain(lines)) throw new ParseError('no recognizable headline (expected a headline line, a blank line, then paragraphs)');
  const paragraphs: string[] = [];
  let block: string[] = [];
  for (const line of lines.slice(2)) {
    if (line === '') {
      if (block.length) paragraphs.push(block.join(' '));
      block = [];
    } else {
      block.push(line);
    }
  }
  if (block.length) paragraphs.push(block.join(' '));
  const found = paragraphs[0] !== undefined ? parseDateline(paragraphs[0], null) : null;
  if (found) paragraphs[0] = found.rest.trim();
  return {
    format: 'plain',
    headline: lines[0] ?? '',
    publishedAt: null,
    dateline: found?.dateline ?? null,
    paragraphs: paragraphs.filter((p) => p !== ''),
    editors: [],
    pageLinks: [],
    source: opts.source ?? sourceFromUrl(opts.url),
    language: 'en',
    url: opts.url ?? null,
  };
}
