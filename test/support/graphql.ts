import type { DbHandle } from '../../src/db/client.js';
import { createServer, type NewsGraphServer, type ServerOptions } from '../../src/server.js';
import type { NodeServerContext } from '../../src/security/access.js';
import type { AccessSettings } from '../../src/security/index.js';

export interface GraphQLResponse<T = any> {
  data?: T;
  errors?: Array<{ message: string; locations?: Array<{ line: number; column: number }>; path?: Array<string | number>; extensions?: Record<string, unknown> }>;
}

/**
 * Access is explicit in tests: no keys (so mutations are taken from local clients only), public reading, and no
 * rate limit, because one test process sends hundreds of requests from one address within a second.
 */
export const TEST_ACCESS: AccessSettings = {
  readAccess: 'public',
  apiKeysFile: null,
  persistedOnly: false,
  persistedOperationsFile: null,
  rateLimit: { perSecond: 0, burst: 0, redisUrl: null },
  trustProxyHops: 0,
};

export const TEST_CONFIG = { maxPageBytes: 2 * 1024 * 1024, logLevel: 'silent', access: TEST_ACCESS } as const;

/**
 * The server context `yoga.fetch` passes for an in-process request from this machine: what Node's http server
 * gives yoga (`req.socket.remoteAddress`) for a loopback client. Without it a request has no address and is
 * never local, so in-process mutations would be refused like remote ones.
 */
export const LOOPBACK: NodeServerContext = { req: { socket: { remoteAddress: '127.0.0.1' } } };

/** A server over a test database, no listening socket. */
export function testServer(handle: Pick<DbHandle, 'db'>, options: Partial<ServerOptions> = {}): NewsGraphServer {
  return createServer({ db: handle.db, config: TEST_CONFIG, ...options });
}

/** POSTs one operation to /graphql through `yoga.fetch` and returns the parsed JSON body. */
export async function execute<T = any>(
  yoga: NewsGraphServer,
  query: string,
  variables?: Record<string, unknown>,
): Promise<GraphQLResponse<T>> {
  const response = await yoga.fetch('http://localhost/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
    body: JSON.stringify({ query, variables }),
  }, LOOPBACK);
  return (await response.json()) as GraphQLResponse<T>;
}

/** Like `execute`, but fails the test on any GraphQL error and returns `data`. */
export async function query<T = any>(yoga: NewsGraphServer, text: string, variables?: Record<string, unknown>): Promise<T> {
  const result = await execute<T>(yoga, text, variables);
  if (result.errors?.length) {
    throw new Error(`GraphQL errors: ${JSON.stringify(result.errors, null, 2)}`);
  }
  if (!result.data) throw new Error('GraphQL response without data');
  return result.data;
}
