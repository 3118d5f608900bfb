import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { getOperationAST, type DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { observeStatements } from '../db/timing.js';
import type { Logger } from '../log.js';
import { commandOf, routeOf, type ServiceMetrics } from './metrics.js';

/** What one HTTP request has done so far; every log line about it goes through `log`. */
export interface RequestScope {
  id: string;
  log: Logger;
  method: string;
  path: string;
  start: number;
  operationName: string | null;
  statements: number;
  sqlMs: number;
  errorCodes: Set<string>;
}

const scopes = new AsyncLocalStorage<RequestScope>();

/** The request being served by the current async call chain, if any. */
export function currentRequest(): RequestScope | undefined {
  return scopes.getStore();
}

export const REQUEST_ID_HEADER = 'x-request-id';
// Short and plain enough to copy into a log line or a support ticket as is (UUIDs, trace ids, ULIDs).
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The client's request id when it is short and safe, else a fresh UUID. */
export function requestIdFrom(header: string | null): string {
  return header !== null && SAFE_REQUEST_ID.test(header) ? header : randomUUID();
}

// Probes and scrapes arrive every few seconds; at info they would drown the requests that matter.
const QUIET_ROUTES = new Set(['/healthz', '/readyz', '/metrics']);
const MAX_STATEMENT_CHARS = 1000;
const MAX_OPERATION_NAME_CHARS = 100;

export interface ObservabilityOptions {
  log: Logger;
  metrics: ServiceMetrics;
  /** SQL statements at or above this many milliseconds are logged at warn. */
  slowQueryMs: number;
  /** Requests at or above this many milliseconds are logged at warn instead of info. */
  slowRequestMs: number;
}

const round = (ms: number) => Math.round(ms * 10) / 10;

/**
 * Request ids, one log line per request, slow-statement and slow-request logs, and the per-request metrics.
 * The request runs inside an AsyncLocalStorage scope, so the SQL timing in db/timing.ts and the loaders'
 * batch functions find their request without being handed it.
 */
export function observabilityPlugin(options: ObservabilityOptions): Plugin {
  const { log, metrics, slowQueryMs, slowRequestMs } = options;

  const onStatement = (scope: RequestScope) => (text: string, ms: number, failed: boolean) => {
    scope.statements += 1;
    scope.sqlMs += ms;
    metrics.sqlDuration.observe({ command: commandOf(text) }, ms / 1000);
    if (ms >= slowQueryMs) {
      const statement = text.length > MAX_STATEMENT_CHARS ? `${text.slice(0, MAX_STATEMENT_CHARS)}…` : text;
      scope.log.warn('slow SQL statement', { ms: round(ms), statement, failed, operation: scope.operationName });
    }
  };

  const nameOperation = (document: DocumentNode, operationName: string | null | undefined) => {
    const scope = scopes.getStore();
    if (!scope || scope.operationName) return;
    const name = operationName ?? getOperationAST(document, operationName)?.name?.value;
    if (name) scope.operationName = name.slice(0, MAX_OPERATION_NAME_CHARS);
  };

  return {
    instrumentation: {
      request({ request }, wrapped) {
        const url = new URL(request.url, 'http://localhost');
        const id = requestIdFrom(request.headers.get(REQUEST_ID_HEADER));
        const scope: RequestScope = {
          id,
          log: log.child({ requestId: id }),
          method: request.method,
          path: url.pathname.slice(0, 200),
          start: performance.now(),
          operationName: null,
          statements: 0,
          sqlMs: 0,
          errorCodes: new Set(),
        };
        return scopes.run(scope, () => observeStatements(onStatement(scope), wrapped));
      },
    },
    onExecute({ args }) {
      nameOperation(args.document, args.operationName);
    },
    onSubscribe({ args }) {
      nameOperation(args.document, args.operationName);
    },
    onExecutionResult({ result }) {
      const scope = scopes.getStore();
      if (!scope || !result || !('errors' in result) || !result.errors) return;
      for (const error of result.errors) {
        const code = error.extensions?.['code'];
        scope.errorCodes.add(typeof code === 'string' ? code : 'UNKNOWN');
      }
    },
    onResponse({ response, setResponse, fetchAPI }) {
      const scope = scopes.getStore();
      if (!scope) return;
      try {
        response.headers.set(REQUEST_ID_HEADER, scope.id);
      } catch {
        // A response with immutable headers (one made by fetch) is copied to carry the id.
        const headers = new fetchAPI.Headers(response.headers);
        headers.set(REQUEST_ID_HEADER, scope.id);
        setResponse(new fetchAPI.Response(response.body, { status: response.status, statusText: response.statusText, headers }));
      }
      const ms = performance.now() - scope.start;
      const route = routeOf(scope.path);
      metrics.httpRequests.inc({ method: scope.method, route, status: response.status });
      metrics.sqlStatementsPerRequest.observe(scope.statements);
      const slow = ms >= slowRequestMs && !QUIET_ROUTES.has(route);
      const fields = {
        method: scope.method,
        path: scope.path,
        status: response.status,
        ms: round(ms),
        operation: scope.operationName,
        sqlStatements: scope.statements,
        sqlMs: round(scope.sqlMs),
        ...(scope.errorCodes.size > 0 ? { errors: [...scope.errorCodes] } : {}),
        ...(slow ? { slow: true } : {}),
      };
      if (slow) scope.log.warn('slow request', fields);
      else if (QUIET_ROUTES.has(route)) scope.log.debug('request', fields);
      else scope.log.info('request', fields);
    },
  };
}
