/**
 * Wall time of each SQL statement, for slow-query logs and the statement histogram. Drizzle's logger sees a
 * statement only before it runs, so the timing sits one level down, on the driver client that Drizzle calls:
 * PGlite's `query`/`exec` and postgres.js's `unsafe`, including the clients handed to transactions.
 *
 * Only statements run inside `observeStatements` are timed (a served request is); anything else pays one
 * AsyncLocalStorage lookup. The time is as the caller sees it, so it includes waiting for a pool connection
 * (postgres.js) or for PGlite's single connection: that wait is part of why a request was slow.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';
import type { PGlite, Transaction } from '@electric-sql/pglite';
import type { Sql } from 'postgres';

/** Told about each statement: its text as sent (placeholders, never parameter values), milliseconds, outcome. */
export type StatementObserver = (text: string, ms: number, failed: boolean) => void;

const observers = new AsyncLocalStorage<StatementObserver>();

/** Runs `fn`; every statement it causes, through promises, DataLoader batches and transactions, goes to `observer`. */
export function observeStatements<T>(observer: StatementObserver, fn: () => T): T {
  return observers.run(observer, fn);
}

function report(observe: StatementObserver, text: string, start: number, failed: boolean): void {
  try {
    observe(text, performance.now() - start, failed);
  } catch {
    // An observer must never turn a finished statement into a failed one.
  }
}

async function measure<R>(text: string, run: () => Promise<R>): Promise<R> {
  const observe = observers.getStore();
  if (!observe) return run();
  const start = performance.now();
  try {
    const result = await run();
    report(observe, text, start, false);
    return result;
  } catch (error) {
    report(observe, text, start, true);
    throw error;
  }
}

type Queryable = Pick<PGlite | Transaction, 'query' | 'exec'>;

function timeQueryable(client: Queryable): void {
  const query = client.query.bind(client);
  const exec = client.exec.bind(client);
  client.query = ((text: string, ...rest: unknown[]) =>
    measure(text, () => (query as (...a: unknown[]) => Promise<unknown>)(text, ...rest))) as Queryable['query'];
  client.exec = ((text: string, ...rest: unknown[]) =>
    measure(text, () => (exec as (...a: unknown[]) => Promise<unknown>)(text, ...rest))) as Queryable['exec'];
}

/** Times PGlite statements, inside transactions too (each transaction gets its own client object). */
export function timePglite(client: PGlite): void {
  timeQueryable(client);
  const transaction = client.transaction.bind(client);
  client.transaction = (<T>(fn: (tx: Transaction) => Promise<T>) =>
    transaction((tx) => {
      timeQueryable(tx);
      return fn(tx);
    })) as PGlite['transaction'];
}

interface PostgresScope {
  unsafe: (...args: unknown[]) => unknown;
  begin?: (...args: unknown[]) => unknown;
  savepoint?: (...args: unknown[]) => unknown;
}

/** The last argument of `begin`/`savepoint` is the callback that receives the transaction's own client. */
function wrapScopeCallback(args: unknown[]): unknown[] {
  const fn = args.at(-1);
  if (typeof fn !== 'function') return args;
  return [...args.slice(0, -1), (tx: PostgresScope) => fn(timePostgresScope(tx))];
}

function timePostgresScope(scope: PostgresScope): PostgresScope {
  const unsafe = scope.unsafe;
  scope.unsafe = (...args: unknown[]) => {
    const query = unsafe(...args);
    const observe = observers.getStore();
    if (observe) {
      const start = performance.now();
      // Promise.prototype.then, not the query's own then(): that one would start the query before Drizzle has
      // chosen its result format with .values().
      Promise.prototype.then.call(
        query,
        () => report(observe, String(args[0]), start, false),
        () => report(observe, String(args[0]), start, true),
      );
    }
    return query;
  };
  for (const key of ['begin', 'savepoint'] as const) {
    const open = scope[key];
    if (open) scope[key] = (...args: unknown[]) => open(...wrapScopeCallback(args));
  }
  return scope;
}

/** Times postgres.js statements, inside transactions and savepoints too. */
export function timePostgres(sql: Sql): void {
  timePostgresScope(sql as unknown as PostgresScope);
}
