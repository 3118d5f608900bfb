/**
 * The benchmark corpus: every story of the real corpora (BBC News and Reuters-21578), then dated, re-sourced
 * copies of them until the requested size is reached. What a copy is, exactly:
 *
 * - Round 0 is each story once. Reuters stories are the SGML chunks as published (source "Reuters"). BBC stories
 *   (undated in the corpus) are given a page time line ("Month DD, YYYY HH:MM GMT") with a seeded date in
 *   2004–2005 between the headline and the paragraphs, source "BBC News"; their text is unchanged. The few
 *   whose short lines the page parser would then read as link boxes are left out (`bbcSkipped`).
 * - Round r ≥ 1 is the same story moved r years later (Reuters: the DATE element; BBC: the time line), with its
 *   own URL and the source "Syndicate r". The words of headline and body are the original's, so the ingest
 *   marks each copy as a near-duplicate (`duplicateOf`) of the first version; its content hash differs because
 *   the raw page does.
 *
 * Within a round the stories come in a seeded shuffle, so any prefix of the stream mixes both corpora.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_CORPUS_DIR } from '../src/eval/corpus.js';
import { readText } from '../src/ingest/files.js';
import type { IngestInput } from '../src/ingest/pipeline.js';
import { rng, shuffle as shuffleInPlace } from '../src/ingest/extract/classifier/svm.js';
import { parseDocument, splitRaw } from '../src/ingest/parse/index.js';


interface BaseStory {
  kind: 'bbc' | 'reuters';
  /** Stable name within its corpus: "business/001" or the Reuters NEWID. */
  key: string;
  raw: string;
  /** BBC: the seeded publication instant of round 0. */
  date?: Date;
}

/** The classifier's seeded generator (mulberry32), so every run builds the same corpus and the same request inputs. */
export const seeded = rng;

/** A seeded shuffle that leaves `items` as it was. */
export function shuffle<T>(items: T[], random: () => number): T[] {
  return shuffleInPlace([...items], random);
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

async function loadBbc(root: string, random: () => number): Promise<{ stories: BaseStory[]; skipped: number }> {
  const manifest = fs.readFileSync(path.join(root, 'manifest.tsv'), 'utf8').trim().split('\n').slice(1);
  const stories: BaseStory[] = [];
  let skipped = 0;
  const start = Date.UTC(2004, 0, 1);
  const span = Date.UTC(2006, 0, 1) - start;
  for (const line of manifest) {
    const [file, , , , , duplicateOf] = line.split('\t');
    // The manifest names byte-identical copies inside the corpus; the benchmark makes its own copies.
    if (!file || duplicateOf) continue;
    const raw = await readText(path.join(root, file));
    const date = new Date(start + Math.floor(random() * (span / 60_000)) * 60_000);
    if (!keepsParagraphs(raw, date)) {
      skipped += 1;
      continue;
    }
    stories.push({ kind: 'bbc', key: file.replace(/\.txt$/, ''), raw, date });
  }
  return { stories, skipped };
}

/** False for the few stories whose short lines the page parser reads as link boxes once they carry a time line. */
function keepsParagraphs(raw: string, date: Date): boolean {
  try {
    const plain = parseDocument(raw, { format: 'plain' }).paragraphs;
    const page = parseDocument(bbcPage(raw, date), { format: 'page' }).paragraphs;
    return plain.join('\n') === page.join('\n');
  } catch {
    return false;
  }
}

async function loadReuters(root: string): Promise<BaseStory[]> {
  const files = fs.readdirSync(root).filter((f) => /^reut2-\d+\.sgm$/.test(f)).sort();
  const stories: BaseStory[] = [];
  for (const file of files) {
    for (const raw of splitRaw(await readText(path.join(root, file)))) {
      const id = /NEWID="(\d+)"/.exec(raw)?.[1];
      if (id) stories.push({ kind: 'reuters', key: id, raw });
    }
  }
  return stories;
}

export interface BenchCorpus {
  /** Distinct real stories the copies are made from. */
  baseStories: { bbc: number; reuters: number };
  /** BBC stories left out because their page form would lose paragraphs. */
  bbcSkipped: number;
  /** The pages to ingest, in order. */
  inputs: IngestInput[];
  /** Copy rounds used (1 means originals only). */
  rounds: number;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** The BBC story as a page: headline, a time line, then its paragraphs as in the corpus. */
function bbcPage(raw: string, when: Date): string {
  const [headline, ...rest] = raw.replace(/\r\n?/g, '\n').split('\n');
  const stamp = `${MONTHS[when.getUTCMonth()]} ${pad(when.getUTCDate())}, ${when.getUTCFullYear()} ${pad(when.getUTCHours())}:${pad(when.getUTCMinutes())} GMT`;
  return `${headline}\n\n${stamp}\n${rest.join('\n')}`;
}

function yearsLater(date: Date, years: number): Date {
  const d = new Date(date);
  d.setUTCFullYear(d.getUTCFullYear() + years);
  return d;
}

/** Reuters DATE "26-FEB-1987 15:01:01.79": the same day and time, `years` later. */
function reutersShifted(raw: string, years: number): string {
  if (years === 0) return raw;
  return raw.replace(/(<DATE>\s*\d{1,2}-[A-Z]{3}-)(\d{4})/, (_m, head: string, year: string) => `${head}${Number(year) + years}`);
}

function input(story: BaseStory, round: number): IngestInput {
  if (story.kind === 'reuters') {
    return {
      raw: reutersShifted(story.raw, round),
      url: `https://reuters.bench.news-graph.invalid/${story.key}${round ? `/r${round}` : ''}`,
      source: round ? `Syndicate ${round}` : 'Reuters',
      format: 'reuters',
    };
  }
  return {
    raw: bbcPage(story.raw, yearsLater(story.date!, round)),
    url: `https://bbc.bench.news-graph.invalid/${story.key}${round ? `/r${round}` : ''}`,
    source: round ? `Syndicate ${round}` : 'BBC News',
    format: 'page',
  };
}

/** Builds the first `size` pages of the benchmark stream (deterministic for a given corpus and seed). */
export async function buildCorpus(size: number, root = DEFAULT_CORPUS_DIR, seed = 20_130_604): Promise<BenchCorpus> {
  const random = seeded(seed);
  const { stories: bbc, skipped } = await loadBbc(path.join(root, 'bbc'), random);
  const reuters = await loadReuters(path.join(root, 'reuters21578'));
  const base = [...bbc, ...reuters];
  if (base.length === 0) throw new Error(`no stories found under ${root}`);
  const inputs: IngestInput[] = [];
  let round = 0;
  while (inputs.length < size) {
    for (const story of shuffle(base, random)) {
      if (inputs.length >= size) break;
      inputs.push(input(story, round));
    }
    round += 1;
  }
  return { baseStories: { bbc: bbc.length, reuters: reuters.length }, bbcSkipped: skipped, inputs, rounds: round };
}
