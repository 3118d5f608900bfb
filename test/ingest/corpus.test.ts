import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { extract, loadTaxonomy } from '../../src/ingest/extract/index.js';
import { parseDocument } from '../../src/ingest/parse/index.js';
import { bodyOf } from '../../src/ingest/types.js';

const BBC = fileURLToPath(new URL('../../../shared/corpus/bbc', import.meta.url));
const present = existsSync(BBC);
if (!present) console.warn(`BBC corpus not found at ${BBC} (../shared is absent): skipping the corpus smoke test`);

const CATEGORIES = ['business', 'entertainment', 'politics', 'sport', 'tech'];
const PER_CATEGORY = 40;

describe.skipIf(!present)('BBC corpus smoke test (plain format)', () => {
  it(`parses and extracts ${PER_CATEGORY} articles per category with exact spans`, () => {
    const taxonomy = loadTaxonomy();
    let topHits = 0;
    let total = 0;
    for (const category of CATEGORIES) {
      const files = readdirSync(`${BBC}/${category}`).filter((f) => f.endsWith('.txt')).sort().slice(0, PER_CATEGORY);
      for (const file of files) {
        const doc = parseDocument(readFileSync(`${BBC}/${category}/${file}`, 'utf8'));
        expect(doc.format).toBe('plain');
        const x = extract(doc);
        const body = bodyOf(doc);
        for (const q of x.quotes) expect(body.slice(q.start, q.end), `${category}/${file}`).toBe(q.text);
        for (const p of x.people) for (const m of p.mentions) expect(m.end).toBeLessThanOrEqual(body.length);
        const keys = new Set(x.people.map((p) => p.key));
        for (const q of x.quotes) if (q.speakerKey) expect(keys.has(q.speakerKey)).toBe(true);
        for (const t of x.topics) expect(t.score > 0 && t.score <= 1).toBe(true);
        total++;
        // The first topic or its parent should match the corpus label.
        const first = x.topics[0]?.slug ?? '';
        const label = category === 'tech' ? 'technology' : category;
        const root = taxonomy.find((t) => t.slug === first)?.parent ?? first;
        if (first === label || root === label) topHits++;
      }
    }
    // Keyword topics are a baseline, not a classifier; they should still agree with most corpus labels.
    expect(topHits / total).toBeGreaterThan(0.7);
  });
});
