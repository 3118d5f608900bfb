import { describe, expect, it } from 'vitest';
import { assignTopics, loadTaxonomy, parseKeyword, parseTaxonomy } from '../../src/ingest/extract/topics.js';

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
  });

  it('weights the headline, credits parents and orders by score', () => {
    const doc = { headline: 'Hackers hit bank networks', paragraphs: ['The bank said hackers stole data in a cyber attack on Monday.'] };
    const topics = assignTopics(doc, taxonomy);
    expect(topics[0]?.slug).toBe('cyber-security');
    expect(topics.map((t) => t.slug)).toContain('technology');
    for (let i = 1; i < topics.length; i++) expect(topics[i - 1]!.score).toBeGreaterThanOrEqual(topics[i]!.score);
    expect(assignTopics({ headline: 'Nothing', paragraphs: ['Plain words.'] }, taxonomy)).toEqual([]);
  });
});
