import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { quoteAttribution, type GoldSet } from '../../src/eval/measures.js';

/** The quote scorer on a one-story corpus written here, with a gold set labelled the gold's way. */
const corpus = fs.mkdtempSync(path.join(os.tmpdir(), 'ng-quote-scoring-'));
fs.mkdirSync(path.join(corpus, 'bbc/test'), { recursive: true });
fs.writeFileSync(
  path.join(corpus, 'bbc/test/001.txt'),
  [
    'Harbour plan approved',
    '',
    'Port director Helen Marsh welcomed the vote on Tuesday.',
    '',
    '"This gives the town a working harbour again," said Ms Marsh, "and it brings back the ferry to the islands."',
    '',
    '"We will start dredging in the spring," Ms Marsh added. "The first boats can sail by the summer," harbour master Tom Reid said.',
    '',
  ].join('\n'),
);
afterAll(() => fs.rmSync(corpus, { recursive: true, force: true }));

const gold: GoldSet = {
  stories: ['bbc/test/001.txt'],
  quotes: [
    // One quote, interrupted by its cue, anchored at its first half (quote-gold.md).
    { story: 'bbc/test/001.txt', kind: 'DIRECT', anchor: 'This gives the town a working harbour again', speaker: 'Helen Marsh', speakerType: 'PERSON' },
    { story: 'bbc/test/001.txt', kind: 'DIRECT', anchor: 'We will start dredging in the spring', speaker: 'Helen Marsh', speakerType: 'PERSON' },
    { story: 'bbc/test/001.txt', kind: 'DIRECT', anchor: 'The first boats can sail by the summer', speaker: 'Tom Reid', speakerType: 'PERSON' },
  ],
};

describe('quote attribution scoring', () => {
  it('scores each extracted piece on its own by default: the second half of an interrupted quote covers no anchor', async () => {
    const scores = await quoteAttribution(corpus, gold);
    expect(scores.attributed).toBe(4);
    expect(scores.correct).toBe(3);
    expect(scores.recall).toBe(1);
  });

  it('joins the halves of an interrupted quotation with one speaker when the gold set counts it as one quote', async () => {
    const scores = await quoteAttribution(corpus, gold, { interruptedQuoteIsOne: true });
    expect(scores.attributed).toBe(3);
    expect(scores.correct).toBe(3);
    expect(scores.precision).toBe(1);
  });

  it('never joins neighbouring quotations of two speakers or two quotations not split by a cue', async () => {
    const wrong: GoldSet = { ...gold, quotes: gold.quotes.map((q) => (q.speaker === 'Tom Reid' ? { ...q, speaker: 'Helen Marsh' } : q)) };
    const scores = await quoteAttribution(corpus, wrong, { interruptedQuoteIsOne: true });
    expect(scores.attributed).toBe(3);
    expect(scores.correct).toBe(2);
  });
});
