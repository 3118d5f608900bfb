import { isIP } from 'node:net';
import {
  getOperationAST,
  GraphQLError,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { ApiKey, KeyStore, Scope } from './keys.js';
import type { RateLimiter } from './rateLimit.js';
import { requiredScopeOf } from './scopes.js';

/** Who sent one request, as far as the service can tell. */
export interface Access {
  /** The API key the request proved, if any. */
  key: ApiKey | null;
  /** An Authorization header was sent but proves no configured key. */
  badKey: boolean;
  /** The client's address (after trusted proxies); null for an in-process call with no socket. */
  clientAddress: string | null;
  /** Sent from this machine, not through a proxy, and not by a page of another origin. */
  local: boolean;
}

/** The server context of a Node `http` server (yoga passes `{ req, res }`); tests pass `req.socket` alone. */
export type NodeServerContext = {
  req?: { socket?: { remoteAddress?: string | undefined } };
};

export interface AccessControlOptions {
  /** `key`: reading needs a valid key too. */
  readAccess: 'public' | 'key';
  /** Proxies in front of the service that append to X-Forwarded-For (0: use the socket's address). */
  trustProxyHops: number;
  /** null: no keys configured, so mutations are taken from local clients only. */
  keys: KeyStore | null;
  limiter: RateLimiter | null;
  endpoint: string;
}

const accessByRequest = new WeakMap<Request, Access>();
const NOBODY: Access = { key: null, badKey: false, clientAddress: null, local: false };

/** What the access plugin found out about a request; a request it never saw is nobody in particular. */
export function accessOf(request: Request): Access {
  return accessByRequest.get(request) ?? NOBODY;
}

export function isLoopbackAddress(address: string | null): boolean {
  if (!address) return false;
  const v4 = address.toLowerCase().startsWith('::ffff:') ? address.slice(7) : address;
  if (isIP(v4) === 4) return v4.startsWith('127.');
  return address === '::1' || address === '0:0:0:0:0:0:0:1';
}

function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  return host === 'localhost' || host.endsWith('.localhost') || isLoopbackAddress(host);
}

/** The socket's peer, or with `trustProxyHops` > 0 the address that many proxies back in X-Forwarded-For. */
export function clientAddress(request: Request, serverContext: NodeServerContext | undefined, trustProxyHops: number): string | null {
  const peer = serverContext?.req?.socket?.remoteAddress ?? null;
  if (trustProxyHops <= 0 || !peer) return peer;
  const chain = (request.headers.get('x-forwarded-for') ?? '').split(',').map((a) => a.trim()).filter(Boolean);
  return chain.length ? chain[Math.max(0, chain.length - trustProxyHops)]! : peer;
}

/**
 * A local client: a loopback address, no proxy in between (a proxy on this host would make everyone local), a
 * loopback Host (a DNS-rebound name is not), and no page of another origin behind it: yoga answers CORS for any
 * origin, so without the Origin check any web page open in the user's browser could post mutations here.
 */
export function isLocalRequest(request: Request, url: URL, address: string | null, trustProxyHops: number): boolean {
  if (!isLoopbackAddress(address)) return false;
  if (trustProxyHops === 0 && (request.headers.has('x-forwarded-for') || request.headers.has('forwarded'))) return false;
  if (!isLoopbackHost(url.hostname)) return false;
  const origin = request.headers.get('origin');
  if (origin !== null && !URL.canParse(origin)) return false;
  if (origin !== null && new URL(origin).host !== url.host) return false;
  const site = request.headers.get('sec-fetch-site');
  return site === null || site === 'same-origin' || site === 'none';
}

/** undefined: no Authorization header; null: a header that carries no bearer key. */
function presentedKey(request: Request): string | null | undefined {
  const header = request.headers.get('authorization');
  if (header === null) return undefined;
  return /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header)?.[1] ?? null;
}

function unauthenticated(message: string, requiredScope: Scope | null, invalidKey: boolean): GraphQLError {
  return new GraphQLError(message, {
    extensions: {
      code: 'UNAUTHENTICATED',
      ...(requiredScope ? { requiredScope } : {}),
      http: { status: 401, headers: { 'www-authenticate': invalidKey ? 'Bearer error="invalid_token"' : 'Bearer' } },
    },
  });
}

function forbidden(message: string, requiredScope: Scope | null): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'FORBIDDEN', ...(requiredScope ? { requiredScope } : {}), http: { status: 403 } } });
}

/** Names of the root fields an operation selects, through inline fragments and fragment spreads. */
export function rootFieldNames(document: DocumentNode, selectionSet: SelectionSetNode): string[] {
  const fragments = new Map(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
  const names = new Set<string>();
  const visited = new Set<string>();
  const walk = (set: SelectionSetNode) => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) names.add(selection.name.value);
      else if (selection.kind === Kind.INLINE_FRAGMENT) walk(selection.selectionSet);
      else {
        const fragment = fragments.get(selection.name.value);
        if (fragment && !visited.has(fragment.name.value)) {
          visited.add(fragment.name.value);
          walk(fragment.selectionSet);
        }
      }
    }
  };
  walk(selectionSet);
  return [...names];
}

function mutationRefusal(field: string, scope: Scope | null, access: Access, keysConfigured: boolean): GraphQLError | null {
  if (!scope) return forbidden(`${field} declares no required scope, so it is refused`, null);
  if (access.badKey) {
    return unauthenticated(`The API key sent in Authorization is not valid here; ${field} needs a key with the "${scope}" scope`, scope, true);
  }
  if (!keysConfigured) {
    return access.local
      ? null
      : forbidden(
          `${field} is accepted only from this machine while no API keys are configured (API_KEYS_FILE); ` +
            `configure keys and send one with the "${scope}" scope as Authorization: Bearer <key>`,
          scope,
        );
  }
  if (!access.key) return unauthenticated(`${field} needs an API key with the "${scope}" scope: send it as Authorization: Bearer <key>`, scope, false);
  if (!access.key.scopes.has(scope)) return forbidden(`The API key "${access.key.name}" lacks the "${scope}" scope that ${field} needs`, scope);
  return null;
}

/** Why an operation may not run for this caller, or null when it may. */
export function refusal(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  access: Access,
  options: Pick<AccessControlOptions, 'readAccess' | 'keys'>,
): GraphQLError | null {
  const operation = getOperationAST(document, operationName ?? undefined);
  if (!operation) return null;
  if (operation.operation === 'mutation') {
    const fields = schema.getMutationType()?.getFields() ?? {};
    for (const name of rootFieldNames(document, operation.selectionSet)) {
      const field = fields[name];
      // __typename reads nothing; unknown fields were refused by validation already.
      if (!field) continue;
      const problem = mutationRefusal(name, requiredScopeOf(field), access, options.keys !== null);
      if (problem) return problem;
    }
    return null;
  }
  if (access.badKey) return unauthenticated('The API key sent in Authorization is not valid here', null, true);
  if (options.readAccess === 'key' && !access.key) {
    return unauthenticated('This service answers only requests with an API key (READ_ACCESS=key): send Authorization: Bearer <key>', null, false);
  }
  return null;
}

/** May this caller send documents of its own when only persisted operations are served? */
export function mayRunArbitraryOperations(access: Access, keys: KeyStore | null): boolean {
  return access.key !== null || (keys === null && access.local && !access.badKey);
}

function tooManyRequests(fetchAPI: { Response: typeof Response }, retryAfterSeconds: number): Response {
  const body = { errors: [{ message: `Too many requests; retry in ${retryAfterSeconds} s`, extensions: { code: 'RATE_LIMITED', retryAfterSeconds } }] };
  return new fetchAPI.Response(JSON.stringify(body), {
    status: 429,
    headers: { 'content-type': 'application/json; charset=utf-8', 'retry-after': String(retryAfterSeconds) },
  });
}

/**
 * Rate limiting, authentication and authorization for the GraphQL endpoint, in that order. The bucket is the
 * key's once the key has been verified (and remembered), else the client address's, so an unverified key
 * never gets a bucket of its own and scrypt runs only within the address's allowance. Every operation is then
 * checked before it executes: the one place where scopes are enforced.
 */
export function accessPlugin(options: AccessControlOptions): Plugin {
  const { keys, limiter } = options;
  const check = (args: { schema: GraphQLSchema; document: DocumentNode; operationName?: string | null; contextValue: unknown }) => {
    const request = (args.contextValue as { request?: Request }).request;
    return refusal(args.schema, args.document, args.operationName, request ? accessOf(request) : NOBODY, options);
  };
  return {
    async onRequest({ request, url, serverContext, endResponse, fetchAPI }) {
      if (url.pathname !== options.endpoint || request.method === 'OPTIONS') return;
      const address = clientAddress(request, serverContext as NodeServerContext, options.trustProxyHops);
      const presented = presentedKey(request);
      let key = presented && keys ? keys.cached(presented) : null;
      if (limiter) {
        const decision = await limiter.take(key ? `key:${key.id}` : `address:${address ?? 'in-process'}`);
        if (!decision.allowed) {
          endResponse(tooManyRequests(fetchAPI, decision.retryAfterSeconds));
          return;
        }
      }
      if (presented && keys && !key) key = await keys.verify(presented);
      accessByRequest.set(request, {
        key,
        badKey: presented !== undefined && !key,
        clientAddress: address,
        local: isLocalRequest(request, url, address, options.trustProxyHops),
      });
    },
    onExecute({ args, setResultAndStopExecution }) {
      const problem = check(args);
      if (problem) setResultAndStopExecution({ errors: [problem] });
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const problem = check(args);
      if (problem) setResultAndStopExecution({ errors: [problem] });
    },
  };
}
