/**
 * Content-term signatures for text similarity. Each article keeps its most frequent distinctive terms; the
 * overlap of two signatures (cosine of binary vectors) is the TEXT_SIMILARITY reason. Signatures live in an
 * indexed array column, so candidate stories are found by the index rather than by scanning every body.
 */

const STOPWORDS = new Set(
  `a about above after again against all also am an and any are as at be because been before being below
between both but by can could did do does doing down during each few for from further had has have having he
her here hers herself him himself his how i if in into is it its itself just me more most my myself no nor not
now of off on once only or other our ours ourselves out over own same she should so some such than that the
their theirs them themselves then there these they this those through to too under until up very was we were
what when where which while who whom why will with would you your yours yourself yourselves said says say
told according added adding would could may might must shall one two three four five six seven eight nine ten
first second new year years last week month months day days time mr mrs ms per cent percent including since
however well like many much made make still even back people former reuters xinhua ap afp bbc news report
reported reportedly yesterday today tomorrow monday tuesday wednesday thursday friday saturday sunday`.split(
    /\s+/,
  ),
);

/** Light suffix stripping so "attacks"/"attack" and "talks"/"talk" meet; not a full stemmer. */
function stem(word: string): string {
  if (word.length > 5 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 4 && word.endsWith('es') && /(ss|sh|ch|x)es$/.test(word)) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss') && !word.endsWith('us')) return word.slice(0, -1);
  return word;
}

/**
 * Longer runs of letters are not words (a line of one repeated letter, a mangled encoding): as terms they would
 * only match their own article, and their key could outgrow the btree index on article_terms (2,704 bytes).
 */
const MAX_TERM_LENGTH = 64;

export function tokenize(text: string): string[] {
  const words = text.toLowerCase().match(/\p{L}[\p{L}\p{N}'-]*/gu) ?? [];
  const out: string[] = [];
  for (const raw of words) {
    if (raw.length > MAX_TERM_LENGTH) continue;
    const word = raw.replace(/'s$/, '').replace(/['-]+$/, '');
    if (word.length < 3 || STOPWORDS.has(word)) continue;
    out.push(stem(word));
  }
  return out;
}

export const SIGNATURE_SIZE = 40;

/** The article's signature: its most frequent content terms, headline terms counted three times. */
export function termSignature(headline: string, body: string, size = SIGNATURE_SIZE): string[] {
  const counts = new Map<string, number>();
  for (const t of tokenize(headline)) counts.set(t, (counts.get(t) ?? 0) + 3);
  for (const t of tokenize(body)) counts.set(t, (counts.get(t) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, size)
    .map(([t]) => t);
}

/** Cosine similarity of two signatures seen as binary vectors. */
export function signatureSimilarity(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  const set = new Set(a);
  let shared = 0;
  for (const t of b) if (set.has(t)) shared += 1;
  return shared / Math.sqrt(a.length * b.length);
}

/** Word 3-gram shingles of a text, case and punctuation folded. */
export function shingles(text: string, size = 3): Set<string> {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const out = new Set<string>();
  for (let i = 0; i + size <= words.length; i += 1) out.add(words.slice(i, i + size).join(' '));
  return out;
}

/** Jaccard similarity of two shingle sets: near 1 for the same text lightly edited, near 0 for different stories. */
export function shingleSimilarity(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const s of a) if (b.has(s)) shared += 1;
  return shared / (a.size + b.size - shared);
}
