import type { Config } from '../../src/config.js';
import { createLogger, type Logger } from '../../src/log.js';
import type { NewsGraphServer } from '../../src/server.js';
import { LOOPBACK } from '../support/graphql.js';

/** Log lines written by a server, read back as objects: pino writes to this stream like it would to stderr. */
export class LogCapture {
  readonly lines: Array<Record<string, unknown>> = [];
  readonly raw: string[] = [];

  write(chunk: string): void {
    for (const line of chunk.split('\n').filter(Boolean)) {
      this.raw.push(line);
      this.lines.push(JSON.parse(line) as Record<string, unknown>);
    }
  }

  logger(level: Config['logLevel'] = 'debug'): Logger {
    return createLogger(level, this);
  }

  find(msg: string): Array<Record<string, unknown>> {
    return this.lines.filter((l) => l['msg'] === msg);
  }

  clear(): void {
    this.lines.length = 0;
    this.raw.length = 0;
  }
}

/** POSTs one operation from a loopback client with extra headers; returns the response itself. */
export function post(
  yoga: NewsGraphServer,
  body: { query: string; variables?: Record<string, unknown>; operationName?: string },
  headers: Record<string, string> = {},
): Promise<Response> {
  return Promise.resolve(
    yoga.fetch(
      'http://localhost/graphql',
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...headers },
        body: JSON.stringify(body),
      },
      LOOPBACK,
    ),
  );
}

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Samples of the Prometheus text format. */
export function parseMetrics(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)$/.exec(line);
    if (!m) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, key, value] of m[2]?.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g) ?? []) labels[key!] = value!;
    samples.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return samples;
}

export async function scrape(yoga: NewsGraphServer): Promise<Sample[]> {
  const response = await yoga.fetch('http://localhost/metrics', {}, LOOPBACK);
  if (response.status !== 200) throw new Error(`/metrics answered ${response.status}`);
  return parseMetrics(await response.text());
}

/** The value of the one sample named `name` whose labels include `labels`; 0 when there is none. */
export function value(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  const matching = samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  if (matching.length > 1) throw new Error(`${matching.length} samples of ${name} match ${JSON.stringify(labels)}`);
  return matching[0]?.value ?? 0;
}
