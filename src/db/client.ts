import fs from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import type { Logger } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from './schema.js';
import { timePglite, timePostgres } from './timing.js';

export type Schema = typeof schema;
/** The driver-neutral Drizzle database: PGlite and postgres.js both satisfy it. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export interface DbHandle {
  db: Db;
  driver: 'pglite' | 'postgres';
  close(): Promise<void>;
}

export interface DbOptions {
  /** postgres:// URL; when null the embedded PGlite database is used. */
  databaseUrl: string | null;
  /** PGlite data folder; `memory://` (or undefined) keeps it in memory. */
  dataDir?: string;
  logger?: Logger;
  /** postgres.js pool size. */
  maxConnections?: number;
  /** statement_timeout of every connection, in ms; 0 turns it off. Default DEFAULT_STATEMENT_TIMEOUT_MS. */
  statementTimeoutMs?: number;
}

/** A statement running longer is cancelled by the server (SQLSTATE 57014), whatever asked for it. */
export const DEFAULT_STATEMENT_TIMEOUT_MS = 5000;

export async function createDb(options: DbOptions): Promise<DbHandle> {
  const logger = options.logger ?? false;
  const statementTimeoutMs = options.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS;
  if (options.databaseUrl) {
    const client = postgres(options.databaseUrl, {
      max: options.maxConnections ?? 10,
      onnotice: () => {},
      // A startup parameter, so every connection the pool opens (or reopens) has it from its first statement.
      connection: { statement_timeout: statementTimeoutMs },
      // While the server is away, queries fail within the connect timeout instead of waiting, and the pool
      // tries again at most every half second, so it finds a restarted server at once. The driver's default
      // backoff grows to 20 s between attempts, and its connect timeout is 30 s.
      connect_timeout: 5,
      backoff: (attempt: number) => Math.min(0.05 * 2 ** attempt, 0.5),
    });
    const prepared = prepareOnServer(client);
    timePostgres(client);
    const db = drizzlePostgres(client, { schema, logger }) as unknown as Db;
    serverPrepared.set(db, prepared);
    return { db, driver: 'postgres', close: () => client.end({ timeout: 5 }) };
  }
  const dir = options.dataDir;
  if (dir && !dir.startsWith('memory://')) fs.mkdirSync(dir, { recursive: true });
  const client = new PGlite(dir && !dir.startsWith('memory://') ? dir : undefined);
  await client.waitReady;
  // Recorded for parity with PostgreSQL, but PGlite (single-threaded WASM, no timer signals) does not enforce it.
  await client.exec(`SET statement_timeout = ${Math.trunc(statementTimeoutMs)}`);
  timePglite(client);
  const db = drizzlePglite(client, { schema, logger }) as unknown as Db;
  return { db, driver: 'pglite', close: () => client.close() };
}

/**
 * postgres.js prepares a statement on the server only when asked, and Drizzle never asks (postgres.js's `unsafe`
 * defaults to `prepare: false`), so every statement used to be parsed and planned again on every run: on the
 * read benchmark that was three quarters of PostgreSQL's CPU for an article page. The loaders' fixed statements
 * (loaders/prepared.ts) register their text here and run as prepared statements, once per connection; every
 * other statement, whose text varies with its input (IN lists, filters, ingest), stays unnamed, so neither side
 * accumulates statements.
 */
const serverPrepared = new WeakMap<Db, Set<string>>();

function prepareOnServer(client: postgres.Sql): Set<string> {
  const texts = new Set<string>();
  const unsafe = client.unsafe;
  client.unsafe = ((query: string, args?: postgres.ParameterOrJSON<never>[], options?: postgres.UnsafeQueryOptions) =>
    unsafe(query, args ?? [], texts.has(query) ? { ...options, prepare: true } : (options ?? {}))) as typeof client.unsafe;
  return texts;
}

/** Marks a statement text to be prepared on the server by the postgres.js client behind `db` (no-op on PGlite). */
export function prepareStatementOnServer(db: Db, text: string): void {
  serverPrepared.get(db)?.add(text);
}

