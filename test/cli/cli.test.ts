import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const tsx = path.join(root, 'node_modules/.bin/tsx');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ng-cli-data-'));
const pagesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ng-cli-pages-'));
const env = { ...process.env, NEWS_GRAPH_DATA_DIR: dataDir, LOG_LEVEL: 'info', DATABASE_URL: '' };

const page = (headline: string, dateline: string, speaker: string) =>
  `${headline}\n\n10:00, May 05, 2022\n\n${dateline} -- Talks on the new budget resumed, ${speaker} said on Wednesday.\n\n"We expect a deal this month," ${speaker.split(' ').at(-1)} said.\n`;

fs.writeFileSync(path.join(pagesDir, '1.txt'), page('Budget talks resume in the capital', 'LUSAKA, May 4 (Reuters)', 'Finance Minister Grace Banda'));
fs.writeFileSync(path.join(pagesDir, '2.txt'), page('Unions join budget talks', 'LUSAKA, May 4 (AP)', 'union leader Peter Mwale'));
fs.writeFileSync(path.join(pagesDir, '3.txt'), Buffer.from([0, 1, 2, 3, 0, 0, 80, 75, 3, 4, 0, 0]));
// A byte-identical copy, as corpora carry: stored once, counted as a duplicate.
fs.copyFileSync(path.join(pagesDir, '1.txt'), path.join(pagesDir, '1-copy.txt'));

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(tsx, ['src/cli.ts', ...args], { cwd: root, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

let server: ChildProcess | null = null;

/** Starts `npm start`'s entry point on a free port and resolves with the URL it logs once listening. */
function startServer(folder: string): Promise<string> {
  server = spawn(tsx, ['src/main.ts'], { cwd: root, env: { ...env, NEWS_GRAPH_DATA_DIR: folder, PORT: '0', HOST: '127.0.0.1' } });
  return new Promise<string>((resolve, reject) => {
    let log = '';
    server!.stderr!.on('data', (d: Buffer) => {
      log += d;
      const match = /"url":"([^"]+)"/.exec(log);
      if (match) resolve(match[1]!.replace('localhost', '127.0.0.1'));
    });
    server!.on('exit', (code) => reject(new Error(`server exited ${code}: ${log}`)));
  });
}

async function stopServer(): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => server!.on('exit', resolve));
  server!.kill('SIGTERM');
  const code = await exited;
  server = null;
  return code;
}

async function query<T>(url: string, q: string): Promise<T> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: q }) });
  return ((await response.json()) as { data: T }).data;
}
afterAll(() => {
  server?.kill('SIGKILL');
});

describe('news-graph ingest (embedded database)', () => {
  it('ingests a folder, reports each failure with its reason, and exits non-zero when a file failed', async () => {
    const result = await run(['ingest', '--no-progress', '--batch-size', '2', pagesDir]);
    expect(result.stdout).toContain('4 file(s), 4 stories: 2 created, 0 updated, 0 unchanged, 1 duplicates, 1 failed');
    expect(result.stdout).toMatch(/failed .*3\.txt: .*binary/);
    expect(result.code).toBe(1);
  });

  it('refuses an unknown --format with the valid names', async () => {
    const result = await run(['ingest', '--format', 'docx', pagesDir]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/page.*plain.*reuters.*html/);
  });

  it('reports a second ingest of the same files as unchanged and exits 0', async () => {
    const result = await run(['ingest', '--no-progress', path.join(pagesDir, '1.txt'), path.join(pagesDir, '2.txt')]);
    expect(result.stdout).toContain('2 file(s), 2 stories: 0 created, 0 updated, 2 unchanged, 0 duplicates, 0 failed');
    expect(result.code).toBe(0);
  });

  it('sends pages through the running server that holds the folder, then the server drains on SIGTERM', async () => {
    const url = await startServer(dataDir);

    fs.writeFileSync(path.join(pagesDir, '4.txt'), page('Budget deal agreed after talks', 'LUSAKA, May 4 (Reuters)', 'Finance Minister Grace Banda'));
    const result = await run(['ingest', '--no-progress', path.join(pagesDir, '4.txt')]);
    expect(result.stderr).toContain('sending pages to');
    expect(result.stdout).toContain('1 file(s), 1 story: 1 created');

    const data = await query<{ articles: { totalCount: number; edges: { node: { headline: string } }[] } }>(
      url,
      '{ articles(first: 10) { totalCount edges { node { headline } } } }',
    );
    // The sample is not loaded here: the folder already held articles when the server first started.
    expect(data.articles.totalCount).toBe(3);
    expect(data.articles.edges.map((e) => e.node.headline)).toContain('Budget deal agreed after talks');
    expect(await stopServer()).toBe(0);
  });

  it('loads the bundled sample into a fresh folder on first start', async () => {
    const fresh = fs.mkdtempSync(path.join(os.tmpdir(), 'ng-cli-fresh-'));
    const url = await startServer(fresh);
    const data = await query<{ articles: { totalCount: number; edges: { node: { headline: string; source: { name: string } } }[] } }>(
      url,
      '{ articles(first: 5) { totalCount edges { node { headline source { name } } } } }',
    );
    expect(data.articles.totalCount).toBe(1);
    expect(data.articles.edges[0]?.node.source.name).toBe("People's Daily Online");
    expect(await stopServer()).toBe(0);
  });
});
