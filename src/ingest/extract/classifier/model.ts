import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ParsedDocument } from '../../types.js';
import { applySigmoid } from './calibrate.js';
import { termCounts, TOKENIZER_VERSION, vectorize, type FeaturizerOptions, type SparseVector } from './features.js';

/**
 * The trained topic model as stored in data/topic-model.json (written by `npm run train:topics`) and its
 * inference: one linear one-vs-rest classifier per corpus label, scored as p = σ(slope·margin + offset).
 * Classes are named "<corpus>:<label>" ("bbc:tech", "reuters:earn"); data/taxonomy.json maps topics onto them.
 */

export const MODEL_FORMAT = 'news-graph/topic-model';
export const MODEL_VERSION = 1;

export const TOPIC_MODEL_PATH = fileURLToPath(new URL('../../../../data/topic-model.json', import.meta.url));

export interface TopicModelClass {
  /** "<corpus>:<label>". */
  id: string;
  corpus: string;
  label: string;
  bias: number;
  /** Score p = σ(slope·margin + offset); for multi-label corpora p = 0.5 at the F1-tuned threshold. */
  slope: number;
  offset: number;
  /** Sparse weights: vocabulary indices (ascending) and their weights. */
  indices: number[];
  weights: number[];
}

export interface TopicModelFile {
  format: typeof MODEL_FORMAT;
  version: typeof MODEL_VERSION;
  featurizer: FeaturizerOptions;
  /** Vocabulary in index order, with each term's IDF. */
  terms: string[];
  idf: number[];
  classes: TopicModelClass[];
  /** How the model was made: data, split, hyper-parameters, cross-validated figures. Informational. */
  training: Record<string, unknown>;
}

export type TextDocument = Pick<ParsedDocument, 'headline' | 'paragraphs'>;

export class TopicModel {
  readonly classes: readonly TopicModelClass[];
  readonly classIndex: ReadonlyMap<string, number>;
  private readonly vocabulary: Map<string, number>;
  private readonly idf: Float64Array;
  /** Row-major |vocabulary| × |classes| weight matrix: one contiguous row per term. */
  private readonly matrix: Float32Array;
  private readonly biases: Float64Array;

  constructor(readonly file: TopicModelFile) {
    if (file.format !== MODEL_FORMAT || file.version !== MODEL_VERSION) {
      throw new Error(`topic model: expected ${MODEL_FORMAT} v${MODEL_VERSION}, got ${String(file.format)} v${String(file.version)}`);
    }
    if (file.featurizer.tokenizer !== TOKENIZER_VERSION) {
      throw new Error(`topic model: trained with tokenizer v${file.featurizer.tokenizer}, this code has v${TOKENIZER_VERSION}; run npm run train:topics`);
    }
    if (file.terms.length !== file.idf.length) throw new Error('topic model: terms and idf differ in length');
    this.classes = file.classes;
    this.classIndex = new Map(file.classes.map((c, i) => [c.id, i]));
    this.vocabulary = new Map(file.terms.map((t, i) => [t, i]));
    this.idf = Float64Array.from(file.idf);
    const k = file.classes.length;
    this.matrix = new Float32Array(file.terms.length * k);
    this.biases = Float64Array.from(file.classes.map((c) => c.bias));
    file.classes.forEach((c, ci) => {
      if (c.indices.length !== c.weights.length) throw new Error(`topic model: ${c.id} indices and weights differ in length`);
      c.indices.forEach((j, n) => {
        if (j < 0 || j >= file.terms.length) throw new Error(`topic model: ${c.id} has feature ${j} outside the vocabulary`);
        this.matrix[j * k + ci] = c.weights[n] as number;
      });
    });
  }

  vectorize(doc: TextDocument): SparseVector {
    return vectorize(termCounts(doc, this.file.featurizer), this.vocabulary, this.idf);
  }

  /** Raw margins, one per class in `classes` order. */
  margins(doc: TextDocument): Float64Array {
    const x = this.vectorize(doc);
    const k = this.classes.length;
    const out = Float64Array.from(this.biases);
    for (let n = 0; n < x.indices.length; n++) {
      const row = (x.indices[n] as number) * k;
      const v = x.values[n] as number;
      for (let c = 0; c < k; c++) out[c] = (out[c] as number) + (this.matrix[row + c] as number) * v;
    }
    return out;
  }

  /** Calibrated-ish probabilities by class id. */
  scores(doc: TextDocument): Map<string, number> {
    const m = this.margins(doc);
    return new Map(this.classes.map((c, i) => [c.id, applySigmoid(c, m[i] as number)]));
  }
}

export function parseTopicModel(json: unknown): TopicModel {
  return new TopicModel(json as TopicModelFile);
}

/** Significant digits kept in the stored model: enough for the scores, small and stable as text. */
export function roundTo(x: number, digits = 6): number {
  if (x === 0 || !Number.isFinite(x)) return x;
  return Number(x.toPrecision(digits));
}

/** Stable JSON text of a model: a fixed key order and one class per line, so diffs stay readable. */
export function serializeTopicModel(file: TopicModelFile): string {
  const head = {
    format: file.format,
    version: file.version,
    featurizer: file.featurizer,
    training: file.training,
  };
  const lines = [
    '{',
    ...Object.entries(head).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)},`),
    `  "terms": ${JSON.stringify(file.terms)},`,
    `  "idf": ${JSON.stringify(file.idf)},`,
    '  "classes": [',
    file.classes.map((c) => `    ${JSON.stringify(c)}`).join(',\n'),
    '  ]',
    '}',
    '',
  ];
  return lines.join('\n');
}

let cached: TopicModel | null | undefined;

/**
 * The bundled model, loaded once; null when data/topic-model.json is absent (topics then come from keywords
 * alone). A present but unreadable model is an error, not a silent fallback.
 */
export function loadTopicModel(path: string = TOPIC_MODEL_PATH): TopicModel | null {
  if (path !== TOPIC_MODEL_PATH) return existsSync(path) ? parseTopicModel(JSON.parse(readFileSync(path, 'utf8'))) : null;
  if (cached === undefined) cached = existsSync(path) ? parseTopicModel(JSON.parse(readFileSync(path, 'utf8'))) : null;
  return cached;
}
