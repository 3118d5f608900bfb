import { createCounter, usePrometheus, type FillLabelsFnParams } from '@graphql-yoga/plugin-prometheus';
import { GraphQLError, isInputObjectType, isInterfaceType, isObjectType, type GraphQLSchema } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import type { IngestInput, IngestOutcome } from '../ingest/pipeline.js';

/**
 * One registry per server instance: tests build many servers in one process, and prom-client's global
 * registry refuses a second metric of the same name. `processMetrics` adds CPU, memory, event-loop lag and
 * GC (prom-client's defaults); only the real process (main.ts) asks for them.
 */
export function createRegistry(options: { processMetrics?: boolean } = {}): Registry {
  const registry = new Registry();
  if (options.processMetrics) collectDefaultMetrics({ register: registry });
  return registry;
}

/** The service's own metrics, beside the GraphQL ones from @graphql-yoga/plugin-prometheus. */
export interface ServiceMetrics {
  registry: Registry;
  httpRequests: Counter<'method' | 'route' | 'status'>;
  loaderBatchSize: Histogram<'loader'>;
  ingestArticles: Counter<'outcome'>;
  sqlDuration: Histogram<'command'>;
  sqlStatementsPerRequest: Histogram;
  executions: Counter;
}

export function createServiceMetrics(registry: Registry): ServiceMetrics {
  const registers = [registry];
  return {
    registry,
    httpRequests: new Counter({
      name: 'news_graph_http_requests_total',
      help: 'HTTP requests answered, by method, route and status (rejections such as 413 and 429 included)',
      labelNames: ['method', 'route', 'status'],
      registers,
    }),
    loaderBatchSize: new Histogram({
      name: 'news_graph_dataloader_batch_size',
      help: 'Keys per DataLoader batch, by loader; each batch is one SQL statement',
      labelNames: ['loader'],
      buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000],
      registers,
    }),
    ingestArticles: new Counter({
      name: 'news_graph_ingest_articles_total',
      help: 'Pages ingested through the API, by outcome: created, updated, unchanged, failed (refused page), error (unexpected)',
      labelNames: ['outcome'],
      registers,
    }),
    sqlDuration: new Histogram({
      name: 'news_graph_sql_statement_duration_seconds',
      help: 'Wall time of SQL statements run while serving requests, by leading keyword, including waiting for a connection',
      labelNames: ['command'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
    sqlStatementsPerRequest: new Histogram({
      name: 'news_graph_sql_statements_per_request',
      help: 'SQL statements run per HTTP request; grows with query depth, not with the number of nodes returned',
      buckets: [0, 1, 2, 3, 5, 8, 13, 21, 34, 55, 100],
      registers,
    }),
    executions: new Counter({
      name: 'news_graph_executions_total',
      help: 'Operations executed, by executor: compiled (graphql-jit), reference (graphql-js), or fallback (a compiled answer with errors, run again on graphql-js)',
      labelNames: ['executor'],
      registers,
    }),
  };
}

const ROUTES = ['/graphql', '/healthz', '/readyz', '/metrics', '/explore'];

/** A bounded route label: a known endpoint, `/`, or `other` (paths are client-chosen). */
export function routeOf(pathname: string): string {
  if (pathname === '/') return '/';
  return ROUTES.find((r) => pathname === r || pathname.startsWith(`${r}/`)) ?? 'other';
}

const COMMANDS = new Set(['select', 'insert', 'update', 'delete', 'with', 'begin', 'commit', 'rollback', 'savepoint', 'release', 'set']);

/** A bounded label for a statement: its leading keyword when it is a common one. */
export function commandOf(statement: string): string {
  const word = /^\s*([a-z]+)/i.exec(statement)?.[1]?.toLowerCase();
  return word && COMMANDS.has(word) ? word : 'other';
}

/** Counts each ingest by outcome; a throw counts as `error` and is rethrown. */
export function countIngests(
  ingest: (input: IngestInput) => Promise<IngestOutcome>,
  counter: ServiceMetrics['ingestArticles'],
): (input: IngestInput) => Promise<IngestOutcome> {
  return async (input) => {
    try {
      const outcome = await ingest(input);
      counter.inc({ outcome: outcome.status });
      return outcome;
    } catch (error) {
      counter.inc({ outcome: 'error' });
      throw error;
    }
  };
}

function errorCode(params: FillLabelsFnParams): string {
  const { error, errorPhase } = params;
  const code = error instanceof GraphQLError ? error.extensions?.['code'] : undefined;
  if (typeof code === 'string' && /^[A-Z0-9_]{1,64}$/.test(code)) return code;
  // envelop reports a failed validation without the errors themselves.
  if (errorPhase === 'validate') return 'GRAPHQL_VALIDATION_FAILED';
  if (errorPhase === 'parse') return 'GRAPHQL_PARSE_FAILED';
  return 'UNKNOWN';
}

/**
 * GraphQL metrics from @graphql-yoga/plugin-prometheus on `registry`, and the `/metrics` endpoint unless
 * `endpoint` is false. Operation counts and latencies carry operationName and operationType; errors carry
 * the phase and extensions.code instead of the response path. The URL label is off: a GET request's URL holds
 * the query text.
 */
export function graphqlMetrics(registry: Registry, endpoint: string | false): Plugin {
  // The plugin looks for deprecated fields by walking every request's document with type info (about 2% of
  // the server's CPU in the read benchmark). A schema with nothing deprecated can never count one, so the walk
  // runs only once the schema has a deprecated field or argument; the counter is exported either way.
  let deprecations = true;
  const deprecatedFields = createCounter<'parse', 'operationName' | 'operationType' | 'fieldName' | 'typeName', FillLabelsFnParams & { deprecationInfo: { fieldName: string; typeName: string } }>({
    registry,
    counter: {
      name: 'graphql_envelop_deprecated_field',
      help: 'Counts the amount of deprecated fields used in selection sets',
      labelNames: ['operationType', 'operationName', 'fieldName', 'typeName'],
    },
    fillLabelsFn: (params) => ({
      operationName: params.operationName ?? 'Anonymous',
      operationType: params.operationType ?? 'unknown',
      fieldName: params.deprecationInfo?.fieldName ?? '',
      typeName: params.deprecationInfo?.typeName ?? '',
    }),
    shouldObserve: () => deprecations,
  });
  const prometheus = usePrometheus({
    registry,
    endpoint,
    labels: { url: false },
    metrics: {
      graphql_envelop_request: true,
      graphql_envelop_request_duration: true,
      graphql_envelop_request_time_summary: false,
      graphql_envelop_phase_parse: true,
      graphql_envelop_phase_validate: true,
      graphql_envelop_phase_context: true,
      graphql_envelop_phase_execute: true,
      graphql_envelop_phase_subscribe: true,
      graphql_envelop_deprecated_field: deprecatedFields,
      graphql_envelop_schema_change: false,
      graphql_envelop_execute_resolver: false,
      graphql_yoga_http_duration: true,
      graphql_envelop_error_result: createCounter<
        'parse' | 'validate' | 'context' | 'execute' | 'subscribe',
        'operationName' | 'operationType' | 'phase' | 'code',
        FillLabelsFnParams & { errorPhase: 'parse' | 'validate' | 'context' | 'execute' | 'subscribe' }
      >({
        registry,
        counter: {
          name: 'graphql_envelop_error_result',
          help: 'GraphQL errors in responses, by operation, phase and extensions.code',
          labelNames: ['operationName', 'operationType', 'phase', 'code'],
        },
        fillLabelsFn: (params) => ({
          operationName: params.operationName ?? 'Anonymous',
          operationType: params.operationType ?? 'unknown',
          phase: params.errorPhase,
          code: errorCode(params),
        }),
      }),
    },
  });
  return {
    onPluginInit({ addPlugin }) {
      addPlugin(prometheus);
    },
    onSchemaChange({ schema }) {
      deprecations = hasDeprecations(schema);
    },
  };
}

/** Does any field or argument of the schema carry a deprecation? */
export function hasDeprecations(schema: GraphQLSchema): boolean {
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || !(isObjectType(type) || isInterfaceType(type) || isInputObjectType(type))) continue;
    for (const field of Object.values(type.getFields())) {
      if (field.deprecationReason != null) return true;
      if ('args' in field && field.args.some((a: { deprecationReason?: string | null }) => a.deprecationReason != null)) return true;
    }
  }
  return false;
}
