import type { Db } from '../src/db/client.js';
import type { IngestInput } from '../src/ingest/pipeline.js';
import { databaseSink } from '../src/ingest/run.js';

export interface LoadFigures {
  /** Pages sent to the pipeline. */
  pages: number;
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
  /** A few failure reasons, for the report. */
  failures: string[];
  /** Wall time spent ingesting (pauses for measurements excluded). */
  seconds: number;
}

export function emptyFigures(): LoadFigures {
  return { pages: 0, created: 0, updated: 0, unchanged: 0, failed: 0, failures: [], seconds: 0 };
}

export function rate(figures: LoadFigures): number {
  return figures.seconds > 0 ? (figures.created + figures.updated) / figures.seconds : 0;
}

/**
 * Feeds pages to the project's own batch ingest (the sink `news-graph ingest` uses: parse → extract → store →
 * relate → storyline, a transaction per batch) until `target` articles are stored in all, starting at
 * `inputs[from]`. Returns the index of the next unread page.
 */
export async function ingestUntil(
  db: Db,
  inputs: IngestInput[],
  from: number,
  target: number,
  figures: LoadFigures,
  options: { batchSize?: number; label: string; log: (line: string) => void },
): Promise<number> {
  const sink = databaseSink(db);
  const batchSize = options.batchSize ?? 50;
  let next = from;
  const started = process.hrtime.bigint();
  const secondsBefore = figures.seconds;
  let lastReport = Date.now();
  const stored = () => figures.created + figures.updated;
  while (stored() < target && next < inputs.length) {
    const batch = inputs.slice(next, next + Math.min(batchSize, target - stored()));
    next += batch.length;
    const outcomes = await sink(batch);
    figures.pages += batch.length;
    for (const outcome of outcomes) {
      if (outcome.status === 'failed') {
        figures.failed += 1;
        if (figures.failures.length < 5) figures.failures.push(outcome.reason);
      } else figures[outcome.status] += 1;
    }
    figures.seconds = secondsBefore + Number(process.hrtime.bigint() - started) / 1e9;
    if (Date.now() - lastReport > 15_000) {
      lastReport = Date.now();
      const perSecond = rate(figures);
      const eta = perSecond > 0 ? (target - stored()) / perSecond : 0;
      options.log(
        `  ${options.label}: ${stored().toLocaleString('en')} / ${target.toLocaleString('en')} stored, ${perSecond.toFixed(1)} articles/s, ` +
          `ETA ${Math.ceil(eta / 60)} min`,
      );
    }
  }
  if (stored() < target) throw new Error(`the corpus ran out after ${stored()} stored articles (wanted ${target})`);
  return next;
}
