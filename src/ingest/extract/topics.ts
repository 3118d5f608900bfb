import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ExtractedTopic, ParsedDocument } from '../types.js';
import { loadTopicModel, type TopicModel } from './classifier/model.js';

/**
 * Topic assignment over data/taxonomy.json, from two sources:
 * - A trained model (data/topic-model.json, `npm run train:topics`; see ./classifier/) scores every topic whose
 *   `labels` name a class it was trained on, e.g. `"labels": { "bbc": ["tech"] }` or `{ "reuters": ["earn"] }`:
 *   the topic's own score is the highest calibrated probability among its classes.
 * - Keyword scoring gives the own score of every other topic (cyber-security, us-china-relations, elections...),
 *   and of all topics when no model is present.
 * A parent's score is at least PARENT_SHARE of its strongest child's, so "technology" follows "cyber-security";
 * a child scored at least CONFIDENT rises to its parent's score, and ties list the more specific topic first.
 *
 * Keywords are strings: `"phrase"` (weight 1) or `"phrase:weight"`, or objects `{ "phrase", "weight" }`.
 * Matching is case-insensitive on whole words; a trailing `*` matches any word ending ("hacker*").
 * Within one topic, longer phrases claim their text first, so "cyber security" does not also count "cyber".
 *
 * Keyword score: weight × hits, headline hits ×3, divided by √(words) so long articles do not win by length;
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
  /** Corpus labels this topic stands for, by corpus: the classes of the trained model that score it. */
  labels: Record<string, string[]>;
}

type RawKeyword = string | { phrase: string; weight?: number };

const HEADLINE_WEIGHT = 3;
const PARENT_SHARE = 0.4;
const MIN_SCORE = 0.2;
const MAX_TOPICS = 5;
const SCALE = 0.6;
/** Model scores are calibrated so that a multi-label class is assigned from 0.5 up (see classifier/eval.ts). */
const CONFIDENT = 0.5;

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
    const labels = o.labels ?? {};
    if (typeof labels !== 'object' || Array.isArray(labels) || Object.values(labels).some((v) => !Array.isArray(v) || v.some((l) => typeof l !== 'string'))) {
      throw new Error(`taxonomy[${i}] ${o.slug}: labels must map a corpus name to an array of label strings`);
    }
    return {
      slug: o.slug,
      name: o.name,
      parent: (o.parent as string | null) ?? null,
      description: typeof o.description === 'string' ? o.description : '',
      keywords: (o.keywords as RawKeyword[]).map(parseKeyword),
      labels: labels as Record<string, string[]>,
    };
  });
  const slugs = new Set<string>();
  for (const t of topics) {
    if (slugs.has(t.slug)) throw new Error(`taxonomy: duplicate slug ${t.slug}`);
    slugs.add(t.slug);
  }
  const owners = new Map<string, string>();
  for (const t of topics) {
    for (const [corpus, list] of Object.entries(t.labels)) {
      for (const label of list) {
        const key = `${corpus}:${label}`;
        const other = owners.get(key);
        if (other) throw new Error(`taxonomy: label ${key} is mapped by both ${other} and ${t.slug}`);
        owners.set(key, t.slug);
      }
    }
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

/** A keyword's matcher and a word any match must contain, checked first because most keywords are absent. */
interface KeywordPattern {
  re: RegExp;
  weight: number;
  needle: string;
}

const compiled = new WeakMap<TaxonomyTopic[], Array<{ topic: TaxonomyTopic; patterns: KeywordPattern[] }>>();

function firstWord(phrase: string): string {
  return (phrase.endsWith('*') ? phrase.slice(0, -1) : phrase).trim().split(/\s+/)[0] ?? '';
}

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
        .map((k) => ({ re: keywordPattern(k.phrase), weight: k.weight, needle: firstWord(k.phrase) })),
    }));
    compiled.set(taxonomy, c);
  }
  return c;
}

function normalize(text: string): string {
  return text.normalize('NFKC').replace(/[’‘]/g, "'").replace(/[‐-―]/g, '-').toLowerCase();
}

/**
 * Weighted hits of one topic's keywords; longer phrases mask the text they cover. Masking only turns
 * characters into spaces, so a keyword whose first word is nowhere in `text` cannot match `rest` either.
 */
function evidence(text: string, patterns: KeywordPattern[]): number {
  let rest = text;
  let total = 0;
  for (const { re, weight, needle } of patterns) {
    if (!text.includes(needle)) continue;
    re.lastIndex = 0;
    rest = rest.replace(re, (m) => {
      total += weight;
      return ' '.repeat(m.length);
    });
  }
  return total;
}

function depthOf(taxonomy: TaxonomyTopic[]): (t: TaxonomyTopic) => number {
  const bySlug = new Map(taxonomy.map((t) => [t.slug, t]));
  const depth = (t: TaxonomyTopic): number => (t.parent ? 1 + depth(bySlug.get(t.parent) as TaxonomyTopic) : 0);
  return depth;
}

/** Keyword scores in [0, 1) of every topic, parents crediting PARENT_SHARE of their children's evidence. */
export function keywordScores(doc: Pick<ParsedDocument, 'headline' | 'paragraphs'>, taxonomy: TaxonomyTopic[]): Map<string, number> {
  const headline = normalize(doc.headline);
  const body = normalize(doc.paragraphs.join('\n\n'));
  const words = (headline.match(/\S+/g)?.length ?? 0) + (body.match(/\S+/g)?.length ?? 0);
  const total = new Map<string, number>();
  if (words === 0) return total;
  for (const { topic, patterns } of compile(taxonomy)) {
    total.set(topic.slug, HEADLINE_WEIGHT * evidence(headline, patterns) + evidence(body, patterns));
  }
  // Children before parents: deepest first.
  const depth = depthOf(taxonomy);
  for (const t of [...taxonomy].sort((a, b) => depth(b) - depth(a))) {
    if (t.parent) total.set(t.parent, (total.get(t.parent) ?? 0) + PARENT_SHARE * (total.get(t.slug) ?? 0));
  }
  const lengthNorm = Math.sqrt(Math.max(words, 50));
  return new Map([...total].map(([slug, x]) => [slug, 1 - Math.exp((-SCALE * x) / lengthNorm)]));
}

/** The model classes ("<corpus>:<label>") that score each topic, for topics that have any in `model`. */
const modelClasses = new WeakMap<TaxonomyTopic[], WeakMap<TopicModel, Map<string, number[]>>>();

function classesOf(taxonomy: TaxonomyTopic[], model: TopicModel): Map<string, number[]> {
  let byModel = modelClasses.get(taxonomy);
  if (!byModel) modelClasses.set(taxonomy, (byModel = new WeakMap()));
  let map = byModel.get(model);
  if (!map) {
    map = new Map();
    for (const t of taxonomy) {
      const ids = Object.entries(t.labels).flatMap(([corpus, labels]) => labels.map((l) => model.classIndex.get(`${corpus}:${l}`)));
      const present = ids.filter((i): i is number => i !== undefined);
      if (present.length > 0) map.set(t.slug, present);
    }
    byModel.set(model, map);
  }
  return map;
}

/**
 * Topics of a document, strongest first, with scores in (0, 1]. `model` defaults to the bundled trained model;
 * pass null for keyword scoring alone.
 */
export function assignTopics(
  doc: Pick<ParsedDocument, 'headline' | 'paragraphs'>,
  taxonomy: TaxonomyTopic[],
  model: TopicModel | null = loadTopicModel(),
): ExtractedTopic[] {
  if (doc.headline.trim() === '' && doc.paragraphs.every((p) => p.trim() === '')) return [];
  const score = keywordScores(doc, taxonomy);
  if (model) {
    const classes = classesOf(taxonomy, model);
    if (classes.size > 0) {
      const probabilities = model.scores(doc);
      const byIndex = model.classes.map((c) => probabilities.get(c.id) ?? 0);
      for (const [slug, ids] of classes) score.set(slug, Math.max(...ids.map((i) => byIndex[i] as number)));
    }
  }
  const depth = depthOf(taxonomy);
  const deepestFirst = [...taxonomy].sort((a, b) => depth(b) - depth(a));
  for (const t of deepestFirst) {
    if (t.parent) score.set(t.parent, Math.max(score.get(t.parent) ?? 0, PARENT_SHARE * (score.get(t.slug) ?? 0)));
  }
  // A confidently assigned topic is at least as strong as its parent: "trade" is the better description of a
  // trade story than "business". Only scores already ≥ CONFIDENT rise, so no decision at that level changes.
  for (const t of [...deepestFirst].reverse()) {
    const own = score.get(t.slug) ?? 0;
    if (t.parent && own >= CONFIDENT) score.set(t.slug, Math.max(own, score.get(t.parent) ?? 0));
  }
  const depths = new Map(taxonomy.map((t) => [t.slug, depth(t)]));
  return [...score.entries()]
    .map(([slug, x]) => ({ slug, score: Math.round(x * 1000) / 1000 }))
    .filter((t) => t.score >= MIN_SCORE)
    // At equal scores the more specific topic comes first.
    .sort((a, b) => b.score - a.score || (depths.get(b.slug) ?? 0) - (depths.get(a.slug) ?? 0) || a.slug.localeCompare(b.slug))
    .slice(0, MAX_TOPICS);
}
