import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DbHandle } from '../../src/db/client.js';
import { createLoaders } from '../../src/loaders/index.js';
import { createTestDb } from '../support/db.js';

let handle: DbHandle;
beforeAll(async () => {
  handle = await createTestDb();
});
afterAll(async () => {
  await handle?.close();
});

it('makes a group of loaders on its first use, with the groups it depends on, and keeps it for the request', () => {
  const loaders = createLoaders(handle.db);
  expect(Object.keys(loaders)).toEqual([]);
  const quotes = loaders.quotesByArticleId;
  // Quotes prime their speakers into personById, so the people group is made with them; topics are not.
  expect(Object.keys(loaders)).toEqual(expect.arrayContaining(['quotesByArticleId', 'quoteById', 'personById']));
  expect(Object.keys(loaders)).not.toContain('topicsByArticleId');
  expect(loaders.quotesByArticleId).toBe(quotes);
  // Another request gets loaders of its own: caches never cross requests.
  expect(createLoaders(handle.db).quotesByArticleId).not.toBe(quotes);
});

it('shares the loaders a group was made with: a speaker primed by the quotes loader is in personById', async () => {
  const loaders = createLoaders(handle.db);
  const personById = loaders.personById;
  loaders.quotesByArticleId; // made after personById, it must prime that very loader
  personById.prime(424242, { id: 424242, key: 'k', name: 'N', aliases: [], mergedKeys: [] });
  expect(await loaders.personById.load(424242)).toMatchObject({ name: 'N' });
});
