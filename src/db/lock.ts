import fs from 'node:fs';
import path from 'node:path';

/** Who holds an embedded data folder. PGlite allows one process per folder, so the holder is recorded. */
export interface LockInfo {
  pid: number;
  kind: 'server' | 'cli';
  /** For a server: the GraphQL endpoint other processes can send work to. */
  url?: string;
  startedAt: string;
}

export interface HeldLock {
  release(): void;
}

const LOCK_FILE = 'news-graph.lock';
/** Only the process that creates this directory may clear a stale lock. */
const TAKEOVER_DIR = 'news-graph.lock.takeover';
/** A takeover left behind by a process that died inside it is ignored after this long. */
const TAKEOVER_STALE_MS = 10_000;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readRaw(dataDir: string): { info: LockInfo; text: string } | null {
  try {
    const text = fs.readFileSync(path.join(dataDir, LOCK_FILE), 'utf8');
    return { info: JSON.parse(text) as LockInfo, text };
  } catch {
    return null;
  }
}

/** The live holder of the folder, or null when it is free or its holder has died. Never changes the folder. */
export function readLock(dataDir: string): LockInfo | null {
  const held = readRaw(dataDir);
  return held && (held.info.pid === process.pid || alive(held.info.pid)) ? held.info : null;
}

/**
 * Clears a lock whose holder has died. Two processes may find the same stale lock at once; the takeover
 * directory (mkdir is atomic) lets one of them in, and it re-reads the lock inside, so it can never remove
 * a lock that another process has just taken.
 */
function clearStale(dataDir: string, staleText: string): void {
  const takeover = path.join(dataDir, TAKEOVER_DIR);
  try {
    fs.mkdirSync(takeover);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const age = Date.now() - fs.statSync(takeover).mtimeMs;
    if (age > TAKEOVER_STALE_MS) fs.rmSync(takeover, { recursive: true, force: true });
    return;
  }
  try {
    if (readRaw(dataDir)?.text === staleText) fs.rmSync(path.join(dataDir, LOCK_FILE), { force: true });
  } finally {
    fs.rmSync(takeover, { recursive: true, force: true });
  }
}

/** Takes the folder for this process, or reports who holds it. Creation with `wx` makes the claim atomic. */
export function acquireLock(dataDir: string, info: Omit<LockInfo, 'pid' | 'startedAt'>): HeldLock | { heldBy: LockInfo } {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, LOCK_FILE);
  const mine = JSON.stringify({ ...info, pid: process.pid, startedAt: new Date().toISOString() });
  for (let attempt = 0; attempt < 5; attempt += 1) {
    try {
      fs.writeFileSync(file, mine, { flag: 'wx' });
      return {
        release() {
          if (readRaw(dataDir)?.info.pid === process.pid) fs.rmSync(file, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const held = readRaw(dataDir);
    if (held && alive(held.info.pid)) return { heldBy: held.info };
    if (held) clearStale(dataDir, held.text);
  }
  const held = readLock(dataDir);
  if (held) return { heldBy: held };
  throw new Error(`could not lock ${dataDir}: another process keeps taking over a stale lock`);
}

/** Rewrites the lock's details (the server learns its URL only once it listens). */
export function updateLock(dataDir: string, patch: Partial<LockInfo>): void {
  const current = readRaw(dataDir);
  if (current?.info.pid !== process.pid) return;
  fs.writeFileSync(path.join(dataDir, LOCK_FILE), JSON.stringify({ ...current.info, ...patch }));
}
