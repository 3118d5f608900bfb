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

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Reads the current holder, clearing a lock left by a process that no longer runs. */
export function readLock(dataDir: string): LockInfo | null {
  const file = path.join(dataDir, LOCK_FILE);
  let info: LockInfo;
  try {
    info = JSON.parse(fs.readFileSync(file, 'utf8')) as LockInfo;
  } catch {
    return null;
  }
  if (info.pid !== process.pid && !alive(info.pid)) {
    fs.rmSync(file, { force: true });
    return null;
  }
  return info;
}

/** Takes the folder for this process, or reports who holds it. Creation with `wx` makes the claim atomic. */
export function acquireLock(dataDir: string, info: Omit<LockInfo, 'pid' | 'startedAt'>): HeldLock | { heldBy: LockInfo } {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt += 1) {
    const held = readLock(dataDir);
    if (held) return { heldBy: held };
    try {
      fs.writeFileSync(file, JSON.stringify({ ...info, pid: process.pid, startedAt: new Date().toISOString() }), {
        flag: 'wx',
      });
      return {
        release() {
          const current = readLock(dataDir);
          if (current?.pid === process.pid) fs.rmSync(file, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  const held = readLock(dataDir);
  if (held) return { heldBy: held };
  throw new Error(`could not lock ${dataDir}`);
}

/** Rewrites the lock's details (the server learns its URL only once it listens). */
export function updateLock(dataDir: string, patch: Partial<LockInfo>): void {
  const file = path.join(dataDir, LOCK_FILE);
  const current = readLock(dataDir);
  if (current?.pid !== process.pid) return;
  fs.writeFileSync(file, JSON.stringify({ ...current, ...patch }));
}
