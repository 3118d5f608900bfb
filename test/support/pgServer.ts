import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * A PostgreSQL 15 server of a test's own, for tests that stop and start the server under load. The CI's shared
 * server (NEWS_GRAPH_TEST_DATABASE_URL) cannot be restarted: other test files use it at the same time.
 * `initdb` refuses root, so the cluster belongs to the `postgres` user when the tests run as root.
 */
export const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

/** Why a private server cannot start here, or null when it can. */
export function privateServerUnavailable(): string | null {
  if (!fs.existsSync(path.join(PG_BIN, 'initdb'))) return `no PostgreSQL server binaries in ${PG_BIN}`;
  if (process.getuid?.() === 0) {
    try {
      execFileSync('id', ['postgres'], { stdio: 'ignore' });
    } catch {
      return 'running as root without a postgres user to own the cluster';
    }
  }
  return null;
}

export interface PrivatePgServer {
  url: string;
  port: number;
  /** Fast shutdown: open connections are terminated. */
  stop(): void;
  start(): void;
  /**
   * Freezes the server and its backends with SIGSTOP: connections are accepted by the kernel but nothing
   * answers, the way a hung or partitioned database looks to a client. `resume` sends SIGCONT.
   */
  pause(): void;
  resume(): void;
  /** Stops the server for good and removes its files. */
  destroy(): void;
}

/** A free loopback port: the benchmark's helper, shared so there is one. */
export { freePort } from '../../bench/postgres.js';
import { freePort } from '../../bench/postgres.js';

export async function startPrivatePgServer(): Promise<PrivatePgServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ng-pg-'));
  const asRoot = process.getuid?.() === 0;
  if (asRoot) execFileSync('chown', ['postgres:postgres', dir]);
  const port = await freePort();
  const data = path.join(dir, 'data');
  const run = (binary: string, args: string[]) => {
    const command = [path.join(PG_BIN, binary), ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    execFileSync(asRoot ? 'su' : 'sh', asRoot ? ['postgres', '-c', `cd / && ${command}`] : ['-c', command], { stdio: 'pipe' });
  };
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C.UTF-8']);
  const options = `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c max_connections=100`;
  const start = () => run('pg_ctl', ['-D', data, '-l', path.join(dir, 'server.log'), '-w', '-t', '60', '-o', options, 'start']);
  const stop = () => run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
  start();
  // The postmaster's pid is the first line of postmaster.pid; its children are the backends and workers.
  const processes = () => {
    const postmaster = fs.readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]!.trim();
    const children = execFileSync('ps', ['-o', 'pid=', '--ppid', postmaster], { encoding: 'utf8' }).split('\n');
    return [postmaster, ...children].map((p) => Number(p.trim())).filter((p) => p > 0);
  };
  const signalAll = (signal: NodeJS.Signals) => {
    for (const pid of processes()) {
      try {
        process.kill(pid, signal);
      } catch {
        // The process ended meanwhile.
      }
    }
  };
  let destroyed = false;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    start,
    stop,
    pause: () => signalAll('SIGSTOP'),
    resume: () => signalAll('SIGCONT'),
    destroy() {
      if (destroyed) return;
      destroyed = true;
      try {
        signalAll('SIGCONT');
      } catch {
        // Not running.
      }
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']);
      } catch {
        // Already stopped.
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
