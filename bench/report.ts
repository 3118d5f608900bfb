import type { Measured } from './drive.js';
import { QUERY_TITLES, type QueryName, type Server } from './queries.js';

export interface ReadRow extends Measured {
  server: Server;
  /** `default`, or `response cache` for this service with RESPONSE_CACHE=true. */
  variant: 'default' | 'response cache';
  query: QueryName;
  distinctInputs: number;
  statementsPerRequest: number | null;
}

export interface ScaleRow extends Measured {
  articles: number;
}

export interface IngestFigure {
  articles: number;
  seconds: number;
  perSecond: number;
  failed: number;
}

export interface Results {
  command: string;
  startedAt: string;
  minutes: number;
  commit: string;
  /** Uncommitted changes under src/, bench/ or drizzle/ (bench/results.json, the output of runs, aside). */
  dirty: boolean;
  machine: {
    cpus: number;
    cpuModel: string;
    memoryGiB: number;
    os: string;
    node: string;
    postgres: string;
    loadAverageAtStart: number[];
  };
  settings: {
    connections: number;
    seconds: number;
    warmupSeconds: number;
    inputsPerQuery: number;
    postgres: Record<string, string>;
    oursEnv: Record<string, string>;
    queries: Record<QueryName, Record<Server, string>>;
  };
  corpus: {
    requested: number;
    baseStories: { bbc: number; reuters: number };
    bbcSkipped: number;
    articles: number;
    duplicates: number;
    dated: number;
    related: number;
    people: number;
    spokespeople: number;
    size: string;
    cached: { dir: string; loadedAt: string; commit: string } | null;
  };
  ingest: {
    pglite: IngestFigure;
    postgres: IngestFigure & {
      failures: string[];
      segments: { from: number; to: number; perSecond: number }[];
      /** True when the database (and this figure) came from an earlier run's cached load. */
      cached: boolean;
    };
  };
  reads: ReadRow[];
  /** Statements per request: from pg_stat_statements, and as the server counted them itself (ours). */
  statements: Record<string, { fromPostgres: number; fromServer: number | null }>;
  /** How many sampled inputs got the same answer from both servers. */
  agreement: Partial<Record<QueryName, { checked: number; same: number; mismatches: string[] }>>;
  peakRssMb: { ours?: number; postgraphile?: number; oursResponseCache?: number };
  scale: ScaleRow[];
}

export interface Target {
  name: string;
  value: string;
  goal: string;
  met: boolean;
}

function read(results: Results, server: Server, query: QueryName): ReadRow | undefined {
  return results.reads.find((r) => r.server === server && r.query === query && r.variant === 'default');
}

export function targets(results: Results): Target[] {
  const out: Target[] = [];
  for (const query of ['page', 'article'] as QueryName[]) {
    const ours = read(results, 'ours', query);
    const theirs = read(results, 'postgraphile', query);
    if (!ours || !theirs) continue;
    const ratio = ours.reqPerSec / theirs.reqPerSec;
    out.push({
      name: `read throughput, query ${query === 'page' ? 1 : 2}, vs PostGraphile`,
      value: `${ratio.toFixed(2)}× (${ours.reqPerSec.toFixed(0)} vs ${theirs.reqPerSec.toFixed(0)} req/s)`,
      goal: '≥ 1.2×',
      met: ratio >= 1.2 && ours.failures === 0,
    });
  }
  const article = read(results, 'ours', 'article');
  if (article) {
    const at = results.corpus.articles;
    out.push({
      name: `query 2 p99 at ${at.toLocaleString('en')} articles`,
      value: `${article.p99Ms} ms`,
      goal: at >= 100_000 ? '≤ 25 ms at 100k' : '≤ 25 ms at 100k (this run is smaller: not the target size)',
      met: article.p99Ms <= 25 && at >= 100_000,
    });
  }
  const ingest = results.ingest.postgres;
  out.push({
    name: 'ingest on PostgreSQL',
    value: ingest.seconds > 0 ? `${ingest.perSecond.toFixed(1)} articles/s${ingest.cached ? ' (cached load)' : ''}` : 'not measured (reused database)',
    goal: '≥ 300 articles/s',
    met: ingest.perSecond >= 300,
  });
  return out;
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits });

function table(head: string[], rows: (string | number)[][]): string {
  const lines = [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`];
  for (const row of rows) lines.push(`| ${row.join(' | ')} |`);
  return lines.join('\n');
}

/** The report as Markdown (it is what BENCHMARKS.md records). */
export function printReport(results: Results): string {
  const m = results.machine;
  const c = results.corpus;
  const out: string[] = [];
  out.push(`## news-graph benchmark — ${results.startedAt.slice(0, 16).replace('T', ' ')} UTC, commit ${results.commit}${results.dirty ? ' (+ uncommitted changes)' : ''}`);
  out.push('');
  out.push(`Command: \`${results.command}\` (${fmt(results.minutes, 1)} min)`);
  out.push(
    `Machine: ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, ${m.os}, Node ${m.node}, PostgreSQL ${m.postgres}; load average at start ${m.loadAverageAtStart.join(' / ')}`,
  );
  out.push(
    `Corpus: ${fmt(c.articles)} articles (${fmt(c.dated)} dated) from ${fmt(c.baseStories.bbc)} BBC + ${fmt(c.baseStories.reuters)} Reuters stories and their dated, re-sourced copies; ` +
      `${fmt(c.duplicates)} marked near-duplicates; ${fmt(c.related)} related-story links; database ${c.size}.`,
  );
  if (c.cached) {
    out.push(
      `**Database reused** from ${c.cached.dir} (loaded ${c.cached.loadedAt}, commit ${c.cached.commit}), not loaded by this run: ` +
        'the PostgreSQL ingest figure and the scale rows measured during the load come from that load, if it recorded them.',
    );
  }
  out.push(
    `Load: autocannon, ${results.settings.connections} connections, ${results.settings.seconds} s per query per server after ${results.settings.warmupSeconds} s warm-up, ` +
      `requests cycling through ${results.settings.inputsPerQuery} seeded inputs per query.`,
  );
  out.push('');

  const rows = results.reads.map((r) => [
    QUERY_TITLES[r.query],
    r.server === 'ours' ? (r.variant === 'default' ? 'news-graph' : 'news-graph + response cache') : 'PostGraphile 5.1.5',
    fmt(r.reqPerSec),
    fmt(r.p50Ms),
    fmt(r.p99Ms),
    r.statementsPerRequest === null ? '—' : fmt(r.statementsPerRequest, 1),
    fmt(r.serverCpuMsPerRequest, 2),
    fmt(r.dbCpuMsPerRequest, 2),
    r.failures,
  ]);
  out.push(table(['query', 'server', 'req/s', 'p50 ms', 'p99 ms', 'SQL/request', 'server CPU ms/req', 'PostgreSQL CPU ms/req', 'failed'], rows));
  out.push('');
  const rss = results.peakRssMb;
  out.push(
    `Peak RSS (VmHWM): news-graph ${rss.ours ?? '—'} MiB, PostGraphile ${rss.postgraphile ?? '—'} MiB` +
      (rss.oursResponseCache ? `, news-graph with response cache ${rss.oursResponseCache} MiB` : '') +
      '.',
  );
  const agree = Object.entries(results.agreement).map(([q, a]) => `${q} ${a.same}/${a.checked}`);
  out.push(`Same answers from both servers on sampled inputs: ${agree.join(', ')}.`);
  if (results.reads.some((r) => r.variant === 'response cache')) {
    out.push('The response-cache rows are measured after one pass over every distinct input: every answer is then served from the cache.');
  }
  out.push('');

  const ig = results.ingest;
  out.push(
    table(
      ['ingest (whole pipeline)', 'articles', 'articles/s'],
      [
        ['PGlite (embedded, on disk)', fmt(ig.pglite.articles), fmt(ig.pglite.perSecond, 1)],
        [`PostgreSQL${ig.postgres.cached ? ' (cached load)' : ''}`, fmt(ig.postgres.articles), ig.postgres.seconds > 0 ? fmt(ig.postgres.perSecond, 1) : 'not measured'],
        ...ig.postgres.segments.map((s) => [`  PostgreSQL, articles ${fmt(s.from)}–${fmt(s.to)}`, fmt(s.to - s.from), fmt(s.perSecond, 1)]),
      ],
    ),
  );
  out.push('');
  out.push(
    table(
      ['related stories (query 2, news-graph) at', 'req/s', 'p50 ms', 'p99 ms', 'server CPU ms/req', 'PostgreSQL CPU ms/req'],
      results.scale.map((s) => [`${fmt(s.articles)} articles`, fmt(s.reqPerSec), fmt(s.p50Ms), fmt(s.p99Ms), fmt(s.serverCpuMsPerRequest, 2), fmt(s.dbCpuMsPerRequest, 2)]),
    ),
  );
  out.push('');
  out.push(table(['target', 'measured', 'goal', 'status'], targets(results).map((t) => [t.name, t.value, t.goal, t.met ? 'MET' : 'MISSED'])));
  out.push('');
  return `${out.join('\n')}\n`;
}
