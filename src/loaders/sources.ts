import { inArray } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { sources } from '../db/schema.js';
import { byKeyLoader } from './util.js';

export type SourceRow = typeof sources.$inferSelect;

export function createSourceLoaders(db: Db) {
  const sourceById = byKeyLoader<number, SourceRow>(
    (ids) => db.select().from(sources).where(inArray(sources.id, ids)),
    (s) => s.id,
  );
  return { sourceById };
}
