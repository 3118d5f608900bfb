import type { Plugin } from 'graphql-yoga';
import type { Registry } from 'prom-client';
import { OBSERVABILITY_DEFAULTS, type Config } from '../config.js';
import type { IngestInput, IngestOutcome } from '../ingest/pipeline.js';
import type { LoaderOptions } from '../loaders/index.js';
import type { Logger } from '../log.js';
import { countIngests, createRegistry, createServiceMetrics, graphqlMetrics, type ServiceMetrics } from './metrics.js';
import { currentRequest, observabilityPlugin } from './plugin.js';

export { createRegistry } from './metrics.js';
export { currentRequest, REQUEST_ID_HEADER } from './plugin.js';

export type ObservabilitySettings = Partial<Pick<Config, 'slowQueryMs' | 'slowRequestMs' | 'metricsEnabled'>>;

/** Logs, metrics and request ids for one server, as pieces server.ts wires in. */
export interface Observability {
  metrics: ServiceMetrics;
  /** The plugins, in order; put them before any plugin that may end a request early. */
  plugins: Plugin[];
  /**
   * Logs through the logger of the request being served, so the line carries its request id; outside a
   * request, through the server's logger.
   */
  log: Logger;
  /** The request id of the request being served. */
  requestId(): string | null;
  /** Hands each loader's batch sizes to the histogram. */
  loaderOptions: LoaderOptions;
  /** `ingest`, counted by outcome. */
  countIngests(ingest: (input: IngestInput) => Promise<IngestOutcome>): (input: IngestInput) => Promise<IngestOutcome>;
}

export function createObservability(options: { log: Logger; settings: ObservabilitySettings; registry?: Registry }): Observability {
  const { log } = options;
  const given = options.settings;
  const settings = {
    slowQueryMs: given.slowQueryMs ?? OBSERVABILITY_DEFAULTS.slowQueryMs,
    slowRequestMs: given.slowRequestMs ?? OBSERVABILITY_DEFAULTS.slowRequestMs,
    metricsEnabled: given.metricsEnabled ?? OBSERVABILITY_DEFAULTS.metricsEnabled,
  };
  const metrics = createServiceMetrics(options.registry ?? createRegistry());
  const { loaderBatchSize } = metrics;
  return {
    metrics,
    plugins: [
      observabilityPlugin({ log, metrics, slowQueryMs: settings.slowQueryMs, slowRequestMs: settings.slowRequestMs }),
      graphqlMetrics(metrics.registry, settings.metricsEnabled ? '/metrics' : false),
    ],
    log: delegating(() => currentRequest()?.log ?? log),
    requestId: () => currentRequest()?.id ?? null,
    loaderOptions: { onBatch: (loader, size) => loaderBatchSize.observe({ loader }, size) },
    countIngests: (ingest) => countIngests(ingest, metrics.ingestArticles),
  };
}


function delegating(current: () => Logger): Logger {
  return {
    debug: (msg, fields) => current().debug(msg, fields),
    info: (msg, fields) => current().info(msg, fields),
    warn: (msg, fields) => current().warn(msg, fields),
    error: (msg, fields) => current().error(msg, fields),
    child: (bindings) => current().child(bindings),
  };
}
