import type { SQL } from 'drizzle-orm';
import type { Db } from './client.js';

/** Rows of a raw statement, whichever driver runs it (postgres.js returns an array, PGlite `{ rows }`). */
export async function rowsOf<T>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown;
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

/**
 * A PostgreSQL array literal, sent as one text parameter and cast in the statement (`::int[]`, `::text[]`):
 * both drivers pass it through unchanged, whatever the array's length.
 */
export function arrayLiteral(values: readonly (string | number)[]): string {
  return `{${values.map((v) => (typeof v === 'number' ? String(v) : `"${v.replace(/["\\]/g, '\\$&')}"`)).join(',')}}`;
}
