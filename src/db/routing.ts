import { sql } from 'drizzle-orm';
import { getOperationAST, OperationTypeNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Db } from './client.js';

/**
 * The databases one service instance talks to: every write goes to `primary`; `read` (DATABASE_READ_URL, a
 * streaming replica) answers GraphQL queries. Without a replica `read` is null and the primary does both.
 */
export interface Databases {
  primary: Db;
  read: Db | null;
}

const OPERATION_TYPE = Symbol('news-graph.operationType');
type Tagged = { [OPERATION_TYPE]?: OperationTypeNode };

/**
 * Tags each request's context with its operation type. Validation is the last step that sees the parsed
 * document before yoga builds the context, and its hooks run on every request, cached document or not.
 */
export function operationTypePlugin(): Plugin<Tagged> {
  return {
    onValidate({ params, context, extendContext }) {
      extendContext({ [OPERATION_TYPE]: getOperationAST(params.documentAST, context.params?.operationName)?.operation });
    },
  };
}

/**
 * The database a request's resolvers and loaders use. Only query operations read the replica. A mutation
 * reads its own writes for its payload from the primary; a subscription resolves each article right after
 * the commit that announced it, which a replica may not have replayed yet, so it reads the primary too.
 * A context that was never tagged (no validation) gets the primary: stale reads are the risk to avoid.
 */
export function databaseFor(context: object, databases: Databases): Db {
  const type = (context as Tagged)[OPERATION_TYPE];
  return type === OperationTypeNode.QUERY && databases.read ? databases.read : databases.primary;
}

export type DatabaseState = 'up' | 'down';

export interface Readiness {
  ready: boolean;
  databases: { primary: DatabaseState; replica?: DatabaseState };
}

/** How long a readiness probe waits for `select 1` before calling the database down. */
export const READINESS_TIMEOUT_MS = 2000;

/**
 * Both databases answer `select 1`? The instance is ready only if both do: without its replica it cannot
 * answer queries, and the load balancer should send them to an instance that can. A database that does not
 * answer within `timeoutMs` counts as down: a server that hangs (rather than refusing connections) must not
 * hang the probe, or the load balancer's check times out instead of reading a 503.
 */
export async function readiness(databases: Databases, timeoutMs = READINESS_TIMEOUT_MS): Promise<Readiness> {
  const probe = (db: Db): Promise<DatabaseState> => {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<DatabaseState>((resolve) => (timer = setTimeout(() => resolve('down'), timeoutMs)));
    const answer = db.execute(sql`select 1`).then(
      (): DatabaseState => 'up',
      (): DatabaseState => 'down',
    );
    return Promise.race([answer, late]).finally(() => clearTimeout(timer));
  };
  const [primary, replica] = await Promise.all([probe(databases.primary), databases.read ? probe(databases.read) : undefined]);
  return {
    ready: primary === 'up' && replica !== 'down',
    databases: replica ? { primary, replica } : { primary },
  };
}
