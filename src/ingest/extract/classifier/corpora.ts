import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { readText } from '../../files.js';
import { parseDocument, splitRaw } from '../../parse/index.js';
import type { ParsedDocument } from '../../types.js';
import { rng, shuffle } from './svm.js';

/**
 * The labelled corpora as training and evaluation data, with their splits:
 * - BBC (Greene & Cunningham 2006) has no official split. Ours: byte-identical duplicates (manifest.tsv's
 *   duplicate_of, else the SHA-1 of the bytes) are dropped, keeping the first copy, so no story sits on both
 *   sides; then per category, files in path order are shuffled with a seeded PRNG and the first 20% (rounded)
 *   are held out. Near-duplicates (lightly edited copies) are not detected here and may straddle the split.
 * - Reuters-21578 ModApte: LEWISSPLIT="TRAIN" / "TEST" with TOPICS="YES" (9,603 / 3,299 stories), parsed
 *   with the pipeline's own Reuters parser.
 */

export const BBC_CATEGORIES = ['business', 'entertainment', 'politics', 'sport', 'tech'] as const;
export const BBC_SPLIT = { seed: 20_250_601, heldOutShare: 0.2 } as const;

/** The ten most frequent ModApte training topics (Joachims 1998; Dumais et al. 1998), most frequent first. */
export const REUTERS_TOP10 = ['earn', 'acq', 'money-fx', 'grain', 'crude', 'trade', 'interest', 'wheat', 'ship', 'corn'] as const;

export interface LabelledDocument {
  /** Corpus-relative path (BBC) or NEWID (Reuters). */
  id: string;
  labels: string[];
  doc: ParsedDocument;
}

export interface BbcSplit {
  train: LabelledDocument[];
  test: LabelledDocument[];
  duplicatesDropped: number;
  failed: Array<{ id: string; reason: string }>;
}

export interface BbcEntry {
  path: string;
  category: string;
  duplicateOf: string;
}

/** Every BBC file with its category and, for byte-identical copies, the file it copies (manifest.tsv, else hashed). */
export async function bbcEntries(dir: string): Promise<BbcEntry[]> {
  const manifest = path.join(dir, 'manifest.tsv');
  if (existsSync(manifest)) {
    const [header, ...rows] = (await fs.readFile(manifest, 'utf8')).split(/\r?\n/).filter((l) => l.trim() !== '');
    const cols = (header ?? '').split('\t');
    const at = (name: string): number => {
      const i = cols.indexOf(name);
      if (i < 0) throw new Error(`${manifest}: no "${name}" column`);
      return i;
    };
    const [p, c, d] = [at('path'), at('category'), at('duplicate_of')];
    return rows.map((r) => {
      const f = r.split('\t');
      return { path: f[p] ?? '', category: f[c] ?? '', duplicateOf: f[d] ?? '' };
    });
  }
  const out: BbcEntry[] = [];
  const seen = new Map<string, string>();
  for (const category of BBC_CATEGORIES) {
    const files = (await fs.readdir(path.join(dir, category))).filter((f) => f.endsWith('.txt')).sort();
    for (const f of files) {
      const rel = `${category}/${f}`;
      const sha = createHash('sha1').update(await fs.readFile(path.join(dir, rel))).digest('hex');
      out.push({ path: rel, category, duplicateOf: seen.get(sha) ?? '' });
      if (!seen.has(sha)) seen.set(sha, rel);
    }
  }
  return out;
}

export async function loadBbc(dir: string): Promise<BbcSplit> {
  const entries = await bbcEntries(dir);
  const canonical = entries.filter((e) => e.duplicateOf === '');
  const random = rng(BBC_SPLIT.seed);
  const split: BbcSplit = { train: [], test: [], duplicatesDropped: entries.length - canonical.length, failed: [] };
  const categories = [...new Set(canonical.map((e) => e.category))].sort();
  for (const category of categories) {
    const files = shuffle(
      canonical.filter((e) => e.category === category).map((e) => e.path).sort(),
      random,
    );
    const heldOut = Math.round(files.length * BBC_SPLIT.heldOutShare);
    for (const [k, rel] of files.entries()) {
      let doc: ParsedDocument;
      try {
        doc = parseDocument(await readText(path.join(dir, rel)), { format: 'plain' });
      } catch (e) {
        split.failed.push({ id: rel, reason: (e as Error).message });
        continue;
      }
      (k < heldOut ? split.test : split.train).push({ id: rel, labels: [category], doc });
    }
  }
  return split;
}

export interface ReutersSplit {
  train: LabelledDocument[];
  test: LabelledDocument[];
  failed: Array<{ id: string; reason: string }>;
}

/** ModApte training and test stories (TOPICS="YES"), with all their TOPICS labels. */
export async function loadReuters(dir: string): Promise<ReutersSplit> {
  const files = (await fs.readdir(dir)).filter((f) => /^reut2-\d+\.sgm$/i.test(f)).sort();
  if (files.length === 0) throw new Error(`${dir}: no reut2-NNN.sgm files`);
  const out: ReutersSplit = { train: [], test: [], failed: [] };
  for (const f of files) {
    for (const [k, chunk] of splitRaw(await readText(path.join(dir, f))).entries()) {
      let doc: ParsedDocument;
      try {
        doc = parseDocument(chunk, { format: 'reuters' });
      } catch (e) {
        out.failed.push({ id: `${f}#${k + 1}`, reason: (e as Error).message });
        continue;
      }
      const meta = doc.meta ?? {};
      if (meta.topicsAttribute !== 'YES' || (meta.split !== 'TRAIN' && meta.split !== 'TEST')) continue;
      const item = { id: meta.externalId ?? `${f}#${k + 1}`, labels: [...(meta.labels?.topics ?? [])], doc };
      (meta.split === 'TRAIN' ? out.train : out.test).push(item);
    }
  }
  return out;
}
