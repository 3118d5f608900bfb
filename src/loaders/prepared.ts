import { getTableName, sql, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { prepareStatementOnServer, type Db } from '../db/client.js';

/**
 * Drizzle builds a statement's SQL text from its query builder on every run, which cost about a tenth of the
 * server's CPU on the hot read paths. A loader that runs the same statement on every request builds it once per
 * database with `.prepare()` (values as `sql.placeholder`s, id lists as one array parameter so the text does
 * not change with the batch size) and keeps it here. Its text is also registered to be prepared on the server
 * (db/client.ts), so PostgreSQL parses and plans it once per connection instead of on every run. Keyed by the
 * database object, so a replica and the primary each get their own.
 */
const built = new WeakMap<Db, Map<string, unknown>>();

export function preparedFor<T>(db: Db, name: string, build: (db: Db) => T): T {
  let statements = built.get(db);
  if (!statements) built.set(db, (statements = new Map()));
  let statement = statements.get(name) as T | undefined;
  if (statement === undefined) {
    statements.set(name, (statement = build(db)));
    const text = (statement as { getQuery?: () => { sql: string } }).getQuery?.().sql;
    if (text) prepareStatementOnServer(db, text);
  }
  return statement;
}

/**
 * Runs a statement built on each call whose text depends only on its shape (which filters are given; every value
 * a parameter), prepared on the server like `preparedFor`'s: there are few such texts, each planned once per
 * connection.
 */
export function executeOnServer<T>(db: Db, statement: { getQuery(): { sql: string }; execute(): Promise<T> }): Promise<T> {
  prepareStatementOnServer(db, statement.getQuery().sql);
  return statement.execute();
}

/** `column = any($name::integer[])`: one statement text for any number of ids. */
export function inIds(column: PgColumn, name: string): SQL {
  return sql`${column} = any(${sql.placeholder(name)}::integer[])`;
}

/**
 * Whole rows of `table` whose integer `column` is among the ids: the by-id loaders' statement, one prepared text
 * for any number of ids.
 */
export function rowsByIds<T extends PgTable>(db: Db, table: T, column: PgColumn): (ids: number[]) => Promise<T['$inferSelect'][]> {
  const name = `${getTableName(table)}By_${column.name}`;
  return (ids) =>
    preparedFor(db, name, (d) => d.select().from(table as PgTable).where(inIds(column, 'ids')).prepare(name)).execute({ ids }) as Promise<
      T['$inferSelect'][]
    >;
}
