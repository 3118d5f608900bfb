import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * The benchmark's own PostgreSQL 15 server on 127.0.0.1 and a free port. `initdb` refuses root, so when the
 * benchmark runs as root the cluster belongs to the `postgres` user. pg_stat_statements is preloaded so SQL
 * statements per request can be counted the same way for every server under test.
 */
export const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

/** Settings the benchmark server runs with; printed in the report so the figures can be reproduced. */
export const SERVER_SETTINGS: Record<string, string> = {
  listen_addresses: '127.0.0.1',
  max_connections: '200',
  shared_buffers: '1GB',
  shared_preload_libraries: 'pg_stat_statements',
  'pg_stat_statements.track': 'top',
  'pg_stat_statements.max': '10000',
  autovacuum_naptime: '10s',
};

export interface BenchPg {
  url: string;
  port: number;
  /** The cluster's data folder. */
  dataDir: string;
  /** True when the data folder already held a cluster (a cached load) and was not created now. */
  reused: boolean;
  version: string;
  /** CPU use so far of the server's backend processes (the postmaster's children). */
  cpu(): CpuSnapshot;
  /** Stops the server; removes its files unless the folder is a kept cache. */
  stop(): void;
}

/** CPU ticks (user + system) of each process whose parent is `parentPid`, from /proc (Linux). */
function childrenTicks(parentPid: number): Map<number, number> {
  const ticks = new Map<number, number>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After the command name: state, ppid, ..., utime (field 14) and stime (15).
    if (Number(fields[1]) === parentPid) ticks.set(Number(entry), Number(fields[11]) + Number(fields[12]));
  }
  return ticks;
}

/** A snapshot of the server's CPU use; `since(earlier)` is the CPU spent in between, in milliseconds. */
export interface CpuSnapshot {
  since(earlier: CpuSnapshot): number;
  readonly ticks: Map<number, number>;
}

function snapshot(ticks: Map<number, number>): CpuSnapshot {
  return {
    ticks,
    // Backends that exited in between are not counted (their last ticks are gone); new ones count whole.
    since: (earlier) => [...ticks].reduce((sum, [pid, t]) => sum + Math.max(0, t - (earlier.ticks.get(pid) ?? 0)), 0) * 10, // USER_HZ = 100
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

const asRoot = process.getuid?.() === 0;

function run(binary: string, args: string[]): string {
  const command = [path.join(PG_BIN, binary), ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  return execFileSync(asRoot ? 'su' : 'sh', asRoot ? ['postgres', '-c', `cd / && ${command}`] : ['-c', command], {
    stdio: 'pipe',
    encoding: 'utf8',
  });
}

function ownByPostgres(dir: string): void {
  if (asRoot) execFileSync('chown', ['postgres:postgres', dir]);
}

/**
 * Starts a server. With `keepDir`, the cluster lives in that folder and survives `stop()` (a cache of a loaded
 * corpus); otherwise it lives in a fresh temporary folder that `stop()` deletes.
 */
export async function startBenchPg(options: { keepDir?: string } = {}): Promise<BenchPg> {
  if (!fs.existsSync(path.join(PG_BIN, 'initdb'))) {
    throw new Error(`no PostgreSQL 15 server binaries in ${PG_BIN} (install Debian's postgresql-15, or set PG_BIN)`);
  }
  const root = options.keepDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'news-graph-bench-pg-'));
  fs.mkdirSync(root, { recursive: true });
  ownByPostgres(root);
  const dataDir = path.join(root, 'data');
  const reused = fs.existsSync(path.join(dataDir, 'PG_VERSION'));
  if (!reused) run('initdb', ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C.UTF-8']);
  const port = await freePort();
  const settings = Object.entries(SERVER_SETTINGS)
    .map(([k, v]) => `-c ${k}=${v}`)
    .join(' ');
  const log = path.join(root, 'server.log');
  try {
    run('pg_ctl', ['-D', dataDir, '-l', log, '-w', '-t', '120', '-o', `${settings} -p ${port} -k ${root}`, 'start']);
  } catch (error) {
    const tail = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n').slice(-20).join('\n') : '';
    throw new Error(`PostgreSQL did not start: ${error instanceof Error ? error.message : String(error)}\n${tail}`);
  }
  const version = /\d+\.\d+/.exec(run('postgres', ['--version']))?.[0] ?? '?';
  const postmasterPid = Number(fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  let stopped = false;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    dataDir,
    reused,
    version,
    cpu: () => snapshot(childrenTicks(postmasterPid)),
    stop() {
      if (stopped) return;
      stopped = true;
      try {
        run('pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', '-t', '120', 'stop']);
      } catch {
        // Already stopped.
      }
      if (!options.keepDir) fs.rmSync(root, { recursive: true, force: true });
    },
  };
}
