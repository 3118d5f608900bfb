import { getOperationAST, type DocumentNode, type ExecutionResult } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { createYoga, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import type { Registry } from 'prom-client';
import type { Config } from './config.js';
import type { Db } from './db/client.js';
import { databaseFor, operationTypePlugin, readiness, type Databases } from './db/routing.js';
import { createLocalArticleEvents, type ArticleEvents } from './events/articles.js';
import { explorePlugin } from './explore/plugin.js';
import { ingestRaw, type IngestInput, type IngestOutcome } from './ingest/pipeline.js';
import { createLogger, type Logger } from './log.js';
import { createLoaders } from './loaders/index.js';
import { createObservability, type ObservabilitySettings } from './observability/index.js';
import { createResponseCache, RESPONSE_CACHE_DEFAULTS } from './cache/responseCache.js';
import type { Context } from './schema/context.js';
import { schema } from './schema/index.js';
import { rootFieldNames } from './security/access.js';
import { createSecurity, type Security } from './security/index.js';
import { bodyLimitPlugin, DEFAULT_BODY_LIMITS } from './security/bodyLimit.js';
import { maskError } from './security/dbErrors.js';
import { DEFAULT_QUERY_LIMITS, queryLimitPlugins } from './security/limits.js';

export interface ServerOptions {
  /** The primary: mutations, ingest, subscriptions, and queries too unless `readDb` is given. */
  db: Db;
  /** A read replica (DATABASE_READ_URL) that answers query operations. */
  readDb?: Db | null;
  /** `queryLimits` and `bodyLimits` default to the documented defaults when left out. */
  config: Pick<Config, 'maxPageBytes' | 'logLevel' | 'access'> &
    Partial<Pick<Config, 'queryLimits' | 'bodyLimits' | 'responseCache' | 'graphqlJit'>> &
    ObservabilitySettings;
  /** Keys, scopes, CSRF, persisted operations and rate limits; defaults to `createSecurity(config.access)`. */
  security?: Security;
  /** Ingests one page; defaults to the pipeline on `db`, announcing what it stores on `events`. */
  ingest?: (input: IngestInput) => Promise<IngestOutcome>;
  /** Live updates for `articleAdded`; defaults to in-process events (this server's own ingests only). */
  events?: ArticleEvents;
  /** Where log lines go; defaults to JSON on stderr at `config.logLevel`. */
  log?: Logger;
  /** The Prometheus registry served at /metrics; defaults to a fresh one for this server. */
  registry?: Registry;
}

export type NewsGraphServer = YogaServerInstance<Record<string, unknown>, Context>;

/** Shown in GraphiQL on first open: the sample article with what the graph extracted from it. */
export const DEFAULT_QUERY = `# The newest stored article and what the graph found in it.
# Ctrl-Enter runs the query; the Docs pane describes every type and field.
query SampleArticle {
  articles(first: 1) {
    totalCount
    edges {
      node {
        id
        headline
        publishedAt
        dateline { place date agency }
        spokespeople {
          role
          person { name }
          quotes { kind text }
        }
        topics { score topic { slug name } }
        events { name }
        pageLinks { list position headline article { id headline } }
        related(first: 5) {
          score
          reasons { kind label weight }
          article { headline publishedAt }
        }
      }
    }
  }
}
`;

/**
 * The GraphQL server for one database. It does not listen: pass it to `http.createServer`, or call
 * `yoga.fetch` in tests. Serves /graphql (GraphiQL for browsers, bundled, no CDN), /healthz and /readyz.
 */
export function createServer(options: ServerOptions): NewsGraphServer {
  const { db, config } = options;
  const events = options.events ?? createLocalArticleEvents();
  const onStored = (articleIds: number[]) => events.publish(articleIds);
  const runIngest = options.ingest ?? ((input: IngestInput) => ingestRaw(db, input, { maxBytes: config.maxPageBytes, onStored }));
  const log = options.log ?? createLogger(config.logLevel);
  const observability = createObservability({ log, settings: config, registry: options.registry });
  const ingest = observability.countIngests(runIngest);
  const databases: Databases = { primary: db, read: options.readDb ?? null };
  const security = options.security ?? createSecurity(config.access, { log: observability.log });
  const responseCache = createResponseCache(config.responseCache ?? RESPONSE_CACHE_DEFAULTS, events);

  return createYoga<Record<string, unknown>, Context>({
    schema,
    context: (initial) => {
      const opDb = databaseFor(initial, databases);
      return {
        db: opDb,
        loaders: createLoaders(opDb, observability.loaderOptions),
        ingest,
        articleEvents: events,
        maxPageBytes: config.maxPageBytes,
        log: observability.log,
        requestId: observability.requestId(),
      };
    },
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: '/healthz',
    landingPage: false,
    batching: false,
    // bodyLimitPlugin counts the bytes instead: it knows the larger allowance of ingest mutations.
    maxRequestBodySize: false,
    // Unexpected errors reach clients as "Unexpected error." with no message or stack, whatever NODE_ENV says;
    // a statement cancelled by statement_timeout gets code STATEMENT_TIMEOUT.
    maskedErrors: { isDev: false, maskError },
    graphiql: { title: 'news-graph', defaultQuery: DEFAULT_QUERY, additionalHeaders: security.graphiqlHeaders },
    renderGraphiQL,
    logging: {
      debug: (...args: unknown[]) => observability.log.debug(describe(args)),
      info: (...args: unknown[]) => observability.log.info(describe(args)),
      warn: (...args: unknown[]) => observability.log.warn(describe(args)),
      error: (...args: unknown[]) => observability.log.error(describe(args)),
    },
    plugins: [
      // First: the request id and the request log cover every response, including early refusals.
      ...observability.plugins,
      bodyLimitPlugin(config.bodyLimits ?? DEFAULT_BODY_LIMITS),
      ...queryLimitPlugins(config.queryLimits ?? DEFAULT_QUERY_LIMITS),
      ...security.plugins,
      operationTypePlugin(),
      // After every check above. Before the response cache, which wraps whichever executor it finds: a miss is
      // then executed compiled and its answer cached.
      compiledReads(config.graphqlJit ?? true, (executor) => observability.metrics.executions.inc({ executor })),
      // After the access checks: a cached answer is only served to a request that may read.
      ...(responseCache ? [responseCache.plugin] : []),
      routes(databases),
      explorePlugin(),
    ],
  });
}

/**
 * Compiled execution for queries (GRAPHQL_JIT, on by default): each document is compiled once with graphql-jit
 * into a function that resolves it, which took a fifth to a quarter of the server's CPU off the read benchmark's
 * queries. graphql-jit words errors differently from graphql-js (no `locations`, shorter variable messages) and
 * drops a failed `_entities` representation instead of answering null in its place, so:
 * - only query operations run compiled (mutations and subscriptions never do, so nothing runs twice that
 *   writes), and never a federation `_entities` query;
 * - a compiled answer that carries any error is thrown away and the query runs again on graphql-js, which
 *   gives the answer and the errors clients would get without compilation. Its loaders still hold what the
 *   first run read, so the second run mostly costs execution.
 * A document graphql-jit cannot compile runs on graphql-js.
 */
function compiledReads(enabled: boolean, onExecute: (executor: 'compiled' | 'reference' | 'fallback') => void): Plugin {
  const compiled = new WeakMap<DocumentNode, Map<string, CompiledQuery | null>>();
  const compile = (schema: Parameters<typeof compileQuery>[0], document: DocumentNode, operationName: string | undefined) => {
    let byOperation = compiled.get(document);
    if (!byOperation) compiled.set(document, (byOperation = new Map()));
    const key = operationName ?? '';
    if (!byOperation.has(key)) {
      const result = compileQuery(schema, document, operationName);
      byOperation.set(key, isCompiledQuery(result) ? result : null);
    }
    return byOperation.get(key)!;
  };
  return {
    onExecute({ args, executeFn, setExecuteFn }) {
      const operation = getOperationAST(args.document, args.operationName ?? undefined);
      if (!enabled || operation?.operation !== 'query' || rootFieldNames(args.document, operation.selectionSet).includes('_entities')) {
        onExecute('reference');
        return;
      }
      const reference = executeFn;
      // Compiled for the document it is handed: a plugin after this one (the response cache) may pass its own
      // copy of the operation, made once per document.
      setExecuteFn(async (executionArgs) => {
        const query = compile(executionArgs.schema, executionArgs.document, executionArgs.operationName ?? undefined);
        if (!query) {
          onExecute('reference');
          return reference(executionArgs);
        }
        const result = (await query.query(executionArgs.rootValue, executionArgs.contextValue, executionArgs.variableValues)) as ExecutionResult;
        if (!result.errors?.length) {
          onExecute('compiled');
          return result;
        }
        onExecute('fallback');
        return reference(executionArgs);
      });
    },
  };
}

/**
 * `/` sends browsers to GraphiQL; `/readyz` answers 200 only while the primary and the read replica (when
 * configured) answer `select 1`, and names each one's state.
 */
function routes(databases: Databases): Plugin {
  return {
    async onRequest({ url, endResponse, fetchAPI }) {
      if (url.pathname === '/') {
        endResponse(new fetchAPI.Response(null, { status: 302, headers: { location: '/graphql' } }));
        return;
      }
      if (url.pathname !== '/readyz') return;
      const { ready, databases: states } = await readiness(databases);
      endResponse(
        new fetchAPI.Response(JSON.stringify({ status: ready ? 'ready' : 'database unavailable', databases: states }), {
          status: ready ? 200 : 503,
          headers: { 'content-type': 'application/json' },
        }),
      );
    },
  };
}

/** Log lines carry messages, not stack traces. */
function describe(args: unknown[]): string {
  return args
    .map((a) => (a instanceof Error ? `${a.name}: ${a.message}` : typeof a === 'string' ? a : JSON.stringify(a)))
    .join(' ');
}
