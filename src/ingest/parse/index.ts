import { INPUT_FORMATS, type InputFormat, type ParsedDocument } from '../types.js';
import { ParseError } from './errors.js';
import { isHtml, parseHtml } from './html.js';
import { isPage, parsePage, splitLines, type PageParseOptions } from './page.js';
import { isPlain, parsePlain } from './plain.js';
import { isReuters, parseReuters, splitReuters } from './reuters.js';

export { ParseError } from './errors.js';
export { parsePage, type PageParseOptions } from './page.js';
export { parsePlain } from './plain.js';
export { parseReuters, printedDatelinePlace } from './reuters.js';
export { parseHtml } from './html.js';
export { decodeEntities } from './entities.js';
export { parseDateline } from '../extract/dateline.js';
export { INPUT_FORMATS, type InputFormat } from '../types.js';

export interface ParseOptions extends PageParseOptions {
  /** Skips detection and reads the input as this format; a name outside INPUT_FORMATS is a ParseError. */
  format?: InputFormat | string | null;
}

interface FormatParser {
  format: InputFormat;
  /** Cheap structural test on the normalized lines; the first parser that claims the input wins. */
  detect(lines: string[], raw: string): boolean;
  parse(raw: string, opts: ParseOptions): ParsedDocument;
}

// Most specific first: markup formats before the line-shaped ones, whose tests would also accept markup.
const PARSERS: FormatParser[] = [
  { format: 'reuters', detect: (_lines, raw) => isReuters(raw), parse: parseReuters },
  { format: 'html', detect: (_lines, raw) => isHtml(raw), parse: parseHtml },
  { format: 'page', detect: (lines) => isPage(lines), parse: parsePage },
  { format: 'plain', detect: (lines) => isPlain(lines), parse: parsePlain },
];

// C0 controls other than tab, line feed, form feed and carriage return, plus DEL.
const CONTROL = /[\u0000-\u0008\u000b\u000e-\u001f\u007f]/;

export function isInputFormat(name: unknown): name is InputFormat {
  return typeof name === 'string' && (INPUT_FORMATS as readonly string[]).includes(name);
}

function forcedParser(format: string): FormatParser {
  const name = format.trim().toLowerCase();
  const parser = PARSERS.find((p) => p.format === name);
  if (!parser) {
    throw new ParseError(`unknown input format "${format}" (valid formats: ${INPUT_FORMATS.join(', ')})`, 'bad-option');
  }
  return parser;
}

export function detectFormat(raw: string): InputFormat | null {
  const lines = splitLines(raw);
  return PARSERS.find((p) => p.detect(lines, raw))?.format ?? null;
}

/**
 * Splits a file into the raw text of each story it holds, so every story is hashed and stored on its own:
 * one `<REUTERS>...</REUTERS>` chunk per story of a Reuters SGML file. Any other input, and a Reuters file
 * with a single story, is one story: `[raw]`.
 */
export function splitRaw(raw: string): string[] {
  if (!isReuters(raw)) return [raw];
  const stories = splitReuters(raw);
  return stories.length > 1 ? stories : [raw];
}

/** An unpaired UTF-16 surrogate: possible in a JS (or JSON) string, never in UTF-8 text. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Parses raw input of any supported format; throws ParseError with a readable reason otherwise. */
export function parseDocument(input: string, opts: ParseOptions = {}): ParsedDocument {
  const forced = opts.format ? forcedParser(opts.format) : null;
  if (typeof input !== 'string' || input.trim() === '') throw new ParseError('empty text', 'empty');
  // U+FFFD in its place, as both drivers already write it to text columns. Left in, it reaches jsonb (the
  // paragraphs) as a \udXXX escape that PostgreSQL refuses, and the whole page fails to store.
  const raw = input.replace(LONE_SURROGATE, '\ufffd');
  if (CONTROL.test(raw) || raw.includes('\ufffd\ufffd')) {
    throw new ParseError('binary content (NUL/control bytes)', 'binary');
  }
  if (forced) return forced.parse(raw, opts);
  const lines = splitLines(raw);
  const parser = PARSERS.find((p) => p.detect(lines, raw));
  if (!parser) throw new ParseError('no recognizable headline (unknown page layout)', 'no-headline');
  return parser.parse(raw, opts);
}
