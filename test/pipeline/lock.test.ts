import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireLock, readLock } from '../../src/db/lock.js';

describe('data folder lock', () => {
  it('lets one holder in, reports it to the next, and frees the folder on release', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ng-lock-'));
    const first = acquireLock(dir, { kind: 'server', url: 'http://127.0.0.1:1/graphql' });
    expect('release' in first).toBe(true);
    const second = acquireLock(dir, { kind: 'cli' });
    expect(second).toEqual({ heldBy: expect.objectContaining({ kind: 'server', pid: process.pid }) });
    if ('release' in first) first.release();
    expect(readLock(dir)).toBeNull();
  });

  it('reports a lock left by a dead process as free without touching it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ng-lock-'));
    fs.writeFileSync(path.join(dir, 'news-graph.lock'), JSON.stringify({ pid: 2 ** 30, kind: 'cli', startedAt: '' }));
    expect(readLock(dir)).toBeNull();
    expect(fs.existsSync(path.join(dir, 'news-graph.lock'))).toBe(true);
  });

  it('leaves a stale lock alone while another process is taking it over', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ng-lock-'));
    fs.writeFileSync(path.join(dir, 'news-graph.lock'), JSON.stringify({ pid: 2 ** 30, kind: 'cli', startedAt: '' }));
    fs.mkdirSync(path.join(dir, 'news-graph.lock.takeover'));
    expect(() => acquireLock(dir, { kind: 'cli' })).toThrow(/stale lock/);
    fs.rmdirSync(path.join(dir, 'news-graph.lock.takeover'));
    expect('release' in acquireLock(dir, { kind: 'cli' })).toBe(true);
  });

  it('clears a lock left by a process that is gone', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ng-lock-'));
    // PIDs are capped well below this on Linux, so no process can hold it.
    fs.writeFileSync(path.join(dir, 'news-graph.lock'), JSON.stringify({ pid: 2 ** 30, kind: 'cli', startedAt: '' }));
    const claim = acquireLock(dir, { kind: 'cli' });
    expect('release' in claim).toBe(true);
  });
});
