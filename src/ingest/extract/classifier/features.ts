/**
 * Text features for the topic classifier: lower-cased word unigrams and adjacent-word bigrams (stopwords
 * dropped first), weighted by log-TF × IDF and L2-normalized. Headline terms count `headlineWeight` times.
 * Numbers collapse to one token, so "shr 1.23 cts vs 1.10" reads as "shr # cts vs #".
 */

export interface FeaturizerOptions {
  /** Tokenizer version; a model trained with another version is rejected rather than silently misread. */
  tokenizer: number;
  bigrams: boolean;
  /** How many times a headline term counts towards its term frequency. */
  headlineWeight: number;
}

export const TOKENIZER_VERSION = 1;

export const DEFAULT_FEATURIZER: FeaturizerOptions = { tokenizer: TOKENIZER_VERSION, bigrams: true, headlineWeight: 2 };

// Function words only: content words such as "said", "year" or "new" carry signal in news sections.
const STOPWORDS = new Set(
  (
    'a about above after again against all am an and any are as at be because been before being below between both but by ' +
    'can could did do does doing down during each few for from further had has have having he her here hers herself him ' +
    'himself his how i if in into is it its itself me more most my myself no nor not of off on once only or other our ours ' +
    'ourselves out over own same she should so some such than that the their theirs them themselves then there these they ' +
    'this those through to too under until up very was we were what when where which while who whom why will with would ' +
    'you your yours yourself yourselves s t'
  ).split(' '),
);

// Words with inner periods, apostrophes and ampersands ("u.s.", "at&t"), and numbers with inner commas ("5,000").
const WORD = /[\p{L}\p{N}]+(?:(?:[.'&]|(?<=\p{N}),(?=\p{N}))[\p{L}\p{N}]+)*/gu;
const NUMBER = /^[\p{N}.,]+$/u;

export const NUMBER_TOKEN = '#';

/** Content tokens of a text, in order. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  const norm = text.normalize('NFKC').toLowerCase().replace(/[’‘`]/g, "'");
  for (const m of norm.matchAll(WORD)) {
    let w = m[0];
    if (w.endsWith("'s")) w = w.slice(0, -2);
    w = w.replace(/'/g, '');
    if (w === '' || STOPWORDS.has(w)) continue;
    out.push(NUMBER.test(w) ? NUMBER_TOKEN : w);
  }
  return out;
}

/** Unigram and bigram term counts of a document. */
export function termCounts(
  doc: { headline: string; paragraphs: readonly string[] },
  opts: FeaturizerOptions = DEFAULT_FEATURIZER,
): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (tokens: string[], weight: number): void => {
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i] as string;
      counts.set(t, (counts.get(t) ?? 0) + weight);
      if (opts.bigrams && i > 0) {
        const b = `${tokens[i - 1] as string} ${t}`;
        counts.set(b, (counts.get(b) ?? 0) + weight);
      }
    }
  };
  add(tokenize(doc.headline), opts.headlineWeight);
  for (const p of doc.paragraphs) add(tokenize(p), 1);
  return counts;
}

/** A sparse vector: parallel arrays of ascending feature indices and values. */
export interface SparseVector {
  indices: Int32Array;
  values: Float64Array;
}

export function smoothIdf(df: number, n: number): number {
  return Math.log((n + 1) / (df + 1)) + 1;
}

/**
 * log-TF × IDF over a fixed vocabulary, L2-normalized; terms outside the vocabulary are ignored (the norm is
 * taken over the vocabulary's terms only, as in training, so pruning the vocabulary keeps train and
 * inference consistent).
 */
export function vectorize(counts: Map<string, number>, vocabulary: Map<string, number>, idf: ArrayLike<number>): SparseVector {
  const pairs: Array<[number, number]> = [];
  let norm = 0;
  for (const [term, tf] of counts) {
    const j = vocabulary.get(term);
    if (j === undefined) continue;
    const v = (1 + Math.log(tf)) * (idf[j] as number);
    pairs.push([j, v]);
    norm += v * v;
  }
  pairs.sort((a, b) => a[0] - b[0]);
  const indices = new Int32Array(pairs.length);
  const values = new Float64Array(pairs.length);
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  pairs.forEach(([j, v], k) => {
    indices[k] = j;
    values[k] = v * scale;
  });
  return { indices, values };
}
