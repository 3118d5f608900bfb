import { Redis } from 'ioredis';
import {
  BurstyRateLimiter,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import type { Logger } from '../log.js';

export interface RateLimitSettings {
  /** Sustained requests per second per bucket; 0 turns rate limiting off. */
  perSecond: number;
  /** Extra requests a bucket may spend above the sustained rate, refilled each minute. */
  burst: number;
  /** Buckets live in this Redis when set, so every instance draws from the same bucket. */
  redisUrl: string | null;
}

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export interface RateLimiter {
  /** Takes one request from the bucket (an API key id or a client address). */
  take(bucket: string): Promise<RateDecision>;
  /** Resolves once shared buckets are reachable (at once in memory); until then each instance counts alone. */
  ready(): Promise<void>;
  close(): Promise<void>;
}

const BURST_WINDOW_SECONDS = 60;

type LimiterOptions = NonNullable<ConstructorParameters<typeof RateLimiterMemory>[0]>;

/**
 * rate-limiter-flexible's bursty limiter: a window of `perSecond` requests each second, and when that is spent a
 * reserve of `burst` requests per minute. The library's fixed windows stand in for a token bucket: a client
 * sustains `perSecond` (plus `burst`/60), may spike to `perSecond + burst` in one second, and a refused client
 * waits at most until the next one-second window. Null when `perSecond` is 0.
 */
export function createRateLimiter(settings: RateLimitSettings, log: Logger): RateLimiter | null {
  if (settings.perSecond <= 0) return null;
  const redis = settings.redisUrl
    ? // No offline queue: while Redis is away a call fails at once and the in-memory insurance limiter answers.
      new Redis(settings.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false })
    : null;
  redis?.on('error', (error: Error) => log.warn('rate limit: Redis unavailable, counting in this instance meanwhile', { error: error.message }));
  const limiter = (options: LimiterOptions): RateLimiterAbstract =>
    redis ? new RateLimiterRedis({ ...options, storeClient: redis, insuranceLimiter: new RateLimiterMemory(options) }) : new RateLimiterMemory(options);
  const sustained = limiter({ keyPrefix: 'ng-rate', points: settings.perSecond, duration: 1 });
  const consume =
    settings.burst > 0
      ? new BurstyRateLimiter(sustained, limiter({ keyPrefix: 'ng-burst', points: settings.burst, duration: BURST_WINDOW_SECONDS }))
      : sustained;
  return {
    async take(bucket) {
      try {
        await consume.consume(bucket);
        return { allowed: true };
      } catch (refusal) {
        if (!(refusal instanceof RateLimiterRes)) throw refusal;
        return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(refusal.msBeforeNext / 1000)) };
      }
    },
    async ready() {
      if (redis && redis.status !== 'ready') await new Promise((resolve) => redis.once('ready', resolve));
    },
    async close() {
      await redis?.quit().catch(() => redis.disconnect());
    },
  };
}
