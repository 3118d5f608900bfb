import { describe, expect, it } from 'vitest';
import { loadTopicModel } from '../../src/ingest/extract/classifier/model.js';
import { BBC_CATEGORIES, REUTERS_TOP10 } from '../../src/ingest/extract/classifier/corpora.js';
import { assignTopics, keywordScores, loadTaxonomy, parseKeyword, parseTaxonomy } from '../../src/ingest/extract/topics.js';

describe('taxonomy', () => {
  const taxonomy = loadTaxonomy();

  it('covers the required subjects with a consistent tree', () => {
    const slugs = new Set(taxonomy.map((t) => t.slug));
    for (const s of ['world', 'politics', 'business', 'technology', 'cyber-security', 'sport', 'entertainment', 'international-relations', 'us-china-relations', 'elections', 'trade', 'markets', 'energy', 'health', 'science', 'military', 'diplomacy', 'terrorism', 'crime-law']) {
      expect(slugs.has(s), s).toBe(true);
    }
    const parent = (slug: string) => taxonomy.find((t) => t.slug === slug)?.parent;
    expect(parent('cyber-security')).toBe('technology');
    expect(parent('us-china-relations')).toBe('international-relations');
    expect(loadTaxonomy()).toBe(taxonomy);
  });

  it('reads keyword forms and rejects broken trees', () => {
    expect(parseKeyword('cyber attack*:4')).toEqual({ phrase: 'cyber attack*', weight: 4 });
    expect(parseKeyword('Hacking')).toEqual({ phrase: 'hacking', weight: 1 });
    expect(parseKeyword({ phrase: 'u.s.:china', weight: 2 })).toEqual({ phrase: 'u.s.:china', weight: 2 });
    expect(() => parseTaxonomy([{ slug: 'a', name: 'A', parent: 'b', keywords: [] }])).toThrow(/unknown parent/);
    expect(() => parseTaxonomy([{ slug: 'a', name: 'A', parent: null, keywords: [] }, { slug: 'a', name: 'A', parent: null, keywords: [] }])).toThrow(/duplicate/);
    expect(() => parseTaxonomy([{ slug: 'a', name: 'A', parent: null, keywords: [], labels: { bbc: 'tech' } }])).toThrow(/labels must map/);
    expect(() =>
      parseTaxonomy([
        { slug: 'a', name: 'A', parent: null, keywords: [], labels: { bbc: ['tech'] } },
        { slug: 'b', name: 'B', parent: null, keywords: [], labels: { bbc: ['tech'] } },
      ]),
    ).toThrow(/bbc:tech is mapped by both a and b/);
    expect(parseTaxonomy([{ slug: 'a', name: 'A', parent: null, keywords: [] }])[0]?.labels).toEqual({});
  });

  it('maps every trained corpus label onto exactly one topic, Reuters topics under business', () => {
    const owner = (corpus: string, label: string) => taxonomy.filter((t) => t.labels[corpus]?.includes(label)).map((t) => t.slug);
    expect(BBC_CATEGORIES.map((c) => owner('bbc', c))).toEqual([['business'], ['entertainment'], ['politics'], ['sport'], ['technology']]);
    expect(REUTERS_TOP10.map((l) => owner('reuters', l))).toEqual([
      ['corporate-earnings'], ['mergers-acquisitions'], ['currencies'], ['grain'], ['oil'], ['trade'], ['interest-rates'], ['wheat'], ['shipping'], ['corn'],
    ]);
    const root = (slug: string): string => {
      const t = taxonomy.find((x) => x.slug === slug);
      return t?.parent ? root(t.parent) : slug;
    };
    for (const l of REUTERS_TOP10) expect(root(owner('reuters', l)[0]!), l).toBe('business');
    expect(taxonomy.find((t) => t.slug === 'wheat')?.parent).toBe('grain');
  });

  it('weights the headline, credits parents and orders by score', () => {
    const doc = { headline: 'Hackers hit bank networks', paragraphs: ['The bank said hackers stole data in a cyber attack on Monday.'] };
    const topics = assignTopics(doc, taxonomy);
    expect(topics[0]?.slug).toBe('cyber-security');
    expect(topics.map((t) => t.slug)).toContain('technology');
    for (let i = 1; i < topics.length; i++) expect(topics[i - 1]!.score).toBeGreaterThanOrEqual(topics[i]!.score);
    expect(assignTopics({ headline: 'Nothing', paragraphs: ['Plain words.'] }, taxonomy)).toEqual([]);
    expect(assignTopics({ headline: '', paragraphs: [] }, taxonomy)).toEqual([]);
  });
});

describe('topics from the trained model', () => {
  const taxonomy = loadTaxonomy();
  const model = loadTopicModel();

  it('ships a model whose every class the taxonomy maps', () => {
    expect(model, 'data/topic-model.json (npm run train:topics)').not.toBeNull();
    const mapped = new Set(taxonomy.flatMap((t) => Object.entries(t.labels).flatMap(([c, ls]) => ls.map((l) => `${c}:${l}`))));
    for (const c of model!.classes) expect(mapped.has(c.id), c.id).toBe(true);
    expect(model!.classes.map((c) => c.id)).toEqual([...BBC_CATEGORIES.map((c) => `bbc:${c}`), ...REUTERS_TOP10.map((l) => `reuters:${l}`)]);
  });

  const match = {
    headline: 'Striker scores twice as United win the derby',
    paragraphs: [
      'Wayne Rooney scored twice in the second half as Manchester United beat City 2-0 in the Premiership on Sunday.',
      'The England striker, who missed a penalty before the break, said the team had shown character. Sir Alex Ferguson praised his midfield.',
    ],
  };

  it('scores a trained topic with the model probability, not its keywords', () => {
    const topics = assignTopics(match, taxonomy, model);
    const probability = model!.scores(match).get('bbc:sport')!;
    expect(topics[0]).toEqual({ slug: 'sport', score: Math.round(probability * 1000) / 1000 });
    expect(probability).toBeGreaterThan(0.9);
    expect(topics.every((t) => t.score > 0 && t.score <= 1)).toBe(true);
  });

  it('lists a confident specific topic before its parent, both present', () => {
    const doc = {
      headline: 'Exporters gain as trade surplus widens',
      paragraphs: [
        'Japan said its trade surplus with the United States widened in March as exports of cars and electronics rose, adding to pressure from Washington for tariffs on Japanese imports.',
        'Trade officials from both countries will meet next week to discuss the deficit and market access for U.S. goods.',
      ],
    };
    const topics = assignTopics(doc, taxonomy, model);
    const slugs = topics.map((t) => t.slug);
    expect(slugs[0]).toBe('trade');
    expect(slugs).toContain('business');
    const scores = topics.map((t) => t.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it('keeps keyword-only topics and falls back to keywords without a model', () => {
    const doc = { headline: 'Hackers hit bank networks', paragraphs: ['The bank said hackers stole data in a cyber attack on Monday.'] };
    expect(assignTopics(doc, taxonomy, model)[0]?.slug).toBe('cyber-security');
    const plain = assignTopics(match, taxonomy, null);
    expect(plain[0]?.slug).toBe('sport');
    const kw = keywordScores(match, taxonomy).get('sport')!;
    expect(plain[0]?.score).toBeCloseTo(kw, 3);
  });
});
