import { describe, expect, it } from 'vitest';
import { andThen, BatchLoader } from '../../src/loaders/util.js';

function squares() {
  const batches: number[][] = [];
  const loader = new BatchLoader<number, number>(async (keys) => {
    batches.push([...keys]);
    return keys.map((k) => (k < 0 ? new Error(`negative ${k}`) : k * k));
  });
  return { loader, batches };
}

describe('BatchLoader.get', () => {
  it('answers a primed key without a promise and without a batch', () => {
    const { loader, batches } = squares();
    loader.prime(3, 10);
    expect(loader.get(3)).toBe(10);
    expect(batches).toEqual([]);
  });

  it('answers a loaded key without a promise once it has arrived, and loads an unknown one', async () => {
    const { loader, batches } = squares();
    const pending = loader.get(4);
    expect(pending).toBeInstanceOf(Promise);
    expect(await pending).toBe(16);
    expect(loader.get(4)).toBe(16);
    expect(batches).toEqual([[4]]);
  });

  it('keeps the first value like DataLoader, forgets a cleared key, and never remembers an error', async () => {
    const { loader } = squares();
    loader.prime(2, 5).prime(2, 6);
    expect(loader.get(2)).toBe(5);
    loader.clear(2);
    expect(await loader.get(2)).toBe(4);
    await expect(loader.get(-1)).rejects.toThrow('negative -1');
    const again = loader.get(-1);
    expect(again).toBeInstanceOf(Promise);
    await expect(again).rejects.toThrow('negative -1');
    loader.clearAll();
    expect(loader.get(2)).toBeInstanceOf(Promise);
  });

  it('uses the cache key function for object keys', () => {
    const loader = new BatchLoader<{ id: number; n: number }, string, string>(async (keys) => keys.map((k) => `${k.id}/${k.n}`), {
      cacheKeyFn: (k) => `${k.id}:${k.n}`,
    });
    loader.prime({ id: 1, n: 5 }, 'primed');
    expect(loader.get({ id: 1, n: 5 })).toBe('primed');
    expect(loader.get({ id: 1, n: 6 })).toBeInstanceOf(Promise);
  });
});

describe('andThen', () => {
  it('stays synchronous for a plain value and chains a promise', async () => {
    expect(andThen(2, (v) => v + 1)).toBe(3);
    const chained = andThen(Promise.resolve(2), (v) => v + 1);
    expect(chained).toBeInstanceOf(Promise);
    expect(await chained).toBe(3);
  });
});
