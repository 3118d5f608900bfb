import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { printSchemaSDL } from '../../src/schema/print.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('schema.graphql', () => {
  it('matches the code-first schema', async () => {
    const committed = await readFile(path.join(root, 'schema.graphql'), 'utf8').catch(() => '');
    const printed = printSchemaSDL();
    if (committed !== printed) {
      expect.fail('schema.graphql is out of date with src/schema: run `npm run schema:print` and commit the result.');
    }
  });
});
