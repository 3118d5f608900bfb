import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../src/db/client.js';
import type { Security } from '../../src/security/index.js';
import type { NewsGraphServer } from '../../src/server.js';
import { createTestDb } from '../support/db.js';
import { redisSkipReason, testRedis, type TestRedis } from '../support/redis.js';
import { from, keysFile, securedServer, send } from './auth-support.js';

const PING = { query: '{ __typename }' };

let handle: DbHandle;
let keys: Record<string, string>;
let file: string;

beforeAll(async () => {
  handle = await createTestDb();
  ({ keys, file } = await keysFile({ reader: ['read'] }));
});

afterAll(async () => {
  await handle.close();
});

const limited = (perSecond: number, burst: number, redisUrl: string | null = null) =>
  securedServer(handle, { apiKeysFile: file, rateLimit: { perSecond, burst, redisUrl } });

async function statuses(yoga: NewsGraphServer, n: number, options: Parameters<typeof send>[2] = {}): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i += 1) out.push((await send(yoga, PING, options)).status);
  return out;
}

describe('rate limiting', () => {
  it('answers 429 with Retry-After and a GraphQL error body once an address has spent its requests', async () => {
    const { yoga } = limited(3, 0);
    expect(await statuses(yoga, 3, { client: from('203.0.113.1') })).toEqual([200, 200, 200]);
    const refused = await send(yoga, PING, { client: from('203.0.113.1') });
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(refused.body).toEqual({
      errors: [{ message: expect.stringMatching(/Too many requests/), extensions: { code: 'RATE_LIMITED', retryAfterSeconds: retryAfter } }],
    });
    // Another address has its own bucket, and probes are never limited.
    expect((await send(yoga, PING, { client: from('203.0.113.2') })).status).toBe(200);
    expect((await yoga.fetch('http://localhost/healthz', {}, from('203.0.113.1'))).status).toBe(200);
  });

  it('lets a refused client in again after Retry-After', async () => {
    const { yoga } = limited(2, 0);
    await statuses(yoga, 2, { client: from('203.0.113.3') });
    const refused = await send(yoga, PING, { client: from('203.0.113.3') });
    expect(refused.status).toBe(429);
    await new Promise((resolve) => setTimeout(resolve, Number(refused.headers.get('retry-after')) * 1000 + 50));
    expect((await send(yoga, PING, { client: from('203.0.113.3') })).status).toBe(200);
  });

  it('allows a burst above the sustained rate, then refuses', async () => {
    const { yoga } = limited(2, 3);
    expect(await statuses(yoga, 6, { client: from('203.0.113.4') })).toEqual([200, 200, 200, 200, 200, 429]);
  });

  it('counts a verified key in its own bucket, wherever it comes from', async () => {
    const { yoga } = limited(3, 0);
    // The first request with the key is counted against its address while the key is verified.
    expect((await send(yoga, PING, { client: from('198.51.100.1'), key: keys.reader })).status).toBe(200);
    await statuses(yoga, 3, { client: from('203.0.113.5') });
    expect((await send(yoga, PING, { client: from('203.0.113.5') })).status).toBe(429);
    // The address is spent, but the key's bucket is not.
    expect(await statuses(yoga, 3, { client: from('203.0.113.5'), key: keys.reader })).toEqual([200, 200, 200]);
    expect((await send(yoga, PING, { client: from('198.51.100.9'), key: keys.reader })).status).toBe(429);
  });

  it('gives an unverified key no bucket of its own, and runs no scrypt for a refused request', async () => {
    const { yoga, security } = limited(2, 0);
    const client = from('203.0.113.6');
    await statuses(yoga, 2, { client });
    const wrong = keys.reader!.slice(0, -1) + (keys.reader!.endsWith('A') ? 'B' : 'A');
    const before = (security as Security).keys!.hashesComputed;
    for (const key of [wrong, 'ngk_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', wrong]) {
      expect((await send(yoga, PING, { client, key })).status).toBe(429);
    }
    expect(security.keys!.hashesComputed).toBe(before);
  });

  it('is off at 0 requests per second', async () => {
    const { yoga } = limited(0, 0);
    const all = await statuses(yoga, 300, { client: from('203.0.113.8') });
    expect(all.every((s) => s === 200)).toBe(true);
  });
});

describe.skipIf(redisSkipReason !== null)('rate limiting through Redis', () => {
  let redis: TestRedis;

  beforeAll(async () => {
    redis = await testRedis();
  }, 30_000);

  afterAll(async () => {
    await redis?.stop();
  });

  it('draws two instances from one bucket per address', async () => {
    const a = limited(4, 0, redis.url);
    const b = limited(4, 0, redis.url);
    try {
      await Promise.all([a.security.ready(), b.security.ready()]);
      const client = from(`203.0.113.${10 + Math.floor(Math.random() * 200)}`);
      // Wait out the start of a one-second window, so all six requests fall into the same one.
      await new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000)));
      const seen = [
        ...(await statuses(a.yoga, 2, { client })),
        ...(await statuses(b.yoga, 2, { client })),
        ...(await statuses(a.yoga, 1, { client })),
        ...(await statuses(b.yoga, 1, { client })),
      ];
      expect(seen).toEqual([200, 200, 200, 200, 429, 429]);
    } finally {
      await a.yoga.dispose();
      await b.yoga.dispose();
    }
  });
});
