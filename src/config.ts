import path from 'node:path';
import { z } from 'zod';

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
  /** Redis that carries live-update events between instances; unset means in-process only. */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\/[^/?#]/, 'must be a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379')
    .optional(),
}).refine((e) => e.DATABASE_READ_URL === undefined || e.DATABASE_URL !== undefined, {
  path: ['DATABASE_READ_URL'],
  message: 'needs DATABASE_URL: the replica is read-only, and the embedded PGlite database has no replicas',
  // Checked even when other settings are invalid, so every problem is listed at once.
  when: () => true,
});

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
  /** Live-update events travel through this Redis when set, so every instance delivers them. */
  redisUrl: string | null;
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
    redisUrl: e.REDIS_URL ?? null,
  };
}
