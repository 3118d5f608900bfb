import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { FromServer, ServerArgs } from './protocol.js';

export type ServerKind = 'ours' | 'postgraphile';

export interface RunningServer {
  kind: ServerKind;
  pid: number;
  url: string;
  /** Statements the server counted itself (ours: Drizzle's logger); null when it cannot count. */
  statements(): Promise<number | null>;
  /** Peak resident set of the process so far (VmHWM), in MiB. */
  peakRssMb(): number;
  /** CPU time the process has used so far (user + system), in milliseconds. */
  cpuMs(): number;
  stop(): Promise<void>;
}

const here = import.meta.dirname;

/** Peak resident memory of a process, from /proc (Linux). */
export function peakRssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/^VmHWM:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

// Linux reports process times in clock ticks; USER_HZ is 100 on every mainstream architecture.
const TICKS_PER_SECOND = 100;

/** CPU time (user + system) a process has used, from /proc (Linux), in milliseconds. */
export function cpuMs(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may contain spaces) start at field 3; utime and stime are 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

/**
 * Forks a server child on node with tsx (and, for PostGraphile, the Promise.withResolvers polyfill that Node 20
 * needs), waits until it listens, and returns its handle.
 */
export async function startServer(kind: ServerKind, args: ServerArgs, options: { profileDir?: string } = {}): Promise<RunningServer> {
  const execArgv = ['--import', 'tsx'];
  // A V8 CPU profile of the whole life of the server, written when it exits (open it in Chrome DevTools).
  if (options.profileDir) execArgv.push('--cpu-prof', '--cpu-prof-dir', path.join(options.profileDir, kind));
  if (kind === 'postgraphile') execArgv.unshift('-r', path.join(here, '../polyfill.cjs'));
  const child: ChildProcess = fork(path.join(here, `${kind}.ts`), [JSON.stringify(args)], {
    execArgv,
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${kind} server did not start within 120 s`)), 120_000);
    child.on('message', function onMessage(message: FromServer) {
      if (message.type === 'ready') {
        clearTimeout(timer);
        child.off('message', onMessage);
        resolve(message.port);
      } else if (message.type === 'failed') {
        clearTimeout(timer);
        reject(new Error(`${kind} server failed to start: ${message.message}`));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${kind} server exited with code ${code} before listening`));
    });
  });
  const pid = child.pid!;
  return {
    kind,
    pid,
    url: `http://127.0.0.1:${port}/graphql`,
    statements: () =>
      new Promise((resolve) => {
        child.on('message', function onMessage(message: FromServer) {
          if (message.type !== 'stats') return;
          child.off('message', onMessage);
          resolve(message.statements);
        });
        child.send({ type: 'stats' });
      }),
    peakRssMb: () => peakRssMb(pid),
    cpuMs: () => cpuMs(pid),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}
