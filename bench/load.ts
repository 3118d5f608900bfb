import { InvalidArgumentError } from 'commander';
import type { Db } from '../src/db/client.js';
import type { IngestInput, IngestOutcome } from '../src/ingest/pipeline.js';
import { workerPreparer } from '../src/ingest/preparer.js';
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

/** A command-line count: digits, `_` allowed as a separator. */
export function positiveInt(value: string): number {
  const n = Number(value.replace(/_/g, ''));
  if (!Number.isSafeInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

export function emptyFigures(): LoadFigures {
  return { pages: 0, created: 0, updated: 0, unchanged: 0, failed: 0, failures: [], seconds: 0 };
}

export function rate(figures: LoadFigures): number {
  return figures.seconds > 0 ? (figures.created + figures.updated) / figures.seconds : 0;
}

/**
 * Feeds pages to the project's own batch ingest, as `news-graph ingest` runs it: parse and extract in a worker
 * thread, a batch ahead of the one being stored (parse → extract → store → relate → storyline, a transaction per
 * batch, batches stored in order), until `target` articles are stored in all, starting at `inputs[from]`.
 * Returns the index of the next unread page.
 */
export async function ingestUntil(
  db: Db,
  inputs: IngestInput[],
  from: number,
  target: number,
  figures: LoadFigures,
  options: { batchSize?: number; label: string; log: (line: string) => void },
): Promise<number> {
  const preparer = workerPreparer();
  const sink = databaseSink(db, undefined, undefined, preparer);
  const batchSize = options.batchSize ?? 50;
  let next = from;
  const started = process.hrtime.bigint();
  const secondsBefore = figures.seconds;
  let lastReport = Date.now();
  const stored = () => figures.created + figures.updated;
  // Batches handed to the sink and not yet counted: at most two, the one being stored and the one being prepared.
  const inFlight: { size: number; outcomes: Promise<IngestOutcome[]> }[] = [];
  const pending = () => inFlight.reduce((n, b) => n + b.size, 0);
  const countOldest = async () => {
    const { outcomes } = inFlight.shift()!;
    for (const outcome of await outcomes) {
      if (outcome.status === 'failed') {
        figures.failed += 1;
        if (figures.failures.length < 5) figures.failures.push(outcome.reason);
      } else figures[outcome.status] += 1;
    }
    figures.seconds = secondsBefore + Number(process.hrtime.bigint() - started) / 1e9;
  };
  try {
    while ((stored() < target && next < inputs.length) || inFlight.length > 0) {
      // Sized as if every page in flight is stored; a page that is not is made up by a later batch.
      const room = target - stored() - pending();
      if (room > 0 && next < inputs.length && inFlight.length < 2) {
        const batch = inputs.slice(next, next + Math.min(batchSize, room));
        next += batch.length;
        figures.pages += batch.length;
        const outcomes = sink(batch);
        outcomes.catch(() => {}); // awaited in its turn
        inFlight.push({ size: batch.length, outcomes });
        if (inFlight.length < 2) continue;
      }
      await countOldest();
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
  } finally {
    await Promise.allSettled(inFlight.map((b) => b.outcomes));
    await preparer.close();
  }
  if (stored() < target) throw new Error(`the corpus ran out after ${stored()} stored articles (wanted ${target})`);
  return next;
}
