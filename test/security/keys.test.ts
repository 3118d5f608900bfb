import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createKey, KEY_PATTERN, KeyFileError, KeyStore, parseKeyFile } from '../../src/security/keys.js';

const root = path.resolve(import.meta.dirname, '../..');

describe('API keys', () => {
  it('are random, carry a public id, and their keys-file line holds a salted hash, never the secret', async () => {
    const a = await createKey('ingest-bot', ['ingest']);
    const b = await createKey('ingest-bot', ['ingest']);
    expect(a.key).toMatch(KEY_PATTERN);
    expect(a.key).not.toBe(b.key);
    const secret = KEY_PATTERN.exec(a.key)![2]!;
    expect(Buffer.from(secret, 'base64url')).toHaveLength(32);
    expect(a.line).not.toContain(secret);
    expect(a.line.startsWith(`${a.id} ingest-bot ingest scrypt:`)).toBe(true);
    // Same name and scopes, different salt: the hashes differ too.
    expect(a.line.split(' ')[3]!.split(':')[4]).not.toBe(b.line.split(' ')[3]!.split(':')[4]);
  });

  it('verify the key that was created and refuse a changed secret, an unknown id and a malformed string', async () => {
    const created = await createKey('editor', ['ingest', 'edit']);
    const store = new KeyStore(parseKeyFile(created.line, 'keys'));
    const key = await store.verify(created.key);
    expect(key).toMatchObject({ id: created.id, name: 'editor' });
    expect([...key!.scopes].sort()).toEqual(['edit', 'ingest']);

    const last = created.key.at(-1) === 'A' ? 'B' : 'A';
    expect(await store.verify(created.key.slice(0, -1) + last)).toBeNull();
    const hashed = store.hashesComputed;
    // An id the file does not list, or no key shape at all, is refused before any scrypt work.
    const otherId = created.id === 'ffffffffffff' ? '000000000000' : 'ffffffffffff';
    expect(await store.verify(created.key.replace(created.id, otherId))).toBeNull();
    expect(await store.verify('Bearer nonsense')).toBeNull();
    expect(store.hashesComputed).toBe(hashed);
  });

  it('run scrypt once per key per cache period, not per request', async () => {
    const created = await createKey('reader', ['read']);
    let now = 1_000_000;
    const store = new KeyStore(parseKeyFile(created.line, 'keys'), { cacheMs: 60_000, now: () => now });
    expect(store.cached(created.key)).toBeNull();
    for (let i = 0; i < 5; i += 1) expect(await store.verify(created.key)).not.toBeNull();
    expect(store.hashesComputed).toBe(1);
    expect(store.cached(created.key)?.name).toBe('reader');
    now += 60_001;
    expect(store.cached(created.key)).toBeNull();
    expect(await store.verify(created.key)).not.toBeNull();
    expect(store.hashesComputed).toBe(2);
  });

  it('refuse a keys file with every problem listed by line', async () => {
    const good = await createKey('ok', ['ingest']);
    const text = [
      '# comment',
      good.line,
      good.line, // duplicate id
      'only three fields',
      `abcdefabcdef bad/name ingest ${good.line.split(' ')[3]}`,
      `123456789abc fine admin ${good.line.split(' ')[3]}`,
      '123456789abd fine ingest sha256:abc',
      `123456789abe weak ingest ${good.line.split(' ')[3]!.replace('scrypt:16384', 'scrypt:3')}`,
    ].join('\n');
    let error: unknown;
    try {
      parseKeyFile(text, 'api-keys');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(KeyFileError);
    const problems = (error as KeyFileError).problems;
    expect(problems).toEqual([
      expect.stringMatching(/^line 3: id \w+ appears twice/),
      expect.stringMatching(/^line 4: expected "id name scopes hash"/),
      expect.stringMatching(/^line 5: name "bad\/name"/),
      expect.stringMatching(/^line 6: unknown scope\(s\) admin/),
      expect.stringMatching(/^line 7: hash is not scrypt/),
      expect.stringMatching(/^line 8: scrypt parameters N=3/),
    ]);
    expect(() => KeyStore.fromFile(path.join(os.tmpdir(), 'no-such-news-graph-keys'))).toThrow(/cannot read it: ENOENT/);
  });
});

describe('npm run keys', () => {
  const cli = (args: string[], env: Record<string, string> = {}, input?: string) =>
    spawnSync(path.join(root, 'node_modules/.bin/tsx'), ['src/cli.ts', 'keys', ...args], {
      cwd: root,
      env: { ...process.env, API_KEYS_FILE: '', NEWS_GRAPH_API_KEY: '', ...env },
      encoding: 'utf8',
      input,
    });

  it('creates a key once, appends its line, then lists and verifies it from the keys file', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ng-keys-cli-')), 'keys');
    const created = cli(['create', '--name', 'ingest-bot', '--scopes', 'ingest,edit', '--append', file]);
    expect(created.status).toBe(0);
    const key = /\b(ngk_[0-9a-f]{12}_[A-Za-z0-9_-]{43})\b/.exec(created.stdout)?.[1];
    expect(key).toBeDefined();
    const line = fs.readFileSync(file, 'utf8').trim();
    expect(created.stdout).toContain(line);
    expect(line).not.toContain(key!.slice(17));
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);

    const listed = cli(['list'], { API_KEYS_FILE: file });
    expect(listed.stdout).toMatch(/1 key\(s\)[\s\S]*ingest-bot {2}ingest,edit/);
    expect(cli(['verify'], { API_KEYS_FILE: file }, `${key}\n`).stdout).toMatch(/^valid: \w+ {2}ingest-bot/);
    const wrong = cli(['verify'], { API_KEYS_FILE: file, NEWS_GRAPH_API_KEY: key!.slice(0, -1) + (key!.endsWith('A') ? 'B' : 'A') });
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toMatch(/Not a valid key/);
    // Four CLI processes, on two cores shared with the rest of the suite.
  }, 120_000);

  it('refuses an unknown scope with the known ones, and exits 2', () => {
    const result = cli(['create', '--name', 'x', '--scopes', 'ingest,admin']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/Unknown scope\(s\): admin\. Known: read, ingest, edit/);
    expect(result.stdout).not.toMatch(/ngk_/);
  }, 60_000);
});
