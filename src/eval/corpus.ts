import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readText } from '../ingest/files.js';
import { parseDocument, splitRaw } from '../ingest/parse/index.js';
import type { ParsedDocument } from '../ingest/types.js';

/** ../shared/corpus beside the repository, where the research corpora live (never copied into the repo). */
export const DEFAULT_CORPUS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../shared/corpus');

/**
 * A deterministic subset: every k-th entry so that about `limit` remain, spread over the whole list rather
 * than its head (the corpora are ordered by category and by date).
 */
export function spread<T>(items: T[], limit: number | null): T[] {
  if (limit === null || items.length <= limit) return items;
  const step = items.length / limit;
  return Array.from({ length: limit }, (_, i) => items[Math.floor(i * step)]!);
}

export interface ReutersStory {
  file: string;
  raw: string;
  doc: ParsedDocument;
}

export function reutersFiles(corpusDir: string): string[] {
  const dir = path.join(corpusDir, 'reuters21578');
  return fs
    .readdirSync(dir)
    .filter((f) => /^reut2-\d+\.sgm$/.test(f))
    .sort()
    .map((f) => path.join(dir, f));
}

/** Parsed Reuters stories of the given files; stories that do not parse are counted, not thrown. */
export async function readReuters(files: string[]): Promise<{ stories: ReutersStory[]; unparsed: number }> {
  const stories: ReutersStory[] = [];
  let unparsed = 0;
  for (const file of files) {
    for (const raw of splitRaw(await readText(file))) {
      try {
        stories.push({ file, raw, doc: parseDocument(raw) });
      } catch {
        unparsed += 1;
      }
    }
  }
  return { stories, unparsed };
}
