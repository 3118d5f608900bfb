import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from '../log.js';
import { accessOf, accessPlugin, mayRunArbitraryOperations } from './access.js';
import { KeyStore } from './keys.js';

export { AccessFileError } from './keys.js';
import { loadPersistedOperations, persistedOperationsPlugin } from './persisted.js';
import { createRateLimiter, type RateLimitSettings } from './rateLimit.js';

/** Who may do what: the settings of section "Who may do what" in README. */
export interface AccessSettings {
  readAccess: 'public' | 'key';
  /** Keys file (lines printed by `npm run keys -- create`); null: no keys, mutations from local clients only. */
  apiKeysFile: string | null;
  /** Serve only the operations in `persistedOperationsFile`, except to callers with a key. */
  persistedOnly: boolean;
  persistedOperationsFile: string | null;
  rateLimit: RateLimitSettings;
  /** Proxies in front of the service that append the client's address to X-Forwarded-For. */
  trustProxyHops: number;
}

/**
 * Browsers send a "simple" request (a GET, or a form or text/plain POST) to any site without asking it first;
 * requiring this header on such requests (JSON POSTs are preflighted anyway) keeps other sites' pages from
 * making a visitor's browser run operations here.
 */
export const CSRF_HEADER = 'x-graphql-yoga-csrf';

export interface Security {
  plugins: Plugin[];
  /** Headers GraphiQL adds to every request it sends. */
  graphiqlHeaders: Record<string, string>;
  /** One line for the start-up log. */
  summary: Record<string, unknown>;
  /** The configured keys; null when API_KEYS_FILE is unset. */
  keys: KeyStore | null;
  /** Resolves once the rate limiter's Redis (REDIS_URL) answers; before that each instance counts on its own. */
  ready(): Promise<void>;
}

/**
 * Loads the keys and persisted-operations files (throwing KeyFileError or PersistedOperationsError, each listing
 * every problem) and returns the plugins that enforce the settings on the GraphQL endpoint.
 */
export function createSecurity(settings: AccessSettings, options: { log: Logger; endpoint?: string }): Security {
  const keys = settings.apiKeysFile ? KeyStore.fromFile(settings.apiKeysFile) : null;
  const persisted = settings.persistedOperationsFile ? loadPersistedOperations(settings.persistedOperationsFile) : null;
  const limiter = createRateLimiter(settings.rateLimit, options.log);
  const plugins: Plugin[] = [
    accessPlugin({ readAccess: settings.readAccess, trustProxyHops: settings.trustProxyHops, keys, limiter, endpoint: options.endpoint ?? '/graphql' }),
    useCSRFPrevention({ requestHeaders: [CSRF_HEADER] }),
    { onDispose: () => limiter?.close() },
  ];
  if (persisted) {
    plugins.push(
      persistedOperationsPlugin(persisted, {
        only: settings.persistedOnly,
        mayRunArbitrary: (request) => mayRunArbitraryOperations(accessOf(request), keys),
      }),
    );
  }
  const rate = settings.rateLimit;
  return {
    plugins,
    keys,
    ready: async () => limiter?.ready(),
    graphiqlHeaders: { [CSRF_HEADER]: '1' },
    summary: {
      mutations: keys
        ? `API key with the ingest (ingestArticle) or edit (mergePeople) scope; ${keys.size} key(s) in ${settings.apiKeysFile}`
        : 'from loopback clients on this machine only (no API_KEYS_FILE)',
      reading: settings.readAccess === 'key' ? 'API key required (READ_ACCESS=key)' : 'public',
      persistedOperations: persisted ? `${persisted.size}${settings.persistedOnly ? ', only these without a key' : ''}` : 'none',
      rateLimit:
        rate.perSecond > 0
          ? `${rate.perSecond}/s per key or address, burst ${rate.burst}/min${rate.redisUrl ? ', shared through Redis' : ''}`
          : 'off',
    },
  };
}
