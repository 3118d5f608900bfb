import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { evaluateBbc, evaluateReuters } from '../../src/ingest/extract/classifier/eval.js';

// Held-out topic quality, end to end through assignTopics with the bundled model (issue 3, section 4).
const CORPUS = fileURLToPath(new URL('../../../shared/corpus', import.meta.url));
const present = existsSync(`${CORPUS}/bbc`) && existsSync(`${CORPUS}/reuters21578`);
if (!present) console.warn(`corpora not found at ${CORPUS} (../shared is absent): skipping the held-out topic evaluation`);

describe.skipIf(!present)('topic model on held-out corpus data', () => {
  it('reaches BBC 5-category accuracy ≥ 0.95 on the held-out 20%', async () => {
    const r = await evaluateBbc(`${CORPUS}/bbc`);
    expect(r.n).toBe(426); // 2,127 distinct stories, 20% per category, rounded
    expect(r.accuracy, JSON.stringify(r.errors.slice(0, 10))).toBeGreaterThanOrEqual(0.95);
    for (const [c, f] of Object.entries(r.perCategory)) expect(f.f1, c).toBeGreaterThan(0.9);
  }, 60_000);

  it('reaches Reuters ModApte micro-F1 ≥ 0.88 over the ten most frequent topics', async () => {
    const r = await evaluateReuters(`${CORPUS}/reuters21578`);
    expect(r.n).toBe(3299);
    expect(r.microF1).toBeGreaterThanOrEqual(0.88);
    expect(r.perTopic.earn?.f1).toBeGreaterThan(0.95);
  }, 60_000);
});
