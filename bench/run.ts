/**
 * `npm run bench`: one run that starts its own PostgreSQL 15, loads a corpus built from the real corpora through
 * the project's own ingest, load-tests this service and PostGraphile v5 over the same database, and prints one
 * table (also written to bench/results.json). `--help` lists the options.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import postgres from 'postgres';
import { createDb, type DbHandle } from '../src/db/client.js';
import { migrate } from '../src/db/migrate.js';
import { buildCorpus, type BenchCorpus } from './corpus.js';
import { loadTest, post, type Measured } from './drive.js';
import { emptyFigures, ingestUntil, positiveInt, rate, type LoadFigures } from './load.js';
import { POSTGRAPHILE_SETUP_SQL, BENCH_PG_SCHEMA } from './postgraphile-sql.js';
import { SERVER_SETTINGS, startBenchPg, type BenchPg } from './postgres.js';
import { body, digest, drawInputs, fillPostgraphileCursors, QUERIES, type Input, type QueryName, type Server } from './queries.js';
import { printReport, type Results, type ReadRow, type ScaleRow } from './report.js';
import { startServer, type RunningServer } from './servers/spawn.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const QUERY_NAMES: QueryName[] = ['page', 'article', 'timeline', 'search'];

interface Options {
  articles: number;
  quick: boolean;
  seconds: number;
  warmup: number;
  connections: number;
  inputs: number;
  scale: number[];
  scaleTo: number | null;
  scaleSeconds: number;
  pgliteArticles: number;
  cache: boolean;
  dataDir: string | null;
  corpus: string | undefined;
  responseCache: boolean;
  profileDir: string | null;
  queries: QueryName[];
}


function parseOptions(argv: string[]): Options {
  const program = new Command('bench')
    .description('Load a corpus into a PostgreSQL server of its own and benchmark reads against PostGraphile v5')
    .option('--articles <n>', 'articles to store (default 100000)', positiveInt)
    .option('--quick', 'short runs for development: 3 s per query, 1 s warm-up, 300 articles on PGlite')
    .option('--seconds <n>', 'measured seconds per query per server (default 15; quick 3)', positiveInt)
    .option('--connections <n>', 'concurrent autocannon connections (default 8)', positiveInt)
    .option('--inputs <n>', 'distinct seeded inputs per query (default 500)', positiveInt)
    .option('--scale <list>', 'article counts at which to measure related-story latency during the load (default 10000)')
    .option('--scale-to <n>', 'after the read benchmark, keep loading to this many articles and measure related-story latency there (e.g. 1000000)', positiveInt)
    .option('--pglite-articles <n>', 'articles for the PGlite ingest figure (default 2000; quick 300)', positiveInt)
    .option('--cache', 'reuse (or keep) the loaded database, keyed by corpus size and the ingest code; the output says so')
    .option('--data-dir <dir>', 'keep the benchmark cluster in this folder, reusing the database already loaded there (the output says so)')
    .option('--corpus <dir>', 'folder holding bbc/ and reuters21578/ (default ../shared/corpus beside the repository)')
    .option('--no-response-cache', 'skip the rows with the response cache on')
    .option('--profile', 'write a V8 CPU profile of each server to bench/profiles/ (slows the servers a little)')
    .option('--queries <list>', `read queries to run, e.g. page,article (default ${QUERY_NAMES.join(',')}); the others are reported as not run`)
    .allowExcessArguments(false);
  program.parse(argv, { from: 'user' });
  const o = program.opts<{
    articles?: number;
    quick?: boolean;
    seconds?: number;
    connections?: number;
    inputs?: number;
    scale?: string;
    scaleTo?: number;
    pgliteArticles?: number;
    cache?: boolean;
    dataDir?: string;
    corpus?: string;
    responseCache: boolean;
    profile?: boolean;
    queries?: string;
  }>();
  const queries = (o.queries ?? QUERY_NAMES.join(',')).split(',').map((q) => q.trim()).filter(Boolean);
  for (const q of queries) {
    if (!QUERY_NAMES.includes(q as QueryName)) throw new InvalidArgumentError(`--queries: unknown query "${q}" (one of ${QUERY_NAMES.join(', ')})`);
  }
  const quick = o.quick === true;
  const articles = o.articles ?? 100_000;
  const scale = (o.scale ?? '10000')
    .split(',')
    .filter(Boolean)
    .map((s) => positiveInt(s.trim()))
    .filter((n) => n < articles)
    .sort((a, b) => a - b);
  return {
    articles,
    quick,
    seconds: o.seconds ?? (quick ? 3 : 15),
    warmup: quick ? 1 : 3,
    connections: o.connections ?? 8,
    inputs: o.inputs ?? 500,
    scale,
    scaleTo: o.scaleTo && o.scaleTo > articles ? o.scaleTo : null,
    scaleSeconds: quick ? 3 : 10,
    pgliteArticles: o.pgliteArticles ?? (quick ? 300 : 2000),
    cache: o.cache === true,
    dataDir: o.dataDir ? path.resolve(o.dataDir) : null,
    corpus: o.corpus ? path.resolve(o.corpus) : undefined,
    responseCache: o.responseCache,
    profileDir: o.profile ? path.join(ROOT, 'bench/profiles') : null,
    queries: QUERY_NAMES.filter((q) => queries.includes(q)),
  };
}

const log = (line: string) => process.stderr.write(`${line}\n`);

function git(args: string[]): string {
  try {
    return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
}

/** Identifies a loaded database: its size and every file that decides what the ingest stores. */
function cacheKey(articles: number): string {
  const hash = createHash('sha256').update(String(articles));
  const walk = (p: string) => {
    const full = path.join(ROOT, p);
    if (!fs.existsSync(full)) return;
    if (fs.statSync(full).isDirectory()) for (const e of fs.readdirSync(full).sort()) walk(path.join(p, e));
    else hash.update(p).update(fs.readFileSync(full));
  };
  for (const p of ['src/ingest', 'src/graph', 'src/db', 'drizzle', 'data', 'bench/corpus.ts', 'bench/load.ts']) walk(p);
  return hash.digest('hex').slice(0, 12);
}

interface CachedLoad {
  loadedAt: string;
  commit: string;
  figures: LoadFigures;
  segments: Results['ingest']['postgres']['segments'];
  scale: ScaleRow[];
}

function machine(pg: BenchPg): Results['machine'] {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    postgres: pg.version,
    loadAverageAtStart: os.loadavg().map((l) => Number(l.toFixed(2))),
  };
}

/** Measures the PGlite ingest on the first pages of the same stream, into an embedded database on disk. */
async function pgliteIngest(corpus: BenchCorpus, count: number): Promise<Results['ingest']['pglite']> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'news-graph-bench-pglite-'));
  const handle = await createDb({ databaseUrl: null, dataDir: dir });
  try {
    await migrate(handle);
    const figures = emptyFigures();
    await ingestUntil(handle.db, corpus.inputs, 0, count, figures, { label: 'PGlite ingest', log });
    return { articles: figures.created + figures.updated, seconds: figures.seconds, perSecond: rate(figures), failed: figures.failed };
  } finally {
    await handle.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

let profiling: { profileDir?: string } = {};

async function withServer<T>(kind: 'ours' | 'postgraphile', url: string, env: Record<string, string>, fn: (s: RunningServer) => Promise<T>): Promise<T> {
  const server = await startServer(kind, { databaseUrl: url, env, schemas: ['public', BENCH_PG_SCHEMA] }, profiling);
  try {
    return await fn(server);
  } finally {
    await server.stop();
  }
}

/** The service's configuration in the benchmark: defaults, except no rate limit (every request comes from 127.0.0.1). */
const OURS_ENV: Record<string, string> = { RATE_LIMIT_PER_SECOND: '0' };

/** Related-story latency (query 2) on this service at the current size. */
async function measureScale(pg: BenchPg, sql: postgres.Sql, options: Options, articles: number): Promise<ScaleRow> {
  const inputs = (await drawInputs(sql, options.inputs)).article;
  const bodies = inputs.map((i) => body(i, 'ours'));
  return withServer('ours', pg.url, OURS_ENV, async (server) => {
    await loadTest(server.url, bodies, { connections: options.connections, seconds: options.warmup });
    const r = await measured(pg, server, bodies, { ...options, seconds: options.scaleSeconds });
    log(`  scale ${articles.toLocaleString('en')}: query 2 ${r.reqPerSec.toFixed(0)} req/s, p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms`);
    return { articles, ...r };
  });
}

/**
 * One measured load run, with the CPU time the server process and the database's backends spent per request:
 * on a shared 2-core machine these show which side bounds the throughput, and they vary less than req/s when
 * other work competes for the cores.
 */
async function measured(pg: BenchPg, server: RunningServer, bodies: string[], options: Pick<Options, 'connections' | 'seconds'>): Promise<Measured> {
  const server0 = server.cpuMs();
  const db0 = pg.cpu();
  const r = await loadTest(server.url, bodies, { connections: options.connections, seconds: options.seconds });
  const per = (ms: number) => (r.requests > 0 ? ms / r.requests : 0);
  return { ...r, serverCpuMsPerRequest: per(server.cpuMs() - server0), dbCpuMsPerRequest: per(pg.cpu().since(db0)) };
}

/** SQL statements the database received per request, from pg_stat_statements over `count` sequential requests. */
async function statementsPerRequest(sql: postgres.Sql, server: RunningServer, bodies: string[], count: number) {
  const before = await server.statements();
  await sql`select pg_stat_statements_reset()`;
  for (let i = 0; i < count; i++) await post(server.url, bodies[i % bodies.length]!);
  const [row] = await sql<{ calls: number }[]>`
    select coalesce(sum(calls), 0)::int as calls from pg_stat_statements
    where dbid = (select oid from pg_database where datname = current_database())
      and query not ilike '%pg_stat_statements%'`;
  const after = await server.statements();
  return {
    fromPostgres: row!.calls / count,
    fromServer: before === null || after === null ? null : (after - before) / count,
  };
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (options.profileDir) profiling = { profileDir: options.profileDir };
  if ((options.cache || options.dataDir) && options.scaleTo) {
    throw new Error('--scale-to grows the database past the size it was kept for: run it without --cache or --data-dir');
  }
  const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
  const started = Date.now();
  log(`news-graph benchmark: ${options.articles.toLocaleString('en')} articles${options.quick ? ' (quick)' : ''}`);

  const largest = Math.max(options.articles, options.scaleTo ?? 0);
  const corpus = await buildCorpus(Math.ceil(largest * 1.05) + 1000, options.corpus);
  log(
    `corpus: ${corpus.baseStories.bbc} BBC + ${corpus.baseStories.reuters} Reuters stories (${corpus.bbcSkipped} BBC left out), ` +
      `${corpus.rounds} copy rounds for ${corpus.inputs.length.toLocaleString('en')} pages`,
  );

  const key = cacheKey(options.articles);
  const cacheDir = options.dataDir ?? (options.cache ? path.join(os.tmpdir(), 'news-graph-bench-cache', `${options.articles}-${key}`) : null);
  const cacheMeta = cacheDir ? path.join(cacheDir, 'load.json') : null;

  log(`PGlite ingest: ${options.pgliteArticles} articles…`);
  const pglite = await pgliteIngest(corpus, options.pgliteArticles);
  log(`  ${pglite.perSecond.toFixed(1)} articles/s`);

  const pg = await startBenchPg(cacheDir ? { keepDir: cacheDir } : {});
  const sql = postgres(pg.url, { max: 2, onnotice: () => {} });
  let cached: CachedLoad | null = null;
  if (pg.reused && cacheMeta && fs.existsSync(cacheMeta)) cached = JSON.parse(fs.readFileSync(cacheMeta, 'utf8')) as CachedLoad;
  else if (pg.reused) {
    // A folder loaded some other way: its articles are used, and no ingest figure is claimed for it.
    const [row] = await sql<{ n: number }[]>`select count(*)::int as n from articles`;
    cached = { loadedAt: 'unknown (no load.json)', commit: 'unknown', figures: { ...emptyFigures(), created: row!.n }, segments: [], scale: [] };
  }
  log(`PostgreSQL ${pg.version} on ${pg.url}${cached ? ` (database reused from ${cacheDir}, loaded ${cached.loadedAt})` : ''}`);
  let handle: DbHandle | null = null;
  const servers: RunningServer[] = [];
  const cleanup = async () => {
    for (const s of servers) await s.stop();
    await handle?.close();
    await sql.end({ timeout: 5 });
    pg.stop();
  };
  process.once('SIGINT', () => void cleanup().then(() => process.exit(130)));

  try {
    let figures: LoadFigures;
    let segments: CachedLoad['segments'];
    let scale: ScaleRow[];
    let next = 0;
    if (cached) {
      ({ figures, segments, scale } = cached);
      next = figures.pages;
      // A database loaded by an older commit gets the migrations added since (indexes, mostly), so the reads
      // are measured on the schema of this commit.
      const reused = await createDb({ databaseUrl: pg.url });
      await migrate(reused);
      await reused.close();
    } else {
      handle = await createDb({ databaseUrl: pg.url });
      await migrate(handle);
      figures = emptyFigures();
      segments = [];
      scale = [];
      for (const checkpoint of [...options.scale, options.articles]) {
        const before = { stored: figures.created + figures.updated, seconds: figures.seconds };
        log(`PostgreSQL ingest to ${checkpoint.toLocaleString('en')} articles…`);
        next = await ingestUntil(handle.db, corpus.inputs, next, checkpoint, figures, { label: 'PostgreSQL ingest', log });
        const stored = figures.created + figures.updated - before.stored;
        segments.push({ from: before.stored, to: checkpoint, perSecond: stored / (figures.seconds - before.seconds) });
        await sql`vacuum analyze`;
        if (checkpoint < options.articles) scale.push(await measureScale(pg, sql, options, checkpoint));
      }
      await handle.close();
      handle = null;
      if (cacheMeta) {
        const meta: CachedLoad = { loadedAt: new Date().toISOString(), commit: git(['rev-parse', '--short', 'HEAD']), figures, segments, scale };
        fs.writeFileSync(cacheMeta, JSON.stringify(meta, null, 2));
      }
    }
    log(`  ${rate(figures).toFixed(1)} articles/s over ${figures.created + figures.updated} stored (${figures.failed} failed)`);

    const [db] = await sql<{ articles: number; duplicates: number; dated: number; related: number; people: number; spokespeople: number; size: string }[]>`
      select (select count(*) from articles)::int as articles,
             (select count(*) from articles where duplicate_of is not null)::int as duplicates,
             (select count(published_at) from articles)::int as dated,
             (select count(*) from related_articles)::int as related,
             (select count(*) from article_people)::int as people,
             (select count(*) from article_people where quote_count > 0)::int as spokespeople,
             pg_size_pretty(pg_database_size(current_database())) as size`;

    await sql`create extension if not exists pg_stat_statements`;
    await sql.unsafe(POSTGRAPHILE_SETUP_SQL);
    await sql`vacuum analyze articles`;
    const inputs = await drawInputs(sql, options.inputs);

    const reads: ReadRow[] = [];
    const agreement: Results['agreement'] = {};
    const peakRss: Results['peakRssMb'] = {};
    const statements: Results['statements'] = {};
    const ours = await startServer('ours', { databaseUrl: pg.url, env: OURS_ENV }, profiling);
    servers.push(ours);
    const pgl = await startServer('postgraphile', { databaseUrl: pg.url, schemas: ['public', BENCH_PG_SCHEMA] }, profiling);
    servers.push(pgl);
    await fillPostgraphileCursors(pgl.url, inputs.page, post);

    const targets: Record<Server, RunningServer> = { ours, postgraphile: pgl };
    for (const query of options.queries) {
      const list: Input[] = inputs[query];
      // Both servers must give the same answers before their speed means anything.
      const checked = list.slice(0, 20);
      let same = 0;
      const mismatches: string[] = [];
      for (const input of checked) {
        const a = JSON.stringify(digest(query, 'ours', await post(ours.url, body(input, 'ours'))));
        const b = JSON.stringify(digest(query, 'postgraphile', await post(pgl.url, body(input, 'postgraphile'))));
        if (a === b) same += 1;
        else if (mismatches.length < 2) mismatches.push(`${JSON.stringify(input)}: ours ${a.slice(0, 200)} / postgraphile ${b.slice(0, 200)}`);
      }
      agreement[query] = { checked: checked.length, same, mismatches };
      if (same < checked.length) log(`  warning: ${query}: ${checked.length - same} of ${checked.length} answers differ\n    ${mismatches.join('\n    ')}`);

      for (const server of ['ours', 'postgraphile'] as Server[]) {
        const bodies = list.map((i) => body(i, server));
        statements[`${server}:${query}`] = await statementsPerRequest(sql, targets[server], bodies, 20);
        await loadTest(targets[server].url, bodies, { connections: options.connections, seconds: options.warmup });
        const r = await measured(pg, targets[server], bodies, options);
        reads.push({ server, variant: 'default', query, distinctInputs: new Set(bodies).size, ...r, statementsPerRequest: statements[`${server}:${query}`]!.fromPostgres });
        log(`  ${query} ${server}: ${r.reqPerSec.toFixed(0)} req/s, p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms, ${r.failures} failures`);
      }
    }
    peakRss.ours = ours.peakRssMb();
    peakRss.postgraphile = pgl.peakRssMb();
    for (const s of servers.splice(0)) await s.stop();

    if (options.responseCache) {
      await withServer('ours', pg.url, { ...OURS_ENV, RESPONSE_CACHE: 'true' }, async (cachedServer) => {
        for (const query of options.queries.filter((q) => q === 'page' || q === 'article')) {
          const bodies = inputs[query].map((i) => body(i, 'ours'));
          // One pass over every distinct input first, so the row shows the cache answering (a steady state),
          // not the misses of its first seconds.
          for (const b of new Set(bodies)) await post(cachedServer.url, b);
          const r = await measured(pg, cachedServer, bodies, options);
          reads.push({ server: 'ours', variant: 'response cache', query, distinctInputs: new Set(bodies).size, ...r, statementsPerRequest: null });
          log(`  ${query} ours+cache: ${r.reqPerSec.toFixed(0)} req/s, p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms`);
        }
        peakRss.oursResponseCache = cachedServer.peakRssMb();
      });
    }

    const finalScale = reads.find((r) => r.server === 'ours' && r.variant === 'default' && r.query === 'article');
    if (finalScale) {
      const { server: _s, variant: _v, query: _q, distinctInputs: _d, statementsPerRequest: _n, ...figuresAtSize } = finalScale;
      scale = [...scale, { articles: db!.articles, ...figuresAtSize }];
    }

    if (options.scaleTo) {
      handle = await createDb({ databaseUrl: pg.url });
      log(`PostgreSQL ingest to ${options.scaleTo.toLocaleString('en')} articles for the scale row…`);
      const more = emptyFigures();
      more.created = figures.created + figures.updated;
      await ingestUntil(handle.db, corpus.inputs, next, options.scaleTo, more, { label: 'PostgreSQL ingest', log });
      await handle.close();
      handle = null;
      await sql`vacuum analyze`;
      scale.push(await measureScale(pg, sql, options, options.scaleTo));
    }

    const results: Results = {
      command,
      startedAt: new Date(started).toISOString(),
      minutes: (Date.now() - started) / 60_000,
      commit: git(['rev-parse', '--short', 'HEAD']),
      dirty: git(['status', '--porcelain', '--', 'src', 'bench', 'drizzle', ':(exclude)bench/results.json']) !== '',
      machine: machine(pg),
      settings: {
        connections: options.connections,
        seconds: options.seconds,
        warmupSeconds: options.warmup,
        inputsPerQuery: options.inputs,
        postgres: SERVER_SETTINGS,
        oursEnv: OURS_ENV,
        queries: QUERIES,
      },
      corpus: {
        requested: options.articles,
        baseStories: corpus.baseStories,
        bbcSkipped: corpus.bbcSkipped,
        ...db!,
        cached: cached ? { dir: cacheDir!, loadedAt: cached.loadedAt, commit: cached.commit } : null,
      },
      ingest: {
        pglite,
        postgres: { articles: figures.created + figures.updated, seconds: figures.seconds, perSecond: rate(figures), failed: figures.failed, failures: figures.failures, segments, cached: cached !== null },
      },
      reads,
      statements,
      agreement,
      peakRssMb: peakRss,
      scale,
    };
    fs.writeFileSync(path.join(ROOT, 'bench/results.json'), `${JSON.stringify(results, null, 2)}\n`);
    process.stdout.write(printReport(results));
    log(`wrote bench/results.json (${results.minutes.toFixed(1)} min)`);
  } finally {
    await cleanup();
  }
}

await main();
