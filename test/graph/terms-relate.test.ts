import { describe, expect, it } from 'vitest';
import { scoreRelation, WEIGHTS } from '../../src/graph/relate.js';
import { signatureSimilarity, termSignature, tokenize } from '../../src/graph/terms.js';

const names = {
  topics: new Map([[1, 'Cyber security'], [2, 'Sport']]),
  people: new Map([[10, 'Ada Osei']]),
  events: new Map([[20, 'Annual Security Forum']]),
};

function profile(id: number, p: Partial<{ terms: string[]; topics: [number, number][]; people: number[]; events: number[] }>) {
  return {
    id,
    terms: p.terms ?? [],
    topics: new Map(p.topics ?? []),
    people: new Set(p.people ?? []),
    events: new Set(p.events ?? []),
  };
}

describe('term signatures', () => {
  it('drops stopwords and folds plurals', () => {
    expect(tokenize('The hackers said that attacks were growing')).toEqual(['hacker', 'attack', 'growing']);
  });

  it('weights headline terms above body terms', () => {
    const sig = termSignature('Drought hits farmers', 'Rain rain rain fell elsewhere.');
    expect(sig.indexOf('drought')).toBeLessThan(sig.indexOf('rain'));
  });

  it('scores identical signatures 1 and disjoint ones 0', () => {
    expect(signatureSimilarity(['a', 'b'], ['a', 'b'])).toBeCloseTo(1);
    expect(signatureSimilarity(['a', 'b'], ['c'])).toBe(0);
    expect(signatureSimilarity([], ['c'])).toBe(0);
  });
});

describe('scoreRelation', () => {
  it('gives a reason per shared person, event and topic plus text similarity, summing to the score', () => {
    const self = profile(1, { terms: ['cyber', 'hacker', 'dialogue'], topics: [[1, 0.9]], people: [10], events: [20] });
    const other = profile(2, { terms: ['cyber', 'hacker', 'norm'], topics: [[1, 0.5], [2, 0.4]], people: [10], events: [20] });
    const r = scoreRelation(self, other, names);
    expect(r.relatedId).toBe(2);
    expect(r.reasons.map((x) => x.kind).sort()).toEqual(['SHARED_EVENT', 'SHARED_PERSON', 'SHARED_TOPIC', 'TEXT_SIMILARITY']);
    expect(r.reasons.find((x) => x.kind === 'SHARED_PERSON')?.label).toBe('Ada Osei');
    expect(r.reasons.find((x) => x.kind === 'SHARED_TOPIC')?.weight).toBeCloseTo(WEIGHTS.topic * 0.5);
    const sum = r.reasons.reduce((s, x) => s + x.weight, 0);
    expect(r.score).toBeCloseTo(sum, 4);
  });

  it('scores stories with nothing in common at zero, with no reasons', () => {
    const r = scoreRelation(profile(1, { terms: ['a'] }), profile(2, { terms: ['b'] }), names);
    expect(r.score).toBe(0);
    expect(r.reasons).toEqual([]);
  });
});
