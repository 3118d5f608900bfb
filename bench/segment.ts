/**
 * `npm run bench:segment`: the ingest side of the benchmark one segment at a time, for tuning. It grows the
 * benchmark corpus in a kept PostgreSQL cluster (a folder of its own, or a copy of one `npm run bench --
 * --data-dir` left) by `--segment` articles at a time up to `--to`, and prints for each segment the rate,
 * the CPU per article of this process (worker thread included) and of the PostgreSQL server, and the
 * statements that took the most time. Copy the folder first to measure two versions of the code from the
 * same database. `--explain` shows how the last batch's postings were read (rows, heap fetches).
 * `--compare A B --after ID` compares the related stories of articles after ID in two such clusters.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import postgres from 'postgres';
import { createDb } from '../src/db/client.js';
import { migrate } from '../src/db/migrate.js';
import { buildCorpus } from './corpus.js';
import { emptyFigures, ingestUntil, positiveInt, rate } from './load.js';
import { startBenchPg } from './postgres.js';

const program = new Command('bench:segment')
  .description('Grow the benchmark corpus in a kept PostgreSQL cluster segment by segment, printing the ingest cost of each')
  .option('--dir <dir>', 'the cluster folder (created if empty)')
  .option('--to <n>', 'stop once this many articles are stored', positiveInt)
  .option('--segment <n>', 'articles per measured segment (default 5000)', positiveInt)
  .option('--explain', "after the last segment, EXPLAIN ANALYZE the postings read for the last batch's terms")
  .option('--compare <dirs...>', 'two cluster folders whose related stories to compare (with --after)')
  .option('--after <id>', 'with --compare: the articles compared are those with a greater id', positiveInt)
  .parse(process.argv.slice(2), { from: 'user' });
const o = program.opts<{ dir?: string; to?: number; segment?: number; explain?: boolean; compare?: string[]; after?: number }>();

if (o.compare) await compare(o.compare, o.after ?? 0);
else if (o.dir && o.to) await grow(o.dir, o.to, o.segment ?? 5000, o.explain === true);
else program.error('give --dir and --to, or --compare A B --after ID');

async function grow(dir: string, to: number, segment: number, explain: boolean): Promise<void> {
  const pg = await startBenchPg({ keepDir: dir });
  const handle = await createDb({ databaseUrl: pg.url });
  const sql = postgres(pg.url, { max: 1, onnotice: () => {} });
  try {
    await migrate(handle);
    await sql`create extension if not exists pg_stat_statements`;
    // Where the corpus stream stands: kept here by earlier segments, or the figures of an `npm run bench` load.
    const state = path.join(dir, 'segment.json');
    const load = path.join(dir, 'load.json');
    let next: number = fs.existsSync(state)
      ? JSON.parse(fs.readFileSync(state, 'utf8')).next
      : fs.existsSync(load)
        ? JSON.parse(fs.readFileSync(load, 'utf8')).figures.pages
        : 0;
    const [row] = await sql<{ n: number; last: number | null }[]>`select count(*)::int as n, max(id)::int as last from articles`;
    let stored = row!.n;
    console.log(`${stored.toLocaleString('en')} articles stored (ids up to ${row!.last ?? 0}, for --compare --after), next page ${next}`);
    const corpus = await buildCorpus(Math.ceil(to * 1.05) + 1000);
    await sql`select pg_stat_statements_reset()`;
    while (stored < to) {
      const want = Math.min(segment, to - stored);
      const figures = emptyFigures();
      const pgBefore = pg.cpu();
      const nodeBefore = process.cpuUsage();
      next = await ingestUntil(handle.db, corpus.inputs, next, want, figures, { label: 'ingest', log: console.log });
      const node = process.cpuUsage(nodeBefore);
      const n = figures.created + figures.updated;
      console.log(
        `${stored.toLocaleString('en')} → ${(stored + n).toLocaleString('en')}: ${rate(figures).toFixed(1)} articles/s, ` +
          `CPU per article: this process ${((node.user + node.system) / 1000 / n).toFixed(2)} ms, PostgreSQL ${(pg.cpu().since(pgBefore) / n).toFixed(2)} ms` +
          (figures.failed ? `, ${figures.failed} failed` : ''),
      );
      stored += n;
      fs.writeFileSync(state, JSON.stringify({ next }));
    }
    console.log('statements by total time over these segments (pg_stat_statements):');
    const top = await sql<{ calls: number; ms: number; mean: number; query: string }[]>`
      select calls::int, round(total_exec_time)::int as ms, round(mean_exec_time::numeric, 2)::float8 as mean,
             left(regexp_replace(query, '[[:space:]]+', ' ', 'g'), 140) as query
      from pg_stat_statements order by total_exec_time desc limit 10`;
    for (const r of top) console.log(`${String(r.ms).padStart(8)} ms ${String(r.calls).padStart(6)} calls ${r.mean.toFixed(2).padStart(8)} ms mean  ${r.query}`);
    if (explain) {
      const plan = await sql.unsafe<{ 'QUERY PLAN': string }[]>(
        `explain (analyze, buffers)
         select term, string_agg(int4send(article_id), ''::bytea) from article_terms
         where term = any(array(select distinct term from article_terms where article_id > (select max(id) - 50 from articles)))
         group by term`,
      );
      for (const line of plan) console.log(line['QUERY PLAN']);
    }
  } finally {
    await sql.end();
    await handle.close();
    pg.stop();
  }
}

async function compare(dirs: string[], after: number): Promise<void> {
  if (dirs.length !== 2) program.error('--compare takes two cluster folders');
  const servers = await Promise.all(dirs.map((dir) => startBenchPg({ keepDir: dir })));
  const clients = servers.map((s) => postgres(s.url, { max: 1, onnotice: () => {} }));
  try {
    const read = async (sql: postgres.Sql) => {
      const lists = await sql<{ article_id: number; ids: number[]; scores: number[] }[]>`
        select article_id, array_agg(related_id order by score desc, related_id) as ids, array_agg(score order by score desc, related_id) as scores
        from (select *, row_number() over (partition by article_id order by score desc, related_id) as k
              from related_articles where article_id > ${after}) r
        where k <= 5 group by article_id`;
      const [copies] = await sql<{ n: number }[]>`select count(*)::int as n from articles where id > ${after} and duplicate_of is not null`;
      return { lists: new Map(lists.map((l) => [l.article_id, l])), copies: copies!.n };
    };
    const [a, b] = [await read(clients[0]!), await read(clients[1]!)];
    let same = 0;
    let overlap = 0;
    let lower = 0;
    let sumA = 0;
    let sumB = 0;
    for (const [id, la] of a.lists) {
      const lb = b.lists.get(id);
      const idsB = new Set(lb?.ids ?? []);
      const shared = la.ids.filter((x) => idsB.has(x)).length;
      overlap += shared / la.ids.length;
      if (lb && shared === la.ids.length && lb.ids.length === la.ids.length) same += 1;
      const sa = la.scores.reduce((x, y) => x + y, 0);
      const sb = (lb?.scores ?? []).reduce((x, y) => x + y, 0);
      sumA += sa;
      sumB += sb;
      if (sb < sa - 1e-9) lower += 1;
    }
    const n = a.lists.size;
    console.log(`articles after id ${after} with related stories: ${n} in ${dirs[0]}, ${b.lists.size} in ${dirs[1]}`);
    console.log(`same top five: ${same} of ${n}; mean overlap of the top five ${(overlap / Math.max(n, 1)).toFixed(3)}`);
    console.log(`top-five score sum, second / first: ${(sumB / Math.max(sumA, 1e-9)).toFixed(4)}; lower in the second for ${lower}`);
    console.log(`marked near-duplicates: ${a.copies} and ${b.copies}`);
  } finally {
    await Promise.all(clients.map((c) => c.end()));
    for (const s of servers) s.stop();
  }
}
