import fs from 'node:fs';
import path from 'node:path';
import { readText } from '../ingest/files.js';
import { extract } from '../ingest/extract/index.js';
import { parseDocument, printedDatelinePlace, splitRaw } from '../ingest/parse/index.js';
import { bodyOf, type Extraction, type ExtractedQuote, type ParsedDocument } from '../ingest/types.js';
import type { ReutersStory } from './corpus.js';

/** Share of Reuters stories with a DATELINE field whose place the parser reads exactly as printed. */
export function datelinePlaceShare(stories: ReutersStory[]): { share: number; exact: number; withDateline: number } {
  let exact = 0;
  let withDateline = 0;
  for (const { doc } of stories) {
    const printed = typeof doc.meta?.datelineText === 'string' ? doc.meta.datelineText.trim() : '';
    if (!printed) continue;
    withDateline += 1;
    if (doc.dateline?.place === printedDatelinePlace(printed)) exact += 1;
  }
  return { share: withDateline ? exact / withDateline : 0, exact, withDateline };
}

const fold = (s: string) =>
  s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/['’]s$/, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

/** The surname of a name as written: its last word, accents and case folded. */
export function surnameOf(name: string): string {
  return fold(name).split(' ').at(-1) ?? '';
}

/** Recall of the Reuters PEOPLE labels ("volcker", "james-baker") among extracted people, matched on surname. */
export function peopleRecall(stories: ReutersStory[], extractions: Map<ReutersStory, Extraction>): { recall: number; found: number; labels: number } {
  let found = 0;
  let labels = 0;
  for (const story of stories) {
    const wanted = story.doc.meta?.labels?.people ?? [];
    if (wanted.length === 0) continue;
    const extraction = extractions.get(story) ?? extract(story.doc);
    const surnames = new Set(extraction.people.flatMap((p) => [p.name, ...p.aliases].map(surnameOf)));
    for (const label of wanted) {
      labels += 1;
      if (surnames.has(surnameOf(label.replace(/-/g, ' ')))) found += 1;
    }
  }
  return { recall: labels ? found / labels : 0, found, labels };
}

export interface GoldQuote {
  story: string;
  kind: 'DIRECT' | 'INDIRECT';
  anchor: string;
  speaker: string | null;
  speakerType: 'PERSON' | 'ORGANIZATION' | 'UNNAMED';
}

export interface GoldSet {
  stories: string[];
  quotes: GoldQuote[];
}

/** Loads one gold story: "bbc/<category>/<n>.txt" or "reuters21578/<file>.sgm#NEWID=<id>". */
export async function loadGoldStory(corpusDir: string, story: string): Promise<ParsedDocument> {
  const [file, fragment] = story.split('#');
  const raw = await readText(path.join(corpusDir, file!));
  if (!fragment) return parseDocument(raw);
  const id = fragment.replace(/^NEWID=/, '');
  const chunk = splitRaw(raw).find((c) => new RegExp(`NEWID="${id}"`).test(c));
  if (!chunk) throw new Error(`gold story ${story} not found`);
  return parseDocument(chunk);
}

/** Whitespace-insensitive search: the body span of `anchor`, or null. */
export function findAnchor(body: string, anchor: string): { start: number; end: number } | null {
  const words = anchor
    .trim()
    .split(/\s+/)
    .map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const match = new RegExp(words.join('\\s+')).exec(body);
  return match ? { start: match.index, end: match.index + match[0].length } : null;
}

function sameSpeaker(gold: string, extracted: string): boolean {
  return fold(gold) === fold(extracted) || surnameOf(gold) === surnameOf(extracted);
}

export interface QuoteScores {
  precision: number;
  recall: number;
  /** Gold quotes (any speaker type) that some extracted quote covers. */
  detection: number;
  attributed: number;
  correct: number;
  goldPersonQuotes: number;
  goldQuotes: number;
  anchorsMissing: number;
}

export interface AttributionOptions {
  /**
   * The gold set's convention for a quotation its cue interrupts (`"A," he said, "B"`): one quote, anchored
   * at A (quote-gold.md). The extractor gives the speaker's words as two quotes, A and B; with this set, two
   * such halves with one speaker are scored as the one quote they are. The dev sets label them as two.
   */
  interruptedQuoteIsOne?: boolean;
}

/** Extracted quotes as scoring units: the halves of an interrupted quotation joined when asked. */
function scoringUnits(body: string, quotes: ExtractedQuote[], options: AttributionOptions): Array<{ start: number; end: number; speakerKey: string | null }> {
  const units: Array<{ start: number; end: number; speakerKey: string | null; kind: string }> = [];
  for (const q of [...quotes].sort((a, b) => a.start - b.start)) {
    const prev = units[units.length - 1];
    const gap = prev ? body.slice(prev.end, q.start) : '';
    const interrupted =
      options.interruptedQuoteIsOne &&
      prev !== undefined &&
      prev.kind === 'DIRECT' &&
      q.kind === 'DIRECT' &&
      q.speakerKey !== null &&
      prev.speakerKey === q.speakerKey &&
      /^[,.!?]?\s*["”]\s*[^"“”\n]{1,80}?,\s*["“]\s*$/.test(gap) &&
      gap.split(/\s+/).filter(Boolean).length <= 10;
    if (interrupted) prev.end = q.end;
    else units.push({ start: q.start, end: q.end, speakerKey: q.speakerKey, kind: q.kind });
  }
  return units;
}

/**
 * Quote attribution against the hand-labelled gold set. Precision: of the extracted quotes given a speaker,
 * the share that cover a gold quote by that person (the gold set labels every quote of its stories, so an
 * attributed quote outside it counts against). Recall: of the gold quotes by a named person, the share
 * covered by an extracted quote with that speaker.
 */
export async function quoteAttribution(corpusDir: string, gold: GoldSet, options: AttributionOptions = {}): Promise<QuoteScores> {
  let attributed = 0;
  let correct = 0;
  let recalled = 0;
  let detected = 0;
  let goldPersonQuotes = 0;
  let anchorsMissing = 0;
  for (const story of gold.stories) {
    const doc = await loadGoldStory(corpusDir, story);
    const body = bodyOf(doc);
    const extraction = extract(doc);
    const names = new Map(extraction.people.map((p) => [p.key, p.name]));
    const golds = gold.quotes
      .filter((q) => q.story === story)
      .map((q) => ({ ...q, span: findAnchor(body, q.anchor) }));
    anchorsMissing += golds.filter((g) => !g.span).length;
    const covers = (q: { start: number; end: number }, g: (typeof golds)[number]) =>
      g.span !== null && Math.min(q.end, g.span.end) - Math.max(q.start, g.span.start) >= (g.span.end - g.span.start) / 2;

    const units = scoringUnits(body, extraction.quotes, options);
    for (const q of units) {
      if (!q.speakerKey) continue;
      attributed += 1;
      const speaker = names.get(q.speakerKey) ?? '';
      if (golds.some((g) => g.speakerType === 'PERSON' && g.speaker && covers(q, g) && sameSpeaker(g.speaker, speaker))) correct += 1;
    }
    for (const g of golds) {
      if (units.some((q) => covers(q, g))) detected += 1;
      if (g.speakerType !== 'PERSON' || !g.speaker) continue;
      goldPersonQuotes += 1;
      if (units.some((q) => q.speakerKey && covers(q, g) && sameSpeaker(g.speaker!, names.get(q.speakerKey) ?? ''))) recalled += 1;
    }
  }
  return {
    precision: attributed ? correct / attributed : 0,
    recall: goldPersonQuotes ? recalled / goldPersonQuotes : 0,
    detection: gold.quotes.length ? detected / gold.quotes.length : 0,
    attributed,
    correct,
    goldPersonQuotes,
    goldQuotes: gold.quotes.length,
    anchorsMissing,
  };
}

export function readGoldSet(file: string): GoldSet {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as GoldSet;
}
