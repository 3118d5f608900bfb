import path from 'node:path';
import { z } from 'zod';
import { RESPONSE_CACHE_DEFAULTS, type ResponseCacheSettings } from './cache/responseCache.js';
import type { AccessSettings } from './security/index.js';
import { KEY_PATTERN } from './security/keys.js';
import { LIMIT_ORDER, limitOrder, LimitsEnv, limitSettings, type LimitSettings } from './security/limitsConfig.js';

/** Defaults of the observability settings, also used by servers built without a full Config (tests). */
export const OBSERVABILITY_DEFAULTS = { slowQueryMs: 200, slowRequestMs: 500, metricsEnabled: true } as const;

const PostgresUrl = z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL');

const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: PostgresUrl.optional(),
  /** A read replica of DATABASE_URL that answers GraphQL queries; writes always go to DATABASE_URL. */
  DATABASE_READ_URL: PostgresUrl.optional(),
  NEWS_GRAPH_DATA_DIR: z.string().min(1).default('.data'),
  /** Ingest the bundled sample page when the database holds no article yet. */
  NEWS_GRAPH_SAMPLE: z.enum(['true', 'false']).default('true'),
  /** Largest accepted `raw` page in bytes. */
  MAX_PAGE_BYTES: z.coerce.number().int().positive().default(2 * 1024 * 1024),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  /** SQL statements taking at least this many ms are logged at warn; 0 logs every statement. */
  SLOW_QUERY_MS: z.coerce.number().int().min(0).default(OBSERVABILITY_DEFAULTS.slowQueryMs),
  /** Requests taking at least this many ms are logged at warn instead of info. */
  SLOW_REQUEST_MS: z.coerce.number().int().min(0).default(OBSERVABILITY_DEFAULTS.slowRequestMs),
  /** Serve Prometheus metrics at /metrics (no API key: firewall it, or turn it off). */
  METRICS_ENABLED: z.enum(['true', 'false']).default(OBSERVABILITY_DEFAULTS.metricsEnabled ? 'true' : 'false'),
  /** Redis that carries live-update events between instances; unset means in-process only. */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\/[^/?#]/, 'must be a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379')
    .optional(),
  /** Execute operations with graphql-jit (compiled once per document) instead of graphql-js's interpreter. */
  GRAPHQL_JIT: z.enum(['true', 'false']).default('true'),
  /** Cache whole query responses, emptied whenever an article is stored (src/cache/responseCache.ts). */
  RESPONSE_CACHE: z.enum(['true', 'false']).default(RESPONSE_CACHE_DEFAULTS.enabled ? 'true' : 'false'),
  RESPONSE_CACHE_TTL_MS: z.coerce.number().int().positive().default(RESPONSE_CACHE_DEFAULTS.ttlMs),
  RESPONSE_CACHE_MAX_ENTRIES: z.coerce.number().int().positive().default(RESPONSE_CACHE_DEFAULTS.maxEntries),
  /** `key`: queries need an API key too; mutations need one (with its scope) whenever keys are configured. */
  READ_ACCESS: z.enum(['public', 'key']).default('public'),
  /** Lines printed by `npm run keys -- create`; unset means no keys: mutations from loopback clients only. */
  API_KEYS_FILE: z.string().min(1).optional(),
  PERSISTED_ONLY: z.enum(['true', 'false']).default('false'),
  /** JSON object: operation id (sha256 hex of the document) → document. */
  PERSISTED_OPERATIONS_FILE: z.string().min(1).optional(),
  /** Sustained requests per second per API key, else per client address; 0 turns rate limiting off. */
  RATE_LIMIT_PER_SECOND: z.coerce.number().int().min(0).default(100),
  /** Extra requests per minute a key or address may spend above the sustained rate. */
  RATE_LIMIT_BURST: z.coerce.number().int().min(0).default(1000),
  /** Proxies in front of the service that append the client address to X-Forwarded-For. */
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  /** The key `news-graph ingest` sends when it hands pages to a running server. */
  NEWS_GRAPH_API_KEY: z.string().regex(KEY_PATTERN, 'must be a key printed by npm run keys -- create (ngk_…)').optional(),
  ...LimitsEnv,
}).refine((e) => e.DATABASE_READ_URL === undefined || e.DATABASE_URL !== undefined, {
  path: ['DATABASE_READ_URL'],
  message: 'needs DATABASE_URL: the replica is read-only, and the embedded PGlite database has no replicas',
  // Checked even when other settings are invalid, so every problem is listed at once.
  when: () => true,
})
  .refine((e) => e.READ_ACCESS !== 'key' || e.API_KEYS_FILE !== undefined, {
    path: ['READ_ACCESS'],
    message: 'key needs API_KEYS_FILE: with no keys configured nobody could read',
    when: () => true,
  })
  .refine((e) => e.PERSISTED_ONLY !== 'true' || e.PERSISTED_OPERATIONS_FILE !== undefined, {
    path: ['PERSISTED_ONLY'],
    message: 'true needs PERSISTED_OPERATIONS_FILE, the operations to serve',
    when: () => true,
  })
  .refine(...limitOrder(LIMIT_ORDER[0]!))
  .refine(...limitOrder(LIMIT_ORDER[1]!));

export interface Config {
  port: number;
  host: string;
  databaseUrl: string | null;
  /** Query operations read this replica when set; everything else uses `databaseUrl`. */
  databaseReadUrl: string | null;
  dataDir: string;
  loadSample: boolean;
  maxPageBytes: number;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** Slow-statement log threshold in ms (SLOW_QUERY_MS). */
  slowQueryMs: number;
  /** Slow-request log threshold in ms (SLOW_REQUEST_MS). */
  slowRequestMs: number;
  /** Whether /metrics is served (METRICS_ENABLED). */
  metricsEnabled: boolean;
  /** Live-update events travel through this Redis when set, so every instance delivers them. */
  redisUrl: string | null;
  /** Whole-response cache for queries (RESPONSE_CACHE, RESPONSE_CACHE_TTL_MS, RESPONSE_CACHE_MAX_ENTRIES). */
  responseCache: ResponseCacheSettings;
  /** Compiled execution with graphql-jit (GRAPHQL_JIT). */
  graphqlJit: boolean;
  /** Who may do what: keys, scopes, persisted operations, rate limits (src/security). */
  access: AccessSettings;
  /** The key `news-graph ingest` sends to a running server (NEWS_GRAPH_API_KEY). */
  apiKey: string | null;
  /** Query limits (depth, aliases, tokens, directives, nodes, introspection). */
  queryLimits: LimitSettings['queryLimits'];
  /** Request body limits: any request, and ingest mutations. */
  bodyLimits: LimitSettings['bodyLimits'];
  /** statement_timeout of every database connection, in ms; 0 is off. */
  statementTimeoutMs: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads configuration from an environment (process.env by default); lists every problem at once. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = Env.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL ?? null,
    databaseReadUrl: e.DATABASE_READ_URL ?? null,
    dataDir: path.resolve(e.NEWS_GRAPH_DATA_DIR),
    loadSample: e.NEWS_GRAPH_SAMPLE === 'true',
    maxPageBytes: e.MAX_PAGE_BYTES,
    logLevel: e.LOG_LEVEL,
    slowQueryMs: e.SLOW_QUERY_MS,
    slowRequestMs: e.SLOW_REQUEST_MS,
    metricsEnabled: e.METRICS_ENABLED === 'true',
    redisUrl: e.REDIS_URL ?? null,
    graphqlJit: e.GRAPHQL_JIT === 'true',
    responseCache: { enabled: e.RESPONSE_CACHE === 'true', ttlMs: e.RESPONSE_CACHE_TTL_MS, maxEntries: e.RESPONSE_CACHE_MAX_ENTRIES },
    access: {
      readAccess: e.READ_ACCESS,
      apiKeysFile: e.API_KEYS_FILE ? path.resolve(e.API_KEYS_FILE) : null,
      persistedOnly: e.PERSISTED_ONLY === 'true',
      persistedOperationsFile: e.PERSISTED_OPERATIONS_FILE ? path.resolve(e.PERSISTED_OPERATIONS_FILE) : null,
      rateLimit: { perSecond: e.RATE_LIMIT_PER_SECOND, burst: e.RATE_LIMIT_BURST, redisUrl: e.REDIS_URL ?? null },
      trustProxyHops: e.TRUST_PROXY_HOPS,
    },
    apiKey: e.NEWS_GRAPH_API_KEY ?? null,
    ...limitSettings(e),
  };
}
