import { expect } from 'vitest';
import { extract } from '../../src/ingest/extract/index.js';
import { parseDocument } from '../../src/ingest/parse/index.js';
import { bodyOf } from '../../src/ingest/types.js';

export interface QuoteView {
  kind: string;
  speaker: string | null;
  cue: string | null;
  text: string;
}

/** A plain-text story (headline, blank line, paragraphs), extracted; every quote span is checked exact. */
export function story(...paragraphs: string[]) {
  const doc = parseDocument(['Test story headline', '', ...paragraphs.flatMap((p) => [p, ''])].join('\n'));
  const x = extract(doc);
  const body = bodyOf(doc);
  for (const q of x.quotes) expect(body.slice(q.start, q.end)).toBe(q.text);
  const quotes: QuoteView[] = x.quotes.map((q) => ({ kind: q.kind, speaker: q.speakerKey, cue: q.cue, text: q.text }));
  return { x, people: x.people, quotes };
}

/** The quote whose text starts with `start`. */
export const by = (quotes: QuoteView[], start: string) => quotes.find((q) => q.text.startsWith(start));
