import { z } from 'zod';
import { DEFAULT_STATEMENT_TIMEOUT_MS } from '../db/client.js';
import { DEFAULT_BODY_LIMITS, type BodyLimits } from './bodyLimit.js';
import { DEFAULT_QUERY_LIMITS, type QueryLimits } from './limits.js';

const count = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** The environment variables of the query, body and statement limits; config.ts spreads them into its schema. */
export const LimitsEnv = {
  MAX_QUERY_DEPTH: count(DEFAULT_QUERY_LIMITS.maxDepth),
  MAX_QUERY_ALIASES: count(DEFAULT_QUERY_LIMITS.maxAliases),
  MAX_QUERY_TOKENS: count(DEFAULT_QUERY_LIMITS.maxTokens),
  MAX_QUERY_DIRECTIVES: count(DEFAULT_QUERY_LIMITS.maxDirectives),
  MAX_QUERY_NODES: count(DEFAULT_QUERY_LIMITS.maxNodes),
  INTROSPECTION: z.enum(['true', 'false']).default(DEFAULT_QUERY_LIMITS.introspection ? 'true' : 'false'),
  MAX_BODY_BYTES: count(DEFAULT_BODY_LIMITS.maxBodyBytes),
  MAX_INGEST_BODY_BYTES: count(DEFAULT_BODY_LIMITS.maxIngestBodyBytes),
  /** 0 turns the timeout off. */
  STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).default(DEFAULT_STATEMENT_TIMEOUT_MS),
};

type LimitsInput = { [K in keyof typeof LimitsEnv]: z.infer<(typeof LimitsEnv)[K]> };

/**
 * Pairs of limits that only make sense in one order, for config.ts to refine with: a page must fit in the
 * body that carries it, and the ingest allowance must not be below the ordinary one. Checked only when both
 * values parsed, so a bad number is reported once, as itself.
 */
export const LIMIT_ORDER: Array<{ small: string; large: string; message: string }> = [
  { small: 'MAX_PAGE_BYTES', large: 'MAX_INGEST_BODY_BYTES', message: 'must not exceed MAX_INGEST_BODY_BYTES: a larger page could never arrive' },
  { small: 'MAX_BODY_BYTES', large: 'MAX_INGEST_BODY_BYTES', message: 'must not exceed MAX_INGEST_BODY_BYTES, the allowance of ingest mutations' },
];

/** zod `.refine` arguments for one LIMIT_ORDER pair. */
export function limitOrder({ small, large, message }: (typeof LIMIT_ORDER)[number]): [
  (e: unknown) => boolean,
  { path: string[]; message: string; when: (payload: { value: unknown }) => boolean },
] {
  const value = (e: unknown, key: string) => (e as Record<string, unknown>)[key];
  return [
    (e) => Number(value(e, small)) <= Number(value(e, large)),
    {
      path: [small],
      message,
      when: (payload) => Number.isFinite(value(payload.value, small)) && Number.isFinite(value(payload.value, large)),
    },
  ];
}

export interface LimitSettings {
  queryLimits: QueryLimits;
  bodyLimits: BodyLimits;
  /** statement_timeout of every database connection, in ms; 0 is off. */
  statementTimeoutMs: number;
}

export function limitSettings(e: LimitsInput): LimitSettings {
  return {
    queryLimits: {
      maxDepth: e.MAX_QUERY_DEPTH,
      maxAliases: e.MAX_QUERY_ALIASES,
      maxTokens: e.MAX_QUERY_TOKENS,
      maxDirectives: e.MAX_QUERY_DIRECTIVES,
      maxNodes: e.MAX_QUERY_NODES,
      introspection: e.INTROSPECTION === 'true',
    },
    bodyLimits: { maxBodyBytes: e.MAX_BODY_BYTES, maxIngestBodyBytes: e.MAX_INGEST_BODY_BYTES },
    statementTimeoutMs: e.STATEMENT_TIMEOUT_MS,
  };
}
