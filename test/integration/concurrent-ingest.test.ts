import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../src/db/client.js';
import { articles } from '../../src/db/schema.js';
import { readText } from '../../src/ingest/files.js';
import { contentHash } from '../../src/ingest/normalize.js';
import { createTestDb, onPostgresServer } from '../support/db.js';

const root = path.resolve(import.meta.dirname, '../..');
const bbc = path.resolve(root, '../shared/corpus/bbc');
const haveCorpus = fs.existsSync(bbc);

function ingest(files: string[], databaseUrl: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(path.join(root, 'node_modules/.bin/tsx'), ['src/cli.ts', 'ingest', '--no-progress', '--batch-size', '10', ...files], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

// Needs a PostgreSQL server (PGlite admits one process per folder) and the BBC corpus beside the repo.
describe.skipIf(!onPostgresServer || !haveCorpus)('two CLI ingests of one corpus at once, on PostgreSQL', () => {
  let handle: DbHandle & { url?: string };
  let databaseUrl: string;
  beforeAll(async () => {
    handle = await createTestDb();
    databaseUrl = handle.url!;
  });
  afterAll(async () => {
    await handle?.close();
  });

  it('stores each story exactly once', async () => {
    // Business files 001-120 include byte-identical copies, so duplicates are in play as well.
    const files = Array.from({ length: 120 }, (_, i) => path.join(bbc, 'business', `${String(i + 1).padStart(3, '0')}.txt`));
    const [a, b] = await Promise.all([ingest(files, databaseUrl), ingest([...files].reverse(), databaseUrl)]);
    expect(a.code, a.stdout + a.stderr).toBe(0);
    expect(b.code, b.stdout + b.stderr).toBe(0);
    const distinct = new Set(await Promise.all(files.map(async (f) => contentHash(await readText(f))))).size;
    const [stored] = await handle.db.select({ rows: count() }).from(articles);
    // Every distinct story is there (none lost to a conflict), and the two runs together created each once.
    expect(stored!.rows).toBe(distinct);
    const created = (out: string) => Number(/(\d+) created/.exec(out)?.[1] ?? NaN);
    expect(created(a.stdout) + created(b.stdout)).toBe(distinct);
  });
});
