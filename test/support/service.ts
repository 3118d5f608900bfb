import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface ServiceProcess {
  /** http://127.0.0.1:<port> (no path). */
  origin: string;
  child: ChildProcess;
  /** Everything the service logged so far. */
  log(): string;
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>;
}

/**
 * `npm start`'s entry point (src/main.ts) as a child process on a free loopback port, with `env` on top of
 * the test's environment. Resolves once the service logs the URL it serves.
 */
export function startService(env: Record<string, string>): Promise<ServiceProcess> {
  // Node itself with tsx's loader, not the tsx binary: a signal or a kill then reaches the server, where the
  // binary's wrapper would die and leave the server running.
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    env: { ...process.env, NEWS_GRAPH_TEST_DATABASE_URL: '', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout!.on('data', (d: Buffer) => (log += d));
  child.stderr!.on('data', (d: Buffer) => (log += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      // A service that never came up must not outlive the test.
      child.kill('SIGKILL');
      reject(new Error(`service did not start within 60 s:\n${log}`));
    }, 60_000);
    const onData = () => {
      const match = /"url":"http:\/\/[^:"]+:(\d+)\//.exec(log);
      if (!match) return;
      clearTimeout(timer);
      child.stderr!.off('data', onData);
      child.stdout!.off('data', onData);
      resolve({ origin: `http://127.0.0.1:${match[1]}`, child, log: () => log, exited });
    };
    child.stderr!.on('data', onData);
    child.stdout!.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`service exited with ${code} before serving:\n${log}`));
    });
  });
}

export interface HttpAnswer {
  status: number;
  json: any;
}

/** POSTs one GraphQL operation; a connection failure or timeout resolves to status 0 instead of throwing. */
export async function post(origin: string, query: string, variables?: Record<string, unknown>, timeoutMs = 15_000): Promise<HttpAnswer> {
  try {
    const response = await fetch(`${origin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = { unparsable: text.slice(0, 200) };
    }
    return { status: response.status, json };
  } catch {
    return { status: 0, json: null };
  }
}

export async function statusOf(url: string): Promise<number> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 0;
  }
}
