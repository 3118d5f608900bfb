import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { createDb } from '../db/client.js';
import { readText } from '../ingest/files.js';
import { contentHash } from '../ingest/normalize.js';
import { extract } from '../ingest/extract/index.js';
import { bbcEntries } from '../ingest/extract/classifier/corpora.js';
import { readReuters, reutersFiles, spread, type ReutersStory } from './corpus.js';
import { datelinePlaceShare, peopleRecall, quoteAttribution, readGoldSet } from './measures.js';
import { relatedPrecisionAtK } from './related.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface EvalOptions {
  corpusDir: string;
  /** A small deterministic subset, for CI. */
  subset: boolean;
  /** A PostgreSQL server (admin URL) for the Reuters ingest throughput; skipped when null. */
  databaseUrl: string | null;
  reportFile: string;
  log?: (line: string) => void;
}

export interface Row {
  /** Stable id, for --except. */
  id: string;
  measure: string;
  value: number | null;
  /** Printed value, e.g. "0.971 (n=445)". */
  shown: string;
  target: number | null;
  /** null: reported only, no target. */
  pass: boolean | null;
}

interface IngestFigures {
  stories: number;
  created: number;
  duplicates: number;
  failed: number;
  seconds: number;
  rate: number;
  peakRssMb: number;
}

/** Runs `news-graph ingest` in its own process, so its rate and peak memory are the ingest's alone. */
function runIngest(files: string[], env: Record<string, string>): Promise<IngestFigures> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(ROOT, 'node_modules/.bin/tsx'), ['src/cli.ts', 'ingest', '--no-progress', ...files], {
      cwd: ROOT,
      env: { ...process.env, ...env, LOG_LEVEL: 'warn' },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    child.stderr.on('data', (d: Buffer) => (out += d));
    child.on('close', () => {
      const m = /(\d+) stor(?:y|ies): (\d+) created, \d+ updated, \d+ unchanged, (\d+) duplicates, (\d+) failed \(([\d.]+) s, ([\d.]+) stories\/s, peak RSS (\d+) MiB\)/.exec(out);
      if (!m) return reject(new Error(`ingest printed no summary:\n${out.slice(-2000)}`));
      resolve({
        stories: Number(m[1]),
        created: Number(m[2]),
        duplicates: Number(m[3]),
        failed: Number(m[4]),
        seconds: Number(m[5]),
        rate: Number(m[6]),
        peakRssMb: Number(m[7]),
      });
    });
  });
}

const fixed = (x: number, digits = 3) => x.toFixed(digits);

export const TARGETS = {
  bbcAccuracy: 0.95,
  reutersMicroF1: 0.88,
  datelinePlace: 0.98,
  peopleRecall: 0.85,
  quotePrecision: 0.9,
  quoteRecall: 0.8,
  relatedP5: 0.9,
} as const;

function row(id: string, measure: string, value: number | null, shown: string, target: number | null): Row {
  return { id, measure, value, shown, target, pass: target === null ? null : value !== null && value >= target };
}

export async function runEval(options: EvalOptions): Promise<{ rows: Row[]; report: Record<string, unknown> }> {
  const log = options.log ?? (() => {});
  const { corpusDir, subset } = options;
  const rows: Row[] = [];
  const report: Record<string, unknown> = { subset, corpusDir, startedAt: new Date().toISOString(), node: process.version };

  // Topic classification, end to end through the pipeline's topic assignment.
  log('topics: BBC held-out split and Reuters ModApte test split');
  const classifierEval = await import('../ingest/extract/classifier/eval.js');
  const bbc = await classifierEval.evaluateBbc(path.join(corpusDir, 'bbc'), { stride: subset ? 4 : 1 });
  rows.push(row('bbc-accuracy', 'BBC 5-category accuracy (held-out split)', bbc.accuracy, `${fixed(bbc.accuracy)} (n=${bbc.n})`, TARGETS.bbcAccuracy));
  const reutersTopics = await classifierEval.evaluateReuters(path.join(corpusDir, 'reuters21578'), { stride: subset ? 4 : 1 });
  rows.push(
    row('reuters-f1', 'Reuters ModApte micro-F1, 10 most frequent topics', reutersTopics.microF1, `${fixed(reutersTopics.microF1)} (n=${reutersTopics.n})`, TARGETS.reutersMicroF1),
  );
  report.topics = { bbc, reuters: reutersTopics };

  // Datelines and people on Reuters.
  const files = reutersFiles(corpusDir);
  const chosen = subset ? spread(files, 3) : files;
  log(`reuters: parsing ${chosen.length} file(s)`);
  const { stories, unparsed } = await readReuters(chosen);
  const dateline = datelinePlaceShare(stories);
  rows.push(row('dateline-place', 'Reuters DATELINE place parsed exactly', dateline.share, `${fixed(dateline.share)} (${dateline.exact}/${dateline.withDateline})`, TARGETS.datelinePlace));
  const extractions = new Map<ReutersStory, ReturnType<typeof extract>>();
  for (const s of stories) if ((s.doc.meta?.labels?.people ?? []).length > 0) extractions.set(s, extract(s.doc));
  const people = peopleRecall(stories, extractions);
  rows.push(row('people-recall', 'Reuters PEOPLE labels recalled (surname)', people.recall, `${fixed(people.recall)} (${people.found}/${people.labels})`, TARGETS.peopleRecall));
  report.reuters = { files: chosen.map((f) => path.basename(f)), stories: stories.length, unparsed, dateline, people };

  // Quote attribution on the hand-labelled gold set (always whole: it is small).
  log('quotes: gold set');
  const gold = readGoldSet(path.join(ROOT, 'test/fixtures/quote-gold.json'));
  // Scored the way the gold set is labelled (quote-gold.md): a quotation its cue interrupts is one quote.
  const quotes = await quoteAttribution(corpusDir, gold, { interruptedQuoteIsOne: true });
  // The same, with every extracted piece scored on its own: an interrupted quotation's second half then
  // counts against precision even when its speaker is right.
  const pieces = await quoteAttribution(corpusDir, gold);
  rows.push(row('quote-precision', 'Quote attribution: speaker precision (gold set)', quotes.precision, `${fixed(quotes.precision)} (${quotes.correct}/${quotes.attributed})`, TARGETS.quotePrecision));
  rows.push(row('quote-precision-pieces', 'Quote attribution: precision, halves of interrupted quotes apart', pieces.precision, `${fixed(pieces.precision)} (${pieces.correct}/${pieces.attributed})`, null));
  rows.push(row('quote-recall', 'Quote attribution: recall (gold set)', quotes.recall, `${fixed(quotes.recall)} (of ${quotes.goldPersonQuotes})`, TARGETS.quoteRecall));
  report.quotes = { ...quotes, pieces };

  // BBC through the whole pipeline into embedded PGlite: throughput, then related-story precision.
  const bbcDir = path.join(corpusDir, 'bbc');
  const manifest = await bbcEntries(bbcDir);
  const bbcFiles = subset ? spread(manifest, 400) : manifest;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ng-eval-bbc-'));
  log(`ingest: ${bbcFiles.length} BBC files into PGlite`);
  try {
    const ingestBbc = await runIngest(
      bbcFiles.map((e) => path.join(bbcDir, e.path)),
      { NEWS_GRAPH_DATA_DIR: dataDir, DATABASE_URL: '' },
    );
    rows.push(row('ingest-bbc-pglite', 'Ingest BBC on PGlite', ingestBbc.rate, `${ingestBbc.rate.toFixed(1)} articles/s, peak RSS ${ingestBbc.peakRssMb} MiB (${ingestBbc.stories} stories)`, null));
    const labelByHash = new Map<string, string>();
    for (const e of bbcFiles) labelByHash.set(contentHash(await readText(path.join(bbcDir, e.path))), e.category);
    const handle = await createDb({ databaseUrl: null, dataDir });
    try {
      const related = await relatedPrecisionAtK(handle.db, labelByHash, 5);
      rows.push(row('related-p5', 'BBC related stories: precision@5 same category', related.precision, `${fixed(related.precision)} (n=${related.articles})`, TARGETS.relatedP5));
      report.bbcIngest = { ...ingestBbc, related };
    } finally {
      await handle.close();
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }

  // Reuters into a PostgreSQL server, in a database of its own.
  if (options.databaseUrl) {
    const name = `ng_eval_${randomBytes(5).toString('hex')}`;
    const admin = postgres(options.databaseUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    const url = new URL(options.databaseUrl);
    url.pathname = `/${name}`;
    const reutersIngestFiles = subset ? spread(files, 1) : files;
    log(`ingest: ${reutersIngestFiles.length} Reuters file(s) into PostgreSQL`);
    try {
      const ingestReuters = await runIngest(reutersIngestFiles, { DATABASE_URL: url.toString() });
      rows.push(row('ingest-reuters-pg', 'Ingest Reuters on PostgreSQL', ingestReuters.rate, `${ingestReuters.rate.toFixed(1)} articles/s, peak RSS ${ingestReuters.peakRssMb} MiB (${ingestReuters.stories} stories)`, null));
      report.reutersIngest = ingestReuters;
    } finally {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  } else {
    rows.push(row('ingest-reuters-pg', 'Ingest Reuters on PostgreSQL', null, 'not run: pass --database-url or set DATABASE_URL', null));
  }

  report.rows = rows;
  report.finishedAt = new Date().toISOString();
  fs.mkdirSync(path.dirname(options.reportFile), { recursive: true });
  fs.writeFileSync(options.reportFile, `${JSON.stringify(report, null, 2)}\n`);
  return { rows, report };
}

export function formatTable(rows: Row[]): string {
  const header = ['measure', 'value', 'target', 'status'];
  const lines = rows.map((r) => [r.measure, r.shown, r.target === null ? 'reported' : `≥ ${r.target}`, r.pass === null ? '' : r.pass ? 'met' : 'MISSED']);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [fmt(header), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...lines.map(fmt)].join('\n');
}
