import type { Db } from '../db/client.js';
import { sources } from '../db/schema.js';
import { rowsByIds } from './prepared.js';
import { byKeyLoader } from './util.js';

export type SourceRow = typeof sources.$inferSelect;

export function createSourceLoaders(db: Db) {
  const sourceById = byKeyLoader<number, SourceRow>(
    rowsByIds(db, sources, sources.id),
    (s) => s.id,
  );
  return { sourceById };
}
