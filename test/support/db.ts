import { randomBytes } from 'node:crypto';
import type { Logger } from 'drizzle-orm';
import postgres from 'postgres';
import { createDb, type DbHandle } from '../../src/db/client.js';
import { migrate } from '../../src/db/migrate.js';

/**
 * A fresh, migrated database for one test file. With NEWS_GRAPH_TEST_DATABASE_URL set (the CI's real
 * PostgreSQL server) each call creates its own database on that server; otherwise it is an in-memory PGlite.
 */
export async function createTestDb(options: { logger?: Logger } = {}): Promise<DbHandle & { url?: string }> {
  const serverUrl = process.env.NEWS_GRAPH_TEST_DATABASE_URL;
  if (!serverUrl) {
    const handle = await createDb({ databaseUrl: null, dataDir: 'memory://', logger: options.logger });
    await migrate(handle);
    return handle;
  }
  const name = `ng_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const handle = await createDb({ databaseUrl: url.toString(), logger: options.logger, maxConnections: 4 });
  await migrate(handle);
  return {
    ...handle,
    url: url.toString(),
    async close() {
      await handle.close();
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

export const onPostgresServer = Boolean(process.env.NEWS_GRAPH_TEST_DATABASE_URL);

/** A Drizzle logger that counts statements; reset it between the steps you compare. */
export class CountingLogger implements Logger {
  count = 0;
  statements: string[] = [];
  logQuery(query: string): void {
    this.count += 1;
    this.statements.push(query);
  }
  reset(): void {
    this.count = 0;
    this.statements = [];
  }
}
