import type { InputFormat, ParsedDocument } from '../types.js';
import { ParseError } from './errors.js';
import { isPage, parsePage, splitLines, type PageParseOptions } from './page.js';
import { isPlain, parsePlain } from './plain.js';

export { ParseError } from './errors.js';
export { parsePage, type PageParseOptions } from './page.js';
export { parsePlain } from './plain.js';
export { parseDateline } from '../extract/dateline.js';

export type ParseOptions = PageParseOptions;

interface FormatParser {
  format: InputFormat;
  /** Cheap structural test on the normalized lines; the first parser that claims the input wins. */
  detect(lines: string[], raw: string): boolean;
  parse(raw: string, opts: ParseOptions): ParsedDocument;
}

// Most specific first; later formats (Reuters SGML, HTML) register here.
const PARSERS: FormatParser[] = [
  { format: 'page', detect: (lines) => isPage(lines), parse: parsePage },
  { format: 'plain', detect: (lines) => isPlain(lines), parse: parsePlain },
];

// C0 controls other than tab, line feed, form feed and carriage return, plus DEL.
const CONTROL = /[\u0000-\u0008\u000b\u000e-\u001f\u007f]/;

export function detectFormat(raw: string): InputFormat | null {
  const lines = splitLines(raw);
  return PARSERS.find((p) => p.detect(lines, raw))?.format ?? null;
}

/** Parses raw input of any supported format; throws ParseError with a readable reason otherwise. */
export function parseDocument(raw: string, opts: ParseOptions = {}): ParsedDocument {
  if (typeof raw !== 'string' || raw.trim() === '') throw new ParseError('empty text', 'empty');
  if (CONTROL.test(raw) || raw.includes('\ufffd\ufffd')) {
    throw new ParseError('binary content (NUL/control bytes)', 'binary');
  }
  const lines = splitLines(raw);
  const parser = PARSERS.find((p) => p.detect(lines, raw));
  if (!parser) throw new ParseError('no recognizable headline (unknown page layout)', 'no-headline');
  return parser.parse(raw, opts);
}
