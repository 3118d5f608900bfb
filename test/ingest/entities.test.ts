import { describe, expect, it } from 'vitest';
import { extract } from '../../src/ingest/extract/index.js';
import type { ParsedDocument } from '../../src/ingest/types.js';

function doc(paragraphs: string[]): ParsedDocument {
  return { format: 'plain', headline: 'Test story', publishedAt: null, dateline: null, paragraphs, editors: [], pageLinks: [], source: null, language: 'en', url: null };
}

describe('organizations and places', () => {
  const ex = extract(
    doc([
      'The Bank of England kept rates on hold, the Ministry of Finance in Nairobi said, while Acme Holdings Inc and Baxter Co agreed a merger.',
      'Officials from the IMF met Kenyan traders in Mombasa and London. Finance Minister Grace Banda said Kenya would repay the loan.',
    ]),
  );
  const orgs = ex.organizations.map((o) => o.name);
  const places = ex.places.map((p) => p.name);

  it('finds organizations by their head words, connectors included', () => {
    expect(orgs).toEqual(expect.arrayContaining(['Bank of England', 'Ministry of Finance', 'IMF']));
  });

  it('splits two companies joined by "and"', () => {
    expect(orgs).toEqual(expect.arrayContaining(['Acme Holdings Inc', 'Baxter Co']));
    expect(orgs.some((o) => o.includes(' and '))).toBe(false);
  });

  it('finds known places but not demonyms, and never a person', () => {
    expect(places).toEqual(expect.arrayContaining(['London', 'Kenya']));
    expect(places).not.toContain('Kenyan');
    expect([...orgs, ...places]).not.toContain('Grace Banda');
  });

  it('keeps one entity per name with every mention, in order of first mention', () => {
    const twice = extract(doc(['The IMF said so.', 'Later the IMF said it again in London.']));
    expect(twice.organizations).toHaveLength(1);
    expect(twice.organizations[0]!.mentions).toHaveLength(2);
    const body = 'The IMF said so.\n\nLater the IMF said it again in London.';
    for (const m of twice.organizations[0]!.mentions) expect(body.slice(m.start, m.end)).toBe('IMF');
  });
});
