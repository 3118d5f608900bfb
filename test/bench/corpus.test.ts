import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCorpus } from '../../bench/corpus.js';
import { targets, type Results } from '../../bench/report.js';
import { DEFAULT_CORPUS_DIR } from '../../src/eval/corpus.js';
import { contentHash } from '../../src/ingest/normalize.js';
import { prepare } from '../../src/ingest/pipeline.js';

const haveCorpus = fs.existsSync(path.join(DEFAULT_CORPUS_DIR, 'bbc/manifest.tsv')) && fs.existsSync(path.join(DEFAULT_CORPUS_DIR, 'reuters21578'));

describe.skipIf(!haveCorpus)('the benchmark corpus', () => {
  it('is every real story once, then dated, re-sourced copies with their own URL and content hash', async () => {
    const corpus = await buildCorpus(30_000);
    const base = corpus.baseStories.bbc + corpus.baseStories.reuters;
    expect(corpus.inputs).toHaveLength(30_000);
    expect(corpus.rounds).toBe(2);
    expect(new Set(corpus.inputs.map((i) => i.url)).size).toBe(30_000);
    expect(new Set(corpus.inputs.map((i) => contentHash(i.raw))).size).toBe(30_000);
    expect(corpus.inputs.slice(0, base).every((i) => i.source === 'Reuters' || i.source === 'BBC News')).toBe(true);
    expect(corpus.inputs.slice(base).every((i) => i.source === 'Syndicate 1' && i.url!.endsWith('/r1'))).toBe(true);

    // A copy is its original a year later, word for word.
    for (const kind of ['reuters', 'bbc']) {
      const copy = corpus.inputs.slice(base).find((i) => i.url!.includes(`//${kind}.`))!;
      const original = corpus.inputs.find((i) => i.url === copy.url!.replace(/\/r1$/, ''))!;
      const [a, b] = [prepare(original), prepare(copy)];
      if (!a.ok || !b.ok) throw new Error(`${kind} copy or original did not parse`);
      expect(b.doc.headline).toBe(a.doc.headline);
      expect(b.doc.paragraphs).toEqual(a.doc.paragraphs);
      expect(b.doc.publishedAt!.getUTCFullYear()).toBe(a.doc.publishedAt!.getUTCFullYear() + 1);
    }
  }, 60_000);

  it('builds the same stream every time', async () => {
    const [a, b] = await Promise.all([buildCorpus(500), buildCorpus(500)]);
    expect(a.inputs.map((i) => i.url)).toEqual(b.inputs.map((i) => i.url));
  }, 60_000);
});

describe('benchmark targets', () => {
  const row = (server: 'ours' | 'postgraphile', query: 'page' | 'article', reqPerSec: number, p99Ms = 10) => ({
    server, variant: 'default' as const, query, reqPerSec, p99Ms, p50Ms: 1, requests: 1, failures: 0, seconds: 1,
    distinctInputs: 1, statementsPerRequest: 1, serverCpuMsPerRequest: 1, dbCpuMsPerRequest: 1,
  });
  const results = (articles: number, perSecond: number, reads: ReturnType<typeof row>[]) =>
    ({ corpus: { articles }, ingest: { postgres: { perSecond, seconds: 10, cached: false } }, reads }) as unknown as Results;

  it('meets the read target at 1.2× PostGraphile and misses it below', () => {
    const t = targets(results(100_000, 300, [row('ours', 'page', 120), row('postgraphile', 'page', 100), row('ours', 'article', 119), row('postgraphile', 'article', 100)]));
    expect(t.map((x) => x.met)).toEqual([true, false, true, true]);
  });

  it('never counts the p99 target as met below 100,000 articles, nor ingest below 300 articles/s', () => {
    const t = targets(results(5_000, 299.9, [row('ours', 'article', 10, 5), row('postgraphile', 'article', 1)]));
    expect(t.find((x) => x.name.startsWith('query 2 p99'))!.met).toBe(false);
    expect(t.find((x) => x.name.startsWith('ingest'))!.met).toBe(false);
  });
});
