import type { SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { prepareStatementOnServer, type Db } from './client.js';

/** Rows of a raw statement, whichever driver runs it (postgres.js returns an array, PGlite `{ rows }`). */
export async function rowsOf<T>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown;
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

const dialect = new PgDialect();
const registered = new WeakMap<Db, Set<string>>();

/**
 * Like `rowsOf`, for the statement of one call site (`name`) whose text depends only on its shape (every value a
 * parameter, lists as one `arrayLiteral`): it is prepared on the server, so PostgreSQL plans it once per
 * connection. Its text is worked out on the first call only.
 */
export async function preparedRowsOf<T>(db: Db, name: string, query: SQL): Promise<T[]> {
  let names = registered.get(db);
  if (!names) registered.set(db, (names = new Set()));
  if (!names.has(name)) {
    names.add(name);
    prepareStatementOnServer(db, dialect.sqlToQuery(query).sql);
  }
  return rowsOf<T>(db, query);
}

/**
 * A PostgreSQL array literal, sent as one text parameter and cast in the statement (`::int[]`, `::text[]`):
 * both drivers pass it through unchanged, whatever the array's length.
 */
export function arrayLiteral(values: readonly (string | number)[]): string {
  return `{${values.map((v) => (typeof v === 'number' ? String(v) : `"${v.replace(/["\\]/g, '\\$&')}"`)).join(',')}}`;
}
