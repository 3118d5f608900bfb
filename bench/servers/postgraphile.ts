/**
 * PostGraphile v5 over the same database, with the Amber preset and nothing else: the API it derives from the
 * tables, plus the benchmark's `bench_pg` functions (search, topic timeline, spokespeople) that stand in for
 * what a PostGraphile user would write as custom SQL. Served by node:http on 127.0.0.1 through grafserv.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { postgraphile } from 'postgraphile';
import { makePgService } from 'postgraphile/adaptors/pg';
import { grafserv } from 'postgraphile/grafserv/node';
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber';
import { readArgs, send, type ToServer } from './protocol.js';

const args = readArgs();
try {
  const pgl = postgraphile({
    extends: [PostGraphileAmberPreset],
    pgServices: [
      makePgService({ connectionString: args.databaseUrl, schemas: args.schemas ?? ['public'], poolConfig: { max: 10 } }),
    ],
    grafserv: { graphqlPath: '/graphql', graphiql: false },
    grafast: { explain: false },
  });
  const serv = pgl.createServ(grafserv);
  const server = http.createServer();
  server.keepAliveTimeout = 60_000;
  await serv.addTo(server);
  await serv.ready();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  process.on('message', (message: ToServer) => {
    if (message.type === 'stats') send({ type: 'stats', statements: null });
  });
  // Exiting (rather than dying of the signal) lets --cpu-prof write its profile.
  process.on('disconnect', () => process.exit(0));
  process.on('SIGTERM', () => process.exit(0));
  send({ type: 'ready', port: (server.address() as AddressInfo).port });
} catch (error) {
  send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  process.exit(1);
}
