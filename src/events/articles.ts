import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { Redis } from 'ioredis';
import type { Logger } from '../log.js';

/** The Redis channel (and in-process event name) that announces stored articles. */
export const ARTICLE_STORED_CHANNEL = 'news-graph:articles-stored';

/** What travels between instances: the ids of articles one committed ingest created or updated. */
export interface ArticlesStored {
  articleIds: number[];
}

/**
 * Announces stored articles to live subscribers. In one process the announcement is delivered in process;
 * with Redis it goes to every instance subscribed to the same Redis, this one included.
 */
export interface ArticleEvents {
  /** `in-process` or `redis`, for the startup log. */
  readonly transport: 'in-process' | 'redis';
  /**
   * Announces articles that a committed transaction created or updated. Never throws and never waits for
   * the transport: the ingest has already succeeded, and a Redis outage costs only the live update.
   */
  publish(articleIds: readonly number[]): void;
  /**
   * Every article announced from now on, one id per item. The listener is attached by this call, not at the
   * first `next()`: yoga's SSE response pulls the first item only after the client reads its opening ping,
   * and an article stored in between would be missed. Ends (done) when the iterator is returned or on close().
   */
  subscribe(): AsyncIterableIterator<number>;
  /** Ends every subscription and disconnects from Redis. */
  close(): Promise<void>;
}

/** Only positive integer ids pass; anything else from the wire is dropped. */
function idsOf(detail: unknown): number[] | null {
  const ids = (detail as Partial<ArticlesStored> | null)?.articleIds;
  if (!Array.isArray(ids) || !ids.every((id) => Number.isSafeInteger(id) && id > 0)) return null;
  return ids as number[];
}

/** Local fan-out to the subscriptions of this process, with eager listeners and a clean end on close. */
class Fanout {
  private readonly listeners = new Set<Subscription>();
  private closed = false;

  deliver(articleIds: readonly number[]): void {
    for (const listener of this.listeners) for (const id of articleIds) listener.push(id);
  }

  subscribe(): AsyncIterableIterator<number> {
    const subscription = new Subscription(() => this.listeners.delete(subscription));
    if (this.closed) subscription.end();
    else this.listeners.add(subscription);
    return subscription;
  }

  close(): void {
    this.closed = true;
    for (const listener of [...this.listeners]) listener.end();
  }
}

/**
 * One subscriber's queue. Items wait in memory while the client reads slowly; they are article ids, so even a
 * large ingest costs little, and the queue is dropped when the client goes away.
 */
class Subscription implements AsyncIterableIterator<number> {
  private readonly queue: number[] = [];
  private waiting: ((result: IteratorResult<number>) => void) | null = null;
  private done = false;

  constructor(private readonly detach: () => void) {}

  push(id: number): void {
    if (this.done) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = null;
      resolve({ value: id, done: false });
    } else this.queue.push(id);
  }

  end(): void {
    if (this.done) return;
    this.done = true;
    this.queue.length = 0;
    this.detach();
    this.waiting?.({ value: undefined, done: true });
    this.waiting = null;
  }

  next(): Promise<IteratorResult<number>> {
    if (this.queue.length > 0) return Promise.resolve({ value: this.queue.shift()!, done: false });
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => (this.waiting = resolve));
  }

  return(): Promise<IteratorResult<number>> {
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error?: unknown): Promise<IteratorResult<number>> {
    this.end();
    return Promise.reject(error);
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<number> {
    return this;
  }
}

/** Events for one process: the mutation on this server, or a CLI that sends pages to it. */
export function createLocalArticleEvents(): ArticleEvents {
  const fanout = new Fanout();
  return {
    transport: 'in-process',
    publish: (articleIds) => {
      if (articleIds.length > 0) fanout.deliver([...articleIds]);
    },
    subscribe: () => fanout.subscribe(),
    close: async () => fanout.close(),
  };
}

export interface RedisEventsOptions {
  log: Logger;
  /**
   * False for a process that only publishes (the CLI ingesting straight into PostgreSQL): no subscribe
   * connection is opened and `subscribe()` yields nothing.
   */
  subscribe?: boolean;
  /** How long to wait for Redis at start before giving up. */
  connectTimeoutMs?: number;
}

export class EventsUnavailableError extends Error {}

/**
 * Events through Redis: every instance subscribes to one channel with createRedisEventTarget, and each
 * announcement reaches all of them. Resolves once the channel subscription is confirmed, so a client whose
 * SSE response has begun will see every article stored after that.
 */
export async function connectRedisArticleEvents(url: string, options: RedisEventsOptions): Promise<ArticleEvents> {
  const { log } = options;
  const timeout = options.connectTimeoutMs ?? 10_000;
  let started = false;
  let firstError: string | null = null;
  const client = (role: string) => {
    const redis = new Redis(url, { lazyConnect: true, connectTimeout: timeout, connectionName: `news-graph-${role}` });
    // ioredis reconnects by itself (and resubscribes); one line per outage, never a stack. Before the start
    // has succeeded, the error becomes the start's failure instead.
    let reported = false;
    redis.on('error', (error: Error) => {
      firstError ??= error.message;
      if (started && !reported) log.warn('redis connection problem; live updates wait for it', { role, error: error.message });
      reported = true;
    });
    redis.on('ready', () => {
      if (reported) log.info('redis connection back', { role });
      reported = false;
    });
    return redis;
  };
  const publishClient = client('publish');
  const subscribeClient = options.subscribe === false ? null : client('subscribe');
  const clients = [publishClient, subscribeClient].filter((c): c is Redis => c !== null);
  const disconnect = () => clients.forEach((c) => c.disconnect());

  const fanout = new Fanout();
  try {
    await withTimeout(Promise.all(clients.map((c) => c.connect())), timeout, `no answer from Redis within ${timeout} ms`);
    if (subscribeClient) {
      const target = createRedisEventTarget<CustomEvent<ArticlesStored>>({ publishClient, subscribeClient });
      target.addEventListener(ARTICLE_STORED_CHANNEL, (event) => {
        const ids = idsOf(event.detail);
        if (ids) fanout.deliver(ids);
        else log.warn('ignored a malformed live-update message', { channel: ARTICLE_STORED_CHANNEL });
      });
      // The target has sent SUBSCRIBE without waiting for it; the same command again answers once Redis has
      // registered the channel on this connection (replies come in order), and subscribing twice is a no-op.
      await withTimeout(subscribeClient.subscribe(ARTICLE_STORED_CHANNEL), timeout, 'Redis did not confirm the subscription');
    }
  } catch (error) {
    disconnect();
    const reason = firstError ?? (error instanceof Error ? error.message : String(error));
    throw new EventsUnavailableError(`Cannot use Redis at ${redact(url)} for live updates: ${reason}`);
  }
  started = true;

  return {
    transport: 'redis',
    publish: (articleIds) => {
      if (articleIds.length === 0) return;
      // The same wire format as the event target's dispatchEvent (JSON on the channel), but the reply is
      // awaited here: dispatchEvent drops the PUBLISH promise, and a rejection during an outage would end the process.
      const message: ArticlesStored = { articleIds: [...articleIds] };
      publishClient.publish(ARTICLE_STORED_CHANNEL, JSON.stringify(message)).catch((error: unknown) => {
        log.warn('could not publish a live update', { articleIds: message.articleIds, error: error instanceof Error ? error.message : String(error) });
      });
    },
    subscribe: () => fanout.subscribe(),
    close: async () => {
      fanout.close();
      await Promise.all(clients.map((c) => c.quit().catch(() => c.disconnect())));
    },
  };
}

/** Redis when `redisUrl` is set, else in process. */
export async function createArticleEvents(
  config: { redisUrl: string | null },
  options: RedisEventsOptions,
): Promise<ArticleEvents> {
  return config.redisUrl ? connectRedisArticleEvents(config.redisUrl, options) : createLocalArticleEvents();
}

/** The URL without its password, for messages. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'REDIS_URL';
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timedOut]).finally(() => clearTimeout(timer));
}
