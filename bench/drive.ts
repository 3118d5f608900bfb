import autocannon from 'autocannon';

export interface LoadResult {
  requests: number;
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  /** Transport errors, timeouts, non-2xx answers and answers carrying GraphQL errors. */
  failures: number;
  seconds: number;
}

/** A load run with the CPU milliseconds the server process and the database spent per request. */
export interface Measured extends LoadResult {
  serverCpuMsPerRequest: number;
  dbCpuMsPerRequest: number;
}

export interface LoadOptions {
  connections: number;
  seconds: number;
}

/** One POST body per request, taken in turn from `bodies` (a fixed, seeded list), for `seconds` on `connections`. */
export async function loadTest(url: string, bodies: string[], options: LoadOptions): Promise<LoadResult> {
  let next = 0;
  const result = await autocannon({
    url,
    connections: options.connections,
    duration: options.seconds,
    timeout: 10,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    requests: [
      {
        setupRequest: (request) => ({ ...request, body: bodies[next++ % bodies.length]! }),
      },
    ],
    verifyBody: (body) => body.startsWith('{"data"') && !body.includes('"errors":['),
  });
  return {
    requests: result.requests.total,
    reqPerSec: result.requests.total / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    failures: result.errors + result.timeouts + result.non2xx + result.mismatches,
    seconds: result.duration,
  };
}

/** Posts one GraphQL request and returns the parsed answer; throws on a transport error or GraphQL errors. */
export async function post<T = unknown>(url: string, body: string): Promise<T> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const text = await response.text();
  const payload = JSON.parse(text) as { data?: T; errors?: { message: string }[] };
  if (!response.ok || payload.errors?.length || !payload.data) {
    throw new Error(`${url} answered ${response.status}: ${payload.errors?.map((e) => e.message).join('; ') ?? text.slice(0, 300)}`);
  }
  return payload.data;
}
