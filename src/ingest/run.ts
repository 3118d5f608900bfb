import path from 'node:path';
import cliProgress from 'cli-progress';
import type { Db } from '../db/client.js';
import { collectFiles, readText } from './files.js';
import { ingestRaw, type IngestInput, type IngestOutcome } from './pipeline.js';

/** Where a batch sends each page: straight into a database, or to a running server that holds it. */
export type IngestSink = (input: IngestInput) => Promise<IngestOutcome>;

export function databaseSink(db: Db, maxBytes?: number): IngestSink {
  return (input) => ingestRaw(db, input, { maxBytes });
}

/** Sends pages to a running news-graph through its ingestArticle mutation. */
export function serverSink(graphqlUrl: string): IngestSink {
  const mutation = `mutation Ingest($input: IngestArticleInput!) {
    ingestArticle(input: $input) { created article { id } userErrors { field message } }
  }`;
  return async (input) => {
    const response = await fetch(graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: mutation, variables: { input: { raw: input.raw, url: input.url ?? null } } }),
    });
    const payload = (await response.json().catch(() => null)) as {
      data?: { ingestArticle?: { created: boolean; article: { id: string } | null; userErrors: { field: string[] | string | null; message: string }[] } };
      errors?: { message: string }[];
    } | null;
    const result = payload?.data?.ingestArticle;
    if (!result) {
      const reason = payload?.errors?.map((e) => e.message).join('; ') ?? `server answered HTTP ${response.status}`;
      return { status: 'failed', field: 'raw', reason };
    }
    const [problem] = result.userErrors;
    if (problem) {
      const field = Array.isArray(problem.field) ? problem.field.at(-1) : problem.field;
      return { status: 'failed', field: field === 'url' ? 'url' : 'raw', reason: problem.message };
    }
    return { status: result.created ? 'created' : 'unchanged', articleId: 0 };
  };
}

export interface BatchSummary {
  files: number;
  created: number;
  updated: number;
  unchanged: number;
  failed: { file: string; reason: string }[];
}

/** Ingests every article file under the given paths. One bad file never stops the batch. */
export async function ingestPaths(
  inputs: string[],
  sink: IngestSink,
  options: { progress?: boolean; out?: NodeJS.WriteStream } = {},
): Promise<BatchSummary> {
  const { files, missing } = await collectFiles(inputs);
  const summary: BatchSummary = {
    files: files.length,
    created: 0,
    updated: 0,
    unchanged: 0,
    failed: missing.map((file) => ({ file, reason: 'no such file or folder' })),
  };
  const bar = options.progress
    ? new cliProgress.SingleBar(
        {
          format: 'ingest [{bar}] {percentage}% | {value}/{total} files | {rate}/s | ETA {eta_formatted} | {file}',
          stream: options.out ?? process.stderr,
          noTTYOutput: true,
          notTTYSchedule: 2000,
          hideCursor: true,
          etaBuffer: 50,
        },
        cliProgress.Presets.shades_classic,
      )
    : null;
  const startedAt = Date.now();
  bar?.start(files.length, 0, { rate: '0.0', file: '' });
  for (const [i, file] of files.entries()) {
    let outcome: IngestOutcome;
    try {
      outcome = await sink({ raw: await readText(file) });
    } catch (error) {
      outcome = { status: 'failed', field: 'raw', reason: error instanceof Error ? error.message : String(error) };
    }
    if (outcome.status === 'failed') summary.failed.push({ file, reason: outcome.reason });
    else summary[outcome.status] += 1;
    const rate = ((i + 1) / Math.max((Date.now() - startedAt) / 1000, 0.001)).toFixed(1);
    bar?.update(i + 1, { rate, file: path.basename(file) });
  }
  bar?.stop();
  return summary;
}

export function formatSummary(summary: BatchSummary): string {
  const lines = [
    `${summary.files} file(s): ${summary.created} created, ${summary.updated} updated, ${summary.unchanged} unchanged, ${summary.failed.length} failed`,
  ];
  for (const f of summary.failed) lines.push(`  failed ${f.file}: ${f.reason}`);
  return lines.join('\n');
}
