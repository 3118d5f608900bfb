import path from 'node:path';
import cliProgress from 'cli-progress';
import type { Db } from '../db/client.js';
import { collectFiles, readText } from './files.js';
import { contentHash } from './normalize.js';
import { splitRaw } from './parse/index.js';
import { planBatch, storePlanned, type IngestInput, type IngestOutcome } from './pipeline.js';
import type { Preparer } from './preparer.js';
import type { InputFormat } from './types.js';

/** Where a batch sends its pages: straight into a database, or to a running server that holds it. */
export type IngestSink = (inputs: IngestInput[]) => Promise<IngestOutcome[]>;

/**
 * `onStored` hears of the articles each committed batch created or updated (live updates through Redis).
 * Batches are stored one after another, in the order they were given; with `preparer`, each batch is
 * parsed and extracted (in a worker) as soon as it is given, while the batches before it are still being
 * stored. Planning reads only which pages are already stored, so a copy of a page still in flight is
 * found by its content hash when stored and reported unchanged, as before.
 */
export function databaseSink(db: Db, maxBytes?: number, onStored?: (articleIds: number[]) => void, preparer?: Preparer): IngestSink {
  let previous: Promise<unknown> = Promise.resolve();
  return (inputs) => {
    const planned = planBatch(db, inputs, { maxBytes }, preparer?.prepareMany);
    planned.catch(() => {}); // awaited, and its failure reported, once the batches before it are stored
    const stored = previous.then(async () => storePlanned(db, await planned, { maxBytes, onStored }));
    previous = stored.catch(() => {});
    return stored;
  };
}

/**
 * Sends pages to a running news-graph through its ingestArticle mutation, one request per page. `apiKey` (a key
 * with the ingest scope) is needed once the server has keys configured; a 429 is waited out as Retry-After says.
 */
export function serverSink(graphqlUrl: string, options: { apiKey?: string | null } = {}): IngestSink {
  const mutation = `mutation Ingest($input: IngestArticleInput!) {
    ingestArticle(input: $input) { created status article { id } userErrors { field message } }
  }`;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
  const post = (input: IngestInput) =>
    fetch(graphqlUrl, {
      method: 'POST',
      signal: AbortSignal.timeout(120_000),
      headers,
      body: JSON.stringify({
        query: mutation,
        variables: {
          input: { raw: input.raw, url: input.url ?? null, source: input.source ?? null, format: input.format ? input.format.toUpperCase() : null },
        },
      }),
    });
  const one = async (input: IngestInput): Promise<IngestOutcome> => {
    let response = await post(input);
    for (let attempt = 0; response.status === 429 && attempt < 5; attempt += 1) {
      const seconds = Math.min(60, Math.max(1, Number(response.headers.get('retry-after')) || 1));
      await response.body?.cancel();
      await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
      response = await post(input);
    }
    const payload = (await response.json().catch(() => null)) as {
      data?: {
        ingestArticle?: { created: boolean; status: string; article: { id: string } | null; userErrors: { field: string[] | null; message: string }[] };
      };
      errors?: { message: string }[];
    } | null;
    const result = payload?.data?.ingestArticle;
    if (!result) {
      const reason = payload?.errors?.map((e) => e.message).join('; ') ?? `server answered HTTP ${response.status}`;
      return { status: 'failed', field: 'raw', reason };
    }
    const [problem] = result.userErrors;
    if (problem) return { status: 'failed', field: problem.field?.at(-1) === 'url' ? 'url' : 'raw', reason: problem.message };
    const status = result.status.toLowerCase();
    // Global IDs are base64 of "Article:<id>" (Relay); the summary only counts, but the outcome stays truthful.
    const localId = Number(Buffer.from(result.article?.id ?? '', 'base64').toString('utf8').split(':')[1]);
    return { status: status === 'updated' || status === 'unchanged' ? status : 'created', articleId: localId };
  };
  // One request at a time, batches in the order given, though ingestPaths hands over the next batch early.
  let previous: Promise<unknown> = Promise.resolve();
  return (inputs) => {
    const sent = previous.then(async () => {
      const outcomes: IngestOutcome[] = [];
      for (const input of inputs) outcomes.push(await one(input));
      return outcomes;
    });
    previous = sent.catch(() => {});
    return sent;
  };
}

export interface BatchSummary {
  files: number;
  stories: number;
  created: number;
  updated: number;
  unchanged: number;
  /** Stories whose exact text came earlier in the same run (byte-identical copies). */
  duplicates: number;
  failed: { story: string; reason: string }[];
  seconds: number;
  /** Peak resident memory of this process so far, in MiB. */
  peakRssMb: number;
}

export interface IngestRunOptions {
  progress?: boolean;
  out?: NodeJS.WritableStream;
  format?: InputFormat | null;
  /** Stories per transaction. */
  batchSize?: number;
  /** Called after every batch with the stories done so far. */
  onBatch?: (done: number) => void;
}

interface Story {
  label: string;
  raw: string;
}

/** The stories of one file: each story of a multi-story file is labelled `file#n`. */
async function storiesOf(file: string): Promise<Story[]> {
  const chunks = splitRaw(await readText(file));
  return chunks.map((raw, i) => ({ label: chunks.length > 1 ? `${file}#${i + 1}` : file, raw }));
}

/** Ingests every story under the given paths, a batch per transaction. One bad story never stops the run. */
export async function ingestPaths(inputs: string[], sink: IngestSink, options: IngestRunOptions = {}): Promise<BatchSummary> {
  const started = process.hrtime.bigint();
  const { files, missing } = await collectFiles(inputs);
  const summary: BatchSummary = {
    files: files.length,
    stories: 0,
    created: 0,
    updated: 0,
    unchanged: 0,
    duplicates: 0,
    failed: missing.map((story) => ({ story, reason: 'no such file or folder' })),
    seconds: 0,
    peakRssMb: 0,
  };
  // Counting stories first costs one extra read of each file and buys a true total for the rate and ETA.
  let total = 0;
  for (const file of files) total += splitRaw(await readText(file)).length;
  const bar = options.progress
    ? new cliProgress.SingleBar(
        {
          format: 'ingest [{bar}] {percentage}% | {value}/{total} stories | {rate}/s | ETA {eta_formatted} | {file}',
          stream: options.out ?? process.stderr,
          noTTYOutput: true,
          notTTYSchedule: 2000,
          hideCursor: true,
          etaBuffer: 200,
        },
        cliProgress.Presets.shades_classic,
      )
    : null;
  bar?.start(total, 0, { rate: '0.0', file: '' });

  const batchSize = Math.max(1, options.batchSize ?? 50);
  const seen = new Set<string>();
  let pending: Story[] = [];
  let done = 0;
  // The sink gets the next batch while it still stores this one (sinks keep the order), so a database
  // sink can prepare one batch while it stores the other. Outcomes are counted in batch order.
  let inFlight: Promise<void> = Promise.resolve();
  const flush = async () => {
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    const sent = sink(batch.map((s) => ({ raw: s.raw, format: options.format ?? null })));
    sent.catch(() => {}); // counted (as failed) in its turn below
    const before = inFlight;
    inFlight = before.then(() => count(batch, sent));
    await before;
  };
  const count = async (batch: Story[], sent: Promise<IngestOutcome[]>) => {
    let outcomes: IngestOutcome[];
    try {
      outcomes = await sent;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      outcomes = batch.map(() => ({ status: 'failed', field: 'raw', reason }));
    }
    batch.forEach((story, i) => {
      const outcome = outcomes[i]!;
      const hash = contentHash(story.raw);
      if (outcome.status === 'failed') summary.failed.push({ story: story.label, reason: outcome.reason });
      else if (outcome.status === 'unchanged' && seen.has(hash)) summary.duplicates += 1;
      else summary[outcome.status] += 1;
      seen.add(hash);
    });
    done += batch.length;
    const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
    bar?.update(done, { rate: (done / Math.max(elapsed, 0.001)).toFixed(1), file: path.basename(batch.at(-1)!.label) });
    options.onBatch?.(done);
  };
  for (const file of files) {
    let stories: Story[];
    try {
      stories = await storiesOf(file);
    } catch (error) {
      summary.failed.push({ story: file, reason: error instanceof Error ? error.message : String(error) });
      continue;
    }
    summary.stories += stories.length;
    for (const story of stories) {
      pending.push(story);
      if (pending.length >= batchSize) await flush();
    }
  }
  await flush();
  await inFlight;
  bar?.stop();
  summary.seconds = Number(process.hrtime.bigint() - started) / 1e9;
  summary.peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  return summary;
}

export function formatSummary(summary: BatchSummary): string {
  const rate = summary.seconds > 0 ? (summary.stories / summary.seconds).toFixed(1) : '0';
  const lines = [
    `${summary.files} file(s), ${summary.stories} stor${summary.stories === 1 ? 'y' : 'ies'}: ${summary.created} created, ` +
      `${summary.updated} updated, ${summary.unchanged} unchanged, ${summary.duplicates} duplicates, ${summary.failed.length} failed ` +
      `(${summary.seconds.toFixed(1)} s, ${rate} stories/s, peak RSS ${summary.peakRssMb} MiB)`,
  ];
  for (const f of summary.failed) lines.push(`  failed ${f.story}: ${f.reason}`);
  return lines.join('\n');
}
