import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ExtractedTopic, ParsedDocument } from '../types.js';

/**
 * Topic assignment by keyword scoring over data/taxonomy.json (a trained model replaces it later behind the
 * same `assignTopics` interface).
 *
 * Keywords are strings: `"phrase"` (weight 1) or `"phrase:weight"`, or objects `{ "phrase", "weight" }`.
 * Matching is case-insensitive on whole words; a trailing `*` matches any word ending ("hacker*").
 * Within one topic, longer phrases claim their text first, so "cyber security" does not also count "cyber".
 *
 * Score: keyword weight × hits, headline hits ×3, divided by √(words) so long articles do not win by length;
 * each parent adds 40% of its children's evidence; the sum is squashed into (0,1] by 1 − e^(−x).
 * Topics under MIN_SCORE are dropped and at most MAX_TOPICS are returned, strongest first.
 */

export interface TaxonomyKeyword {
  phrase: string;
  weight: number;
}

export interface TaxonomyTopic {
  slug: string;
  name: string;
  parent: string | null;
  description: string;
  keywords: TaxonomyKeyword[];
}

type RawKeyword = string | { phrase: string; weight?: number };

const HEADLINE_WEIGHT = 3;
const PARENT_SHARE = 0.4;
const MIN_SCORE = 0.2;
const MAX_TOPICS = 5;
const SCALE = 0.6;

export const TAXONOMY_PATH = fileURLToPath(new URL('../../../data/taxonomy.json', import.meta.url));

let cached: TaxonomyTopic[] | null = null;

export function parseKeyword(raw: RawKeyword): TaxonomyKeyword {
  if (typeof raw !== 'string') return { phrase: raw.phrase.toLowerCase(), weight: raw.weight ?? 1 };
  const m = /^(.*?):(\d+(?:\.\d+)?)$/.exec(raw);
  return m ? { phrase: (m[1] ?? '').toLowerCase(), weight: Number(m[2]) } : { phrase: raw.toLowerCase(), weight: 1 };
}

/** Validates taxonomy JSON: unique slugs, known parents, no cycles. */
export function parseTaxonomy(json: unknown): TaxonomyTopic[] {
  if (!Array.isArray(json)) throw new Error('taxonomy: expected an array of topics');
  const topics = json.map((t: unknown, i): TaxonomyTopic => {
    const o = t as Record<string, unknown>;
    if (typeof o?.slug !== 'string' || typeof o.name !== 'string') throw new Error(`taxonomy[${i}]: slug and name are required`);
    if (o.parent !== null && typeof o.parent !== 'string') throw new Error(`taxonomy[${i}] ${o.slug}: parent must be a slug or null`);
    if (!Array.isArray(o.keywords)) throw new Error(`taxonomy[${i}] ${o.slug}: keywords must be an array`);
    return {
      slug: o.slug,
      name: o.name,
      parent: (o.parent as string | null) ?? null,
      description: typeof o.description === 'string' ? o.description : '',
      keywords: (o.keywords as RawKeyword[]).map(parseKeyword),
    };
  });
  const slugs = new Set<string>();
  for (const t of topics) {
    if (slugs.has(t.slug)) throw new Error(`taxonomy: duplicate slug ${t.slug}`);
    slugs.add(t.slug);
  }
  const bySlug = new Map(topics.map((t) => [t.slug, t]));
  for (const t of topics) {
    const seen = new Set<string>();
    for (let p = t.parent; p !== null; p = bySlug.get(p)?.parent ?? null) {
      if (!bySlug.has(p)) throw new Error(`taxonomy: ${t.slug} has unknown parent ${p}`);
      if (seen.has(p)) throw new Error(`taxonomy: parent cycle at ${t.slug}`);
      seen.add(p);
    }
  }
  return topics;
}

export function loadTaxonomy(): TaxonomyTopic[] {
  cached ??= parseTaxonomy(JSON.parse(readFileSync(TAXONOMY_PATH, 'utf8')));
  return cached;
}

const compiled = new WeakMap<TaxonomyTopic[], Array<{ topic: TaxonomyTopic; patterns: Array<{ re: RegExp; weight: number }> }>>();

function keywordPattern(phrase: string): RegExp {
  const wildcard = phrase.endsWith('*');
  const words = (wildcard ? phrase.slice(0, -1) : phrase).trim().split(/\s+/);
  const body = words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('\\s+');
  return new RegExp(`(?<![\\p{L}\\p{N}])${body}${wildcard ? '[\\p{L}\\p{N}]*' : ''}(?![\\p{L}\\p{N}])`, 'gu');
}

function compile(taxonomy: TaxonomyTopic[]) {
  let c = compiled.get(taxonomy);
  if (!c) {
    c = taxonomy.map((topic) => ({
      topic,
      patterns: [...topic.keywords]
        .sort((a, b) => b.phrase.length - a.phrase.length)
        .map((k) => ({ re: keywordPattern(k.phrase), weight: k.weight })),
    }));
    compiled.set(taxonomy, c);
  }
  return c;
}

function normalize(text: string): string {
  return text.normalize('NFKC').replace(/[’‘]/g, "'").replace(/[‐-―]/g, '-').toLowerCase();
}

/** Weighted hits of one topic's keywords; longer phrases mask the text they cover. */
function evidence(text: string, patterns: Array<{ re: RegExp; weight: number }>): number {
  let rest = text;
  let total = 0;
  for (const { re, weight } of patterns) {
    re.lastIndex = 0;
    rest = rest.replace(re, (m) => {
      total += weight;
      return ' '.repeat(m.length);
    });
  }
  return total;
}

export function assignTopics(doc: Pick<ParsedDocument, 'headline' | 'paragraphs'>, taxonomy: TaxonomyTopic[]): ExtractedTopic[] {
  const headline = normalize(doc.headline);
  const body = normalize(doc.paragraphs.join('\n\n'));
  const words = (headline.match(/\S+/g)?.length ?? 0) + (body.match(/\S+/g)?.length ?? 0);
  if (words === 0) return [];

  const raw = new Map<string, number>();
  for (const { topic, patterns } of compile(taxonomy)) {
    raw.set(topic.slug, HEADLINE_WEIGHT * evidence(headline, patterns) + evidence(body, patterns));
  }
  // Children before parents: deepest first.
  const bySlug = new Map(taxonomy.map((t) => [t.slug, t]));
  const depth = (t: TaxonomyTopic): number => (t.parent ? 1 + depth(bySlug.get(t.parent) as TaxonomyTopic) : 0);
  const total = new Map(raw);
  for (const t of [...taxonomy].sort((a, b) => depth(b) - depth(a))) {
    if (t.parent) total.set(t.parent, (total.get(t.parent) ?? 0) + PARENT_SHARE * (total.get(t.slug) ?? 0));
  }

  const lengthNorm = Math.sqrt(Math.max(words, 50));
  return [...total.entries()]
    .map(([slug, x]) => ({ slug, score: 1 - Math.exp((-SCALE * x) / lengthNorm) }))
    .filter((t) => t.score >= MIN_SCORE)
    .sort((a, b) => b.score - a.score || a.slug.localeCompare(b.slug))
    .slice(0, MAX_TOPICS)
    .map((t) => ({ slug: t.slug, score: Math.round(t.score * 1000) / 1000 }));
}
