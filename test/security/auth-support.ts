import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DbHandle } from '../../src/db/client.js';
import { createLogger } from '../../src/log.js';
import type { NodeServerContext } from '../../src/security/access.js';
import { createSecurity, type AccessSettings, type Security } from '../../src/security/index.js';
import { createKey, type Scope } from '../../src/security/keys.js';
import type { NewsGraphServer } from '../../src/server.js';
import { TEST_ACCESS, testServer, type GraphQLResponse } from '../support/graphql.js';

/** A keys file in a fresh temporary folder holding one key per entry; returns each key by name. */
export async function keysFile(entries: Record<string, Scope[]>): Promise<{ file: string; keys: Record<string, string> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ng-keys-'));
  const file = path.join(dir, 'api-keys');
  const keys: Record<string, string> = {};
  const lines = ['# test keys'];
  for (const [name, scopes] of Object.entries(entries)) {
    const created = await createKey(name, scopes);
    keys[name] = created.key;
    lines.push(created.line);
  }
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return { file, keys };
}

/** A test server with these access settings on top of the test defaults; `security` exposes its key store. */
export function securedServer(handle: Pick<DbHandle, 'db'>, access: Partial<AccessSettings>): { yoga: NewsGraphServer; security: Security } {
  const settings = { ...TEST_ACCESS, ...access };
  const security = createSecurity(settings, { log: createLogger('silent') });
  return { yoga: testServer(handle, { security }), security };
}

/** A client at `address` as Node's http server would report it; null: an in-process call with no socket. */
export function from(address: string | null): NodeServerContext {
  return address ? { req: { socket: { remoteAddress: address } } } : {};
}

export interface Sent<T = any> {
  status: number;
  headers: Headers;
  body: GraphQLResponse<T>;
}

/** POSTs a JSON GraphQL request with extra headers, from a client address. */
export async function send<T = any>(
  yoga: NewsGraphServer,
  body: Record<string, unknown>,
  options: { headers?: Record<string, string>; client?: NodeServerContext; key?: string } = {},
): Promise<Sent<T>> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...options.headers };
  if (options.key) headers.authorization = `Bearer ${options.key}`;
  const response = await yoga.fetch('http://localhost/graphql', { method: 'POST', headers, body: JSON.stringify(body) }, options.client ?? from('127.0.0.1'));
  return { status: response.status, headers: response.headers, body: (await response.json()) as GraphQLResponse<T> };
}
