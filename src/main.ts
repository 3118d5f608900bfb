import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError, loadConfig, type Config } from './config.js';
import { createDb } from './db/client.js';
import { acquireLock, updateLock, type HeldLock } from './db/lock.js';
import { createArticleEvents, EventsUnavailableError, type ArticleEvents } from './events/articles.js';
import { migrate } from './db/migrate.js';
import { loadSampleIfEmpty } from './ingest/sample.js';
import { ensureTaxonomy } from './ingest/taxonomy.js';
import { createLogger } from './log.js';
import { createRegistry } from './observability/index.js';
import { AccessFileError, createSecurity, type Security } from './security/index.js';
import { createServer } from './server.js';
import { drainable } from './shutdown.js';

export class StartupError extends Error {}

/** config → database → migrations → taxonomy and sample → GraphQL server → listen. Resolves once listening. */
export async function serve(config: Config): Promise<{ url: string; stop(): Promise<void> }> {
  const log = createLogger(config.logLevel);
  // Before anything opens: a bad keys or persisted-operations file stops the start, every problem listed.
  let security: Security;
  try {
    security = createSecurity(config.access, { log });
  } catch (error) {
    throw error instanceof AccessFileError ? new StartupError(error.message) : error;
  }
  let lock: HeldLock | null = null;
  if (!config.databaseUrl) {
    const claim = acquireLock(config.dataDir, { kind: 'server' });
    if ('heldBy' in claim) {
      throw new StartupError(
        `The embedded database in ${config.dataDir} is in use by another news-graph ${claim.heldBy.kind} (pid ${claim.heldBy.pid}). ` +
          'Stop that process, or set NEWS_GRAPH_DATA_DIR to another folder, or DATABASE_URL to use a PostgreSQL server.',
      );
    }
    lock = claim;
  }
  const handle = await createDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, statementTimeoutMs: config.statementTimeoutMs }).catch((error: unknown) => {
    lock?.release();
    throw error;
  });
  try {
    await migrate(handle);
    await ensureTaxonomy(handle.db);
    if (config.loadSample) {
      const loaded = await loadSampleIfEmpty(handle.db);
      if (loaded) log.info('ingested the bundled sample', { outcomes: loaded });
    }
  } catch (error) {
    await handle.close();
    lock?.release();
    throw error;
  }
  let events: ArticleEvents;
  try {
    events = await createArticleEvents(config, { log });
  } catch (error) {
    await handle.close();
    lock?.release();
    throw error instanceof EventsUnavailableError ? new StartupError(error.message) : error;
  }

  // The replica gets the migrations by replication; this process only reads from it. postgres.js connects
  // lazily, so an unreachable replica shows in /readyz rather than failing the start.
  const readHandle = config.databaseReadUrl ? await createDb({ databaseUrl: config.databaseReadUrl, statementTimeoutMs: config.statementTimeoutMs }) : null;
  // Process metrics (CPU, memory, event-loop lag) only here: tests build many servers in one process.
  const registry = createRegistry({ processMetrics: true });
  const yoga = createServer({ db: handle.db, readDb: readHandle?.db ?? null, config, events, log, registry, security });
  const server = http.createServer(yoga);
  const closeServer = drainable(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://localhost:${port}/graphql`;
  if (lock) updateLock(config.dataDir, { url: `http://127.0.0.1:${port}/graphql` });
  log.info('news-graph is serving', {
    url,
    database: handle.driver === 'pglite' ? `embedded PGlite in ${config.dataDir}` : 'PostgreSQL (DATABASE_URL)',
    ...(readHandle ? { queries: 'PostgreSQL read replica (DATABASE_READ_URL)' } : {}),
    liveUpdates: events.transport === 'redis' ? 'Redis (REDIS_URL)' : 'in process',
    access: security.summary,
  });

  let stopping: Promise<void> | null = null;
  const stop = () => {
    stopping ??= (async () => {
      // Live subscriptions end first (their SSE responses complete), so they do not hold the server open.
      await events.close();
      // Stop accepting connections, let in-flight requests finish, and close every socket as soon as it is idle.
      await closeServer(10_000);
      await yoga.dispose();
      await Promise.all([handle.close(), readHandle?.close()]);
      lock?.release();
    })();
    return stopping;
  };
  return { url, stop };
}

export async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const log = createLogger(config.logLevel);
  let running: Awaited<ReturnType<typeof serve>>;
  try {
    running = await serve(config);
  } catch (error) {
    if (error instanceof StartupError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      log.info('shutting down', { signal });
      running.stop().then(
        () => process.exit(0),
        (error: unknown) => {
          log.error('shutdown failed', { error: String(error) });
          process.exit(1);
        },
      );
    });
  }
}

const invokedDirectly = process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (invokedDirectly) await main();
