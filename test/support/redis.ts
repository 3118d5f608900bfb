import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './pgServer.js';

/**
 * Redis for tests: NEWS_GRAPH_TEST_REDIS_URL (.ci/redis.sh), else a redis-server started on a free port of
 * 127.0.0.1, without persistence. Under CI a missing Redis is a failure, not a skip.
 */
export const givenRedis = process.env.NEWS_GRAPH_TEST_REDIS_URL || null;
export const redisBinary = [process.env.REDIS_SERVER, '/usr/bin/redis-server', ...(process.env.PATH ?? '').split(':').map((d) => path.join(d, 'redis-server'))]
  .filter((p): p is string => Boolean(p))
  .find((p) => fs.existsSync(p));
export const redisSkipReason =
  givenRedis || redisBinary || process.env.CI === 'true' ? null : 'no Redis: set NEWS_GRAPH_TEST_REDIS_URL (source .ci/redis.sh) or install redis-server';

export interface TestRedis {
  url: string;
  stop(): Promise<void>;
}

/** A redis-server of our own; resolves once it accepts connections. */
async function startRedis(binary: string): Promise<{ url: string; process: ChildProcess; dir: string }> {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ng-redis-'));
  const child = spawn(binary, ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no', '--dir', dir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    let log = '';
    const timer = setTimeout(() => reject(new Error(`redis-server did not start within 10 s: ${log}`)), 10_000);
    child.stdout!.on('data', (d: Buffer) => {
      log += d;
      if (log.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited ${code}: ${log}`));
    });
  });
  return { url: `redis://127.0.0.1:${port}`, process: child, dir };
}

/** The given Redis, or one started for this test file; `stop` ends only one this helper started. */
export async function testRedis(): Promise<TestRedis> {
  if (givenRedis) return { url: givenRedis, stop: async () => {} };
  if (!redisBinary) throw new Error('CI=true but no Redis: .ci/run sources .ci/redis.sh, which sets NEWS_GRAPH_TEST_REDIS_URL');
  const redis = await startRedis(redisBinary);
  return {
    url: redis.url,
    async stop() {
      const exited = new Promise((resolve) => redis.process.once('exit', resolve));
      redis.process.kill('SIGTERM');
      await exited;
      fs.rmSync(redis.dir, { recursive: true, force: true });
    },
  };
}
