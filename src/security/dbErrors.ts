import { GraphQLError } from 'graphql';
import { maskError as yogaMaskError, type YogaServerOptions } from 'graphql-yoga';

export const STATEMENT_TIMEOUT = 'STATEMENT_TIMEOUT';

/** SQLSTATE query_canceled: statement_timeout (or a cancel request) stopped the statement. */
const QUERY_CANCELED = '57014';

/**
 * The SQLSTATE behind an error, if any: GraphQL wraps the resolver's error (`originalError`), Drizzle wraps
 * the driver's (`cause`), and both postgres.js and PGlite put the state in `code`.
 */
export function sqlState(error: unknown): string | null {
  let current: unknown = error;
  for (let hops = 0; hops < 8 && current && typeof current === 'object'; hops += 1) {
    const { code, originalError, cause } = current as { code?: unknown; originalError?: unknown; cause?: unknown };
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    current = originalError ?? cause;
  }
  return null;
}

type MaskError = NonNullable<Exclude<YogaServerOptions<object, object>['maskedErrors'], boolean | undefined>['maskError']>;

/**
 * Yoga's masking, except that a statement cancelled by statement_timeout becomes a GraphQLError with code
 * STATEMENT_TIMEOUT (and its path), so a client can tell a slow query from a fault. No SQL, no stack.
 */
export const maskError: MaskError = (error, message, isDev) => {
  if (sqlState(error) === QUERY_CANCELED) {
    const located = error instanceof GraphQLError ? error : null;
    return new GraphQLError('A database statement took longer than the statement timeout and was cancelled; ask for less, or try again.', {
      nodes: located?.nodes,
      path: located?.path,
      extensions: { code: STATEMENT_TIMEOUT },
    });
  }
  return yogaMaskError(error, message, isDev);
};
