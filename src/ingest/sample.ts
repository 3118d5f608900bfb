import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { Db } from '../db/client.js';
import { articles } from '../db/schema.js';
import { readText } from './files.js';
import { ingestRaw, type IngestOutcome } from './pipeline.js';

export const SAMPLE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../data/sample');

const SampleList = z.array(
  z.object({ file: z.string(), source: z.string().nullable().optional(), url: z.string().nullable().optional() }),
);

/** Ingests the bundled sample pages when the database holds no article yet; a later start keeps what it has. */
export async function loadSampleIfEmpty(db: Db): Promise<IngestOutcome[] | null> {
  const any = await db.select({ id: articles.id }).from(articles).limit(1);
  if (any.length > 0) return null;
  const list = SampleList.parse(JSON.parse(fs.readFileSync(path.join(SAMPLE_DIR, 'sample.json'), 'utf8')));
  const outcomes: IngestOutcome[] = [];
  for (const entry of list) {
    const raw = await readText(path.join(SAMPLE_DIR, entry.file));
    outcomes.push(await ingestRaw(db, { raw, url: entry.url ?? null, source: entry.source ?? null }));
  }
  return outcomes;
}
