import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { generatePage } from '../support/newsPages.js';
import { startService, type ServiceProcess } from '../support/service.js';
import { keysFile } from './auth-support.js';

const root = path.resolve(import.meta.dirname, '../..');
let running: ServiceProcess | null = null;

afterEach(async () => {
  if (!running) return;
  running.child.kill('SIGTERM');
  await running.exited;
  running = null;
});

function ingestCli(dataDir: string, file: string, env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(path.join(root, 'node_modules/.bin/tsx'), ['src/cli.ts', 'ingest', '--no-progress', file], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: '', NEWS_GRAPH_DATA_DIR: dataDir, NEWS_GRAPH_API_KEY: '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('access settings', () => {
  it('default to public reading, no keys and a generous rate limit', () => {
    expect(loadConfig({}).access).toEqual({
      readAccess: 'public',
      apiKeysFile: null,
      persistedOnly: false,
      persistedOperationsFile: null,
      rateLimit: { perSecond: 100, burst: 1000, redisUrl: null },
      trustProxyHops: 0,
    });
  });

  it('list every problem at once', () => {
    let error: unknown;
    try {
      loadConfig({ READ_ACCESS: 'key', PERSISTED_ONLY: 'true', NEWS_GRAPH_API_KEY: 'secret', RATE_LIMIT_PER_SECOND: '-1', TRUST_PROXY_HOPS: 'x' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const name of ['READ_ACCESS: key needs API_KEYS_FILE', 'PERSISTED_ONLY: true needs PERSISTED_OPERATIONS_FILE', 'NEWS_GRAPH_API_KEY', 'RATE_LIMIT_PER_SECOND', 'TRUST_PROXY_HOPS']) {
      expect(problems).toContain(name);
    }
  });
});

describe('the service', () => {
  it('says at start that mutations come from loopback clients only when no keys are configured', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ng-auth-svc-'));
    running = await startService({ NEWS_GRAPH_DATA_DIR: dataDir, NEWS_GRAPH_SAMPLE: 'false', API_KEYS_FILE: '' });
    expect(running.log()).toMatch(/"mutations":"from loopback clients on this machine only \(no API_KEYS_FILE\)"/);
  }, 120_000);

  it('refuses to start on a broken keys file, listing its problems', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ng-auth-svc-')), 'keys');
    fs.writeFileSync(file, 'one two\nabcdefabcdef x admin scrypt:1:2:3:4:5\n');
    const started = startService({ NEWS_GRAPH_DATA_DIR: path.dirname(file), API_KEYS_FILE: file });
    const error = await started.then(
      () => null,
      (e: Error) => e,
    );
    expect(error?.message).toMatch(/exited with 1/);
    expect(error?.message).toContain(`The API keys file ${file} has problems`);
    expect(error?.message).toMatch(/line 1: expected "id name scopes hash"/);
    expect(error?.message).toMatch(/line 2: unknown scope\(s\) admin/);
  }, 120_000);

  it('takes pages from `news-graph ingest` only with NEWS_GRAPH_API_KEY once keys are configured', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ng-auth-svc-'));
    const { file, keys } = await keysFile({ 'ingest-bot': ['ingest'], reader: ['read'] });
    running = await startService({ NEWS_GRAPH_DATA_DIR: dataDir, NEWS_GRAPH_SAMPLE: 'false', API_KEYS_FILE: file });
    expect(running.log()).toMatch(/"mutations":"API key with the ingest \(ingestArticle\) or edit \(mergePeople\) scope; 2 key\(s\)/);
    const page = path.join(dataDir, 'page.txt');
    fs.writeFileSync(page, generatePage(41).raw);

    const without = await ingestCli(dataDir, page, {});
    expect(without.code).toBe(1);
    expect(without.stdout).toMatch(/1 failed/);
    expect(without.stdout).toMatch(/ingestArticle needs an API key with the "ingest" scope/);

    const asReader = await ingestCli(dataDir, page, { NEWS_GRAPH_API_KEY: keys.reader! });
    expect(asReader.stdout).toMatch(/lacks the "ingest" scope/);

    const withKey = await ingestCli(dataDir, page, { NEWS_GRAPH_API_KEY: keys['ingest-bot']! });
    expect(withKey.code).toBe(0);
    expect(withKey.stdout).toMatch(/1 created/);
    // Three CLI processes and a server on two shared cores.
  }, 180_000);
});
