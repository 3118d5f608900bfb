import { writeFile } from 'node:fs/promises';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { schema } from './index.js';

/** The schema as SDL, types and fields sorted so the printed file diffs cleanly. */
export function printSchemaSDL(): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}

/** Writes the printed schema (schema.graphql); called by `npm run schema:print`, never on import. */
export async function writeSchemaFile(path: string): Promise<void> {
  await writeFile(path, printSchemaSDL(), 'utf8');
}
