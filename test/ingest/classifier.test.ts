import { describe, expect, it } from 'vitest';
import { bestF1Threshold, fitSigmoid, applySigmoid } from '../../src/ingest/extract/classifier/calibrate.js';
import { NUMBER_TOKEN, termCounts, tokenize, vectorize } from '../../src/ingest/extract/classifier/features.js';
import { parseTopicModel, serializeTopicModel, TopicModel } from '../../src/ingest/extract/classifier/model.js';
import { margin, rng, trainLinearSvm } from '../../src/ingest/extract/classifier/svm.js';
import { trainTopicModel, type ClassSpec, type TrainingDocument } from '../../src/ingest/extract/classifier/train.js';

/** Synthetic news: each class has its own words, every document also draws from a shared pool. */
const WORDS: Record<string, string[]> = {
  football: ['goal', 'striker', 'league', 'match', 'referee', 'penalty', 'midfield', 'keeper'],
  cinema: ['film', 'actor', 'director', 'premiere', 'oscar', 'screen', 'cast', 'studio'],
  budget: ['tax', 'spending', 'deficit', 'treasury', 'minister', 'borrowing', 'chancellor', 'vat'],
  oil: ['crude', 'barrel', 'opec', 'refinery', 'pipeline', 'brent'],
  wheat: ['wheat', 'harvest', 'bushel', 'grain', 'flour', 'acreage'],
};
const SHARED = ['said', 'year', 'new', 'people', 'week', 'report', 'time', 'group', 'plan', 'day', 'told', 'last'];

function synthetic(seed: number): TrainingDocument[] {
  const random = rng(seed);
  const pick = (list: string[]): string => list[Math.floor(random() * list.length)] as string;
  const sentence = (classes: string[]): string =>
    Array.from({ length: 12 }, () => (random() < 0.35 && classes.length ? pick(WORDS[pick(classes)] as string[]) : pick(SHARED))).join(' ');
  const docs: TrainingDocument[] = [];
  for (let i = 0; i < 90; i++) {
    const label = (['football', 'cinema', 'budget'] as const)[i % 3] as string;
    docs.push({ corpus: 'sections', labels: [label], doc: { headline: sentence([label]).slice(0, 40), paragraphs: [sentence([label]), sentence([label])] } });
  }
  for (let i = 0; i < 80; i++) {
    const labels = [i % 4 === 0 || i % 4 === 3 ? 'oil' : null, i % 4 === 1 || i % 4 === 3 ? 'wheat' : null].filter((l): l is string => l !== null);
    docs.push({ corpus: 'wire', labels, doc: { headline: sentence(labels), paragraphs: [sentence(labels)] } });
  }
  return docs;
}

const CLASSES: ClassSpec[] = [
  { corpus: 'sections', label: 'football', kind: 'single' },
  { corpus: 'sections', label: 'cinema', kind: 'single' },
  { corpus: 'sections', label: 'budget', kind: 'single' },
  { corpus: 'wire', label: 'oil', kind: 'multi' },
  { corpus: 'wire', label: 'wheat', kind: 'multi' },
];
const OPTIONS = { minDf: 1, topK: 40, keepWeights: 25, folds: 3 };

describe('features', () => {
  it('tokenizes to lower-case content words, folding numbers and possessives', () => {
    expect(tokenize("The Fed's rate rose to 5.25% from 5,000 in the U.S.")).toEqual(['fed', 'rate', 'rose', NUMBER_TOKEN, NUMBER_TOKEN, 'u.s']);
  });

  it('counts headline terms more and adds bigrams', () => {
    const counts = termCounts({ headline: 'Oil prices', paragraphs: ['Oil prices rose.'] });
    expect(counts.get('oil')).toBe(3);
    expect(counts.get('oil prices')).toBe(3);
    expect(counts.get('prices rose')).toBe(1);
  });

  it('builds L2-normalized log-TF·IDF vectors over a vocabulary', () => {
    const v = vectorize(new Map([['a', 1], ['b', Math.E], ['zzz', 5]]), new Map([['a', 0], ['b', 1]]), [1, 1]);
    expect([...v.indices]).toEqual([0, 1]);
    expect(v.values[1]! / v.values[0]!).toBeCloseTo(2);
    expect(v.values[0]! ** 2 + v.values[1]! ** 2).toBeCloseTo(1);
  });
});

describe('linear SVM trainer', () => {
  const random = rng(7);
  const points = Array.from({ length: 200 }, () => [random() * 2 - 1, random() * 2 - 1] as const).filter(([x, y]) => Math.abs(x + 2 * y - 0.3) > 0.1);
  const xs = points.map(([x, y]) => ({ indices: Int32Array.from([0, 1]), values: Float64Array.from([x, y]) }));
  const ys = points.map(([x, y]) => (x + 2 * y > 0.3 ? 1 : -1));

  it('separates a linearly separable problem, bias included', () => {
    for (const loss of ['hinge', 'squared-hinge'] as const) {
      const svm = trainLinearSvm(xs, ys, 2, { C: 100, loss, maxEpochs: 2000, tolerance: 1e-3 });
      const wrong = xs.filter((x, i) => Math.sign(margin(x, svm.weights, svm.bias)) !== ys[i]).length;
      expect(wrong, loss).toBe(0);
      expect(svm.weights[1]! / svm.weights[0]!).toBeCloseTo(2, 0);
      expect(svm.bias).toBeLessThan(0);
    }
  });

  it('is deterministic for a seed', () => {
    const a = trainLinearSvm(xs, ys, 2, { seed: 3 });
    const b = trainLinearSvm(xs, ys, 2, { seed: 3 });
    expect([...a.weights, a.bias]).toEqual([...b.weights, b.bias]);
  });
});

describe('calibration', () => {
  it('puts the F1-optimal threshold between distinct margins', () => {
    const { threshold, f1 } = bestF1Threshold([3, 2, 1, 0, -1, -2], [1, 1, -1, 1, -1, -1]);
    expect(threshold).toBeCloseTo(-0.5);
    expect(f1).toBeCloseTo(6 / 7);
    expect(bestF1Threshold([1, 1, 1], [1, -1, -1]).threshold).toBeLessThan(1);
  });

  it('fits an increasing sigmoid, pinned at a threshold when asked', () => {
    const ms = [-2, -1.5, -1, -0.5, 0, 0.5, 1, 1.5, 2, 0.2, -0.3];
    const ys = [-1, -1, -1, -1, 1, 1, 1, 1, 1, -1, 1];
    const free = fitSigmoid(ms, ys);
    expect(free.slope).toBeGreaterThan(0);
    expect(applySigmoid(free, 2)).toBeGreaterThan(0.8);
    const pinned = fitSigmoid(ms, ys, 0.25);
    expect(applySigmoid(pinned, 0.25)).toBeCloseTo(0.5, 10);
    expect(pinned.slope).toBeGreaterThan(0);
  });
});

describe('topic model training', () => {
  const docs = synthetic(11);
  const { file, report } = trainTopicModel(docs, CLASSES, OPTIONS);
  const model = new TopicModel(file);

  it('learns the toy topics: argmax for single-label, 0.5 for multi-label', () => {
    const fresh = synthetic(12);
    let right = 0;
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (const d of fresh) {
      const s = model.scores(d.doc);
      if (d.corpus === 'sections') {
        const best = ['football', 'cinema', 'budget'].sort((a, b) => s.get(`sections:${b}`)! - s.get(`sections:${a}`)!)[0];
        if (d.labels.includes(best!)) right++;
      } else {
        for (const l of ['oil', 'wheat']) {
          const predicted = s.get(`wire:${l}`)! >= 0.5;
          if (predicted && d.labels.includes(l)) tp++;
          else if (predicted) fp++;
          else if (d.labels.includes(l)) fn++;
        }
      }
    }
    expect(right / 90).toBeGreaterThan(0.95);
    expect((2 * tp) / (2 * tp + fp + fn)).toBeGreaterThan(0.9);
    expect(report.cv['sections.accuracy']).toBeGreaterThan(0.9);
    expect(report.cv['wire.microF1']).toBeGreaterThan(0.9);
  });

  it('scores in (0, 1) and names classes by corpus and label', () => {
    expect(file.classes.map((c) => c.id)).toEqual(['sections:football', 'sections:cinema', 'sections:budget', 'wire:oil', 'wire:wheat']);
    for (const p of model.scores({ headline: 'Nothing here', paragraphs: [] }).values()) {
      expect(p).toBeGreaterThan(0);
      expect(p).toBeLessThan(1);
    }
  });

  it('is reproducible byte for byte', () => {
    const again = trainTopicModel(synthetic(11), CLASSES, OPTIONS);
    expect(serializeTopicModel(again.file)).toBe(serializeTopicModel(file));
  });

  it('prunes to the vocabulary and weight bounds', () => {
    expect(file.terms.length).toBeLessThanOrEqual(OPTIONS.topK * CLASSES.length);
    expect(report.candidateTerms).toBeGreaterThan(file.terms.length);
    for (const c of file.classes) {
      expect(c.indices.length).toBeLessThanOrEqual(OPTIONS.keepWeights);
      expect(c.indices).toEqual([...c.indices].sort((a, b) => a - b));
      expect(Math.max(...c.indices)).toBeLessThan(file.terms.length);
    }
    expect(file.terms).toEqual([...file.terms].sort((a, b) => (a < b ? -1 : 1)));
  });

  it('survives serialization: same margins after a round trip', () => {
    const text = serializeTopicModel(file);
    const back = parseTopicModel(JSON.parse(text));
    expect(serializeTopicModel(back.file)).toBe(text);
    for (const d of docs.slice(0, 30)) {
      const a = model.margins(d.doc);
      const b = back.margins(d.doc);
      for (let i = 0; i < a.length; i++) expect(b[i]).toBeCloseTo(a[i]!, 10);
    }
  });

  it('rejects a model of another format or tokenizer', () => {
    expect(() => parseTopicModel({ ...file, format: 'other' })).toThrow(/expected news-graph\/topic-model/);
    expect(() => parseTopicModel({ ...file, featurizer: { ...file.featurizer, tokenizer: 99 } })).toThrow(/tokenizer v99/);
    const broken = { ...file, classes: [{ ...file.classes[0]!, indices: [file.terms.length], weights: [1] }] };
    expect(() => parseTopicModel(broken)).toThrow(/outside the vocabulary/);
  });
});
