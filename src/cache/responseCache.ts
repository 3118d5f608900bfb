/**
 * Whole-response cache for read queries (@graphql-yoga/plugin-response-cache), emptied whenever an article is
 * stored. A new story can change any list, count, facet, timeline or related list, and the plugin only knows
 * the entities a response contains, so invalidating by entity would leave lists stale: every stored article
 * (announced on ArticleEvents: this server's ingests, and every instance's through Redis) drops the whole
 * cache instead. The TTL bounds staleness for ingests the events never announce, such as `news-graph ingest`
 * straight into PostgreSQL without REDIS_URL.
 */
import { createInMemoryCache, useResponseCache, type Cache } from '@graphql-yoga/plugin-response-cache';
import type { Plugin } from 'graphql-yoga';
import type { ArticleEvents } from '../events/articles.js';

export interface ResponseCacheSettings {
  enabled: boolean;
  /** How long a response may be served from the cache, in milliseconds. */
  ttlMs: number;
  /** Most responses kept; the least recently used go first. */
  maxEntries: number;
}

export const RESPONSE_CACHE_DEFAULTS: ResponseCacheSettings = { enabled: false, ttlMs: 30_000, maxEntries: 1000 };

/** The plugin's in-memory cache, plus `clear()`, which drops every entry at once. */
export interface ClearableCache extends Cache {
  clear(): void;
}

export function createClearableCache(maxEntries: number): ClearableCache {
  let current = createInMemoryCache({ max: maxEntries });
  return {
    get: (key) => current.get(key),
    set: (key, data, entities, ttl) => current.set(key, data, entities, ttl),
    invalidate: (entities) => current.invalidate(entities),
    clear: () => {
      current = createInMemoryCache({ max: maxEntries });
    },
  };
}

export interface ResponseCache {
  plugin: Plugin;
  cache: ClearableCache;
}

/**
 * The response-cache plugin, or null when the cache is off. Responses are shared by every client (reads carry
 * no per-user data); mutations and subscriptions are never cached, and a response with errors is not kept.
 */
export function createResponseCache(settings: ResponseCacheSettings, events: ArticleEvents): ResponseCache | null {
  if (!settings.enabled) return null;
  const cache = createClearableCache(settings.maxEntries);
  const stored = events.subscribe();
  // Ends when the events close (server shutdown).
  void (async () => {
    for await (const _articleId of stored) cache.clear();
  })();
  const plugin = useResponseCache({
    session: () => null,
    cache,
    ttl: settings.ttlMs,
    includeExtensionMetadata: false,
  }) as Plugin;
  return { plugin, cache };
}
