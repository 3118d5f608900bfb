/**
 * This service as the benchmark runs it: createServer over postgres.js, served by node:http on 127.0.0.1 in a
 * process of its own (so its peak RSS is its own). Counts the SQL statements Drizzle sends.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../src/config.js';
import { createDb } from '../../src/db/client.js';
import { createServer } from '../../src/server.js';
import { readArgs, send, type ToServer } from './protocol.js';

const args = readArgs();
let statements = 0;
try {
  const config = loadConfig({ DATABASE_URL: args.databaseUrl, LOG_LEVEL: 'silent', NEWS_GRAPH_SAMPLE: 'false', ...args.env });
  const handle = await createDb({ databaseUrl: config.databaseUrl, logger: { logQuery: () => void (statements += 1) } });
  const yoga = createServer({ db: handle.db, config });
  const server = http.createServer(yoga);
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  process.on('message', (message: ToServer) => {
    if (message.type === 'stats') send({ type: 'stats', statements });
  });
  // Exiting (rather than dying of the signal) lets --cpu-prof write its profile.
  process.on('disconnect', () => process.exit(0));
  process.on('SIGTERM', () => process.exit(0));
  send({ type: 'ready', port: (server.address() as AddressInfo).port });
} catch (error) {
  send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  process.exit(1);
}
