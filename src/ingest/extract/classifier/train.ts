import { bestF1Threshold, fitSigmoid, type Sigmoid } from './calibrate.js';
import { DEFAULT_FEATURIZER, smoothIdf, termCounts, type FeaturizerOptions, type SparseVector } from './features.js';
import { MODEL_FORMAT, MODEL_VERSION, roundTo, TopicModel, type TextDocument, type TopicModelClass, type TopicModelFile } from './model.js';
import { rng, shuffle, trainLinearSvm, type SvmLoss } from './svm.js';

/**
 * Training: one-vs-rest linear SVMs over log-TF·IDF unigrams and bigrams, with
 *  1. a document-frequency cutoff, an SVM on every surviving term, then the top-K terms by |weight| of each
 *     class kept as the vocabulary (the union over classes);
 *  2. the SVMs retrained on that vocabulary and each class pruned to its largest `keepWeights` weights;
 *  3. k-fold cross-validation of that whole procedure on the training documents, whose out-of-fold margins
 *     fit each class's score: Platt scaling for single-label corpora (BBC: the best class wins), and for
 *     multi-label corpora (Reuters) an F1-maximizing threshold with a sigmoid that is 0.5 exactly there.
 * A class is trained on its own corpus only: its positives are that corpus's documents with the label and its
 * negatives the corpus's other documents. Nothing is random but the seeded shuffles, so the same documents
 * and options give the same model byte for byte.
 */

export interface TrainingDocument {
  doc: TextDocument;
  corpus: string;
  labels: readonly string[];
}

export interface ClassSpec {
  corpus: string;
  label: string;
  /** single: exactly one label per document (argmax decides); multi: any number (a threshold decides). */
  kind: 'single' | 'multi';
}

export interface TrainOptions {
  featurizer: FeaturizerOptions;
  /** Terms in fewer training documents are dropped. */
  minDf: number;
  /** Terms kept per class for the vocabulary. */
  topK: number;
  /** Weights stored per class after retraining on the vocabulary. */
  keepWeights: number;
  C: number;
  loss: SvmLoss;
  tolerance: number;
  maxEpochs: number;
  folds: number;
  seed: number;
}

export const DEFAULT_TRAIN: TrainOptions = {
  featurizer: DEFAULT_FEATURIZER,
  minDf: 2,
  topK: 2000,
  keepWeights: 2000,
  C: 1,
  loss: 'squared-hinge',
  tolerance: 0.1,
  maxEpochs: 300,
  folds: 5,
  seed: 20_250_601,
};

export interface ClassReport {
  id: string;
  positives: number;
  negatives: number;
  /** Cross-validated F1 at the chosen threshold (multi-label classes). */
  cvF1?: number;
  threshold?: number;
  slope: number;
  offset: number;
  epochs: number;
  weights: number;
}

export interface TrainReport {
  documents: Record<string, number>;
  vocabulary: number;
  candidateTerms: number;
  classes: ClassReport[];
  /** Cross-validated figures on the training documents: accuracy per single-label corpus, micro-F1 per multi-label corpus. */
  cv: Record<string, number>;
}

/** Documents with terms interned to integer ids, computed once and shared by every fold. */
interface Encoded {
  terms: string[];
  docs: Array<{ ids: Int32Array; counts: Float64Array }>;
}

function encode(docs: TrainingDocument[], featurizer: FeaturizerOptions): Encoded {
  const ids = new Map<string, number>();
  const terms: string[] = [];
  const out = docs.map(({ doc }) => {
    const counts = termCounts(doc, featurizer);
    const a = new Int32Array(counts.size);
    const c = new Float64Array(counts.size);
    let k = 0;
    for (const [term, n] of counts) {
      let id = ids.get(term);
      if (id === undefined) {
        id = terms.length;
        ids.set(term, id);
        terms.push(term);
      }
      a[k] = id;
      c[k] = n;
      k++;
    }
    return { ids: a, counts: c };
  });
  return { terms, docs: out };
}

/** Vectors over a vocabulary given as global-id → local-index (−1 when out of vocabulary). */
function vectors(enc: Encoded, which: number[], local: Int32Array, idf: Float64Array): SparseVector[] {
  return which.map((d) => {
    const { ids, counts } = enc.docs[d] as Encoded['docs'][number];
    const pairs: Array<[number, number]> = [];
    let norm = 0;
    for (let k = 0; k < ids.length; k++) {
      const j = local[ids[k] as number] as number;
      if (j < 0) continue;
      const v = (1 + Math.log(counts[k] as number)) * (idf[j] as number);
      pairs.push([j, v]);
      norm += v * v;
    }
    pairs.sort((a, b) => a[0] - b[0]);
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    return { indices: Int32Array.from(pairs, (p) => p[0]), values: Float64Array.from(pairs, (p) => p[1] * scale) };
  });
}

function topByMagnitude(w: Float64Array, k: number): number[] {
  const idx: number[] = [];
  for (let j = 0; j < w.length; j++) if (w[j] !== 0) idx.push(j);
  idx.sort((a, b) => Math.abs(w[b] as number) - Math.abs(w[a] as number) || a - b);
  return idx.slice(0, k);
}

interface Fit {
  file: TopicModelFile;
  candidateTerms: number;
  epochs: number[];
}

/** Steps 1–2 on the documents `train`: an uncalibrated model (slope 1, offset 0). */
function fitOnce(all: TrainingDocument[], enc: Encoded, train: number[], classes: ClassSpec[], o: TrainOptions): Fit {
  const df = new Int32Array(enc.terms.length);
  for (const d of train) for (const id of (enc.docs[d] as Encoded['docs'][number]).ids) df[id] = (df[id] as number) + 1;
  const candidates: number[] = [];
  for (let id = 0; id < df.length; id++) if ((df[id] as number) >= o.minDf) candidates.push(id);
  const idfAll = new Float64Array(enc.terms.length);
  for (const id of candidates) idfAll[id] = smoothIdf(df[id] as number, train.length);

  const byCorpus = new Map<string, number[]>();
  for (const d of train) {
    const c = (all[d] as TrainingDocument).corpus;
    const list = byCorpus.get(c);
    if (list) list.push(d);
    else byCorpus.set(c, [d]);
  }
  const trainClasses = (vocab: number[]): { weights: Float64Array[]; biases: number[]; epochs: number[] } => {
    const local = new Int32Array(enc.terms.length).fill(-1);
    vocab.forEach((id, j) => (local[id] = j));
    const idf = Float64Array.from(vocab, (id) => idfAll[id] as number);
    const cache = new Map<string, SparseVector[]>();
    const weights: Float64Array[] = [];
    const biases: number[] = [];
    const epochs: number[] = [];
    classes.forEach((spec, ci) => {
      const docs = byCorpus.get(spec.corpus) ?? [];
      let xs = cache.get(spec.corpus);
      if (!xs) {
        xs = vectors(enc, docs, local, idf);
        cache.set(spec.corpus, xs);
      }
      const y = Int8Array.from(docs, (d) => ((all[d] as TrainingDocument).labels.includes(spec.label) ? 1 : -1));
      const svm = trainLinearSvm(xs, y, vocab.length, { C: o.C, loss: o.loss, tolerance: o.tolerance, maxEpochs: o.maxEpochs, seed: o.seed + ci });
      weights.push(svm.weights);
      biases.push(svm.bias);
      epochs.push(svm.epochs);
    });
    return { weights, biases, epochs };
  };

  // 1. Select the vocabulary with SVMs on every candidate term.
  const first = trainClasses(candidates);
  const chosen = new Set<number>();
  for (const w of first.weights) for (const j of topByMagnitude(w, o.topK)) chosen.add(candidates[j] as number);
  // Sorted by the term's text (code-unit order, not locale order) so the file reads and diffs well.
  const vocab = [...chosen].sort((a, b) => ((enc.terms[a] as string) < (enc.terms[b] as string) ? -1 : 1));

  // 2. Retrain on it and keep each class's largest weights.
  const second = trainClasses(vocab);
  const modelClasses: TopicModelClass[] = classes.map((spec, ci) => {
    const w = second.weights[ci] as Float64Array;
    const keep = topByMagnitude(w, o.keepWeights).sort((a, b) => a - b);
    return {
      id: `${spec.corpus}:${spec.label}`,
      corpus: spec.corpus,
      label: spec.label,
      bias: roundTo(second.biases[ci] as number),
      slope: 1,
      offset: 0,
      indices: keep,
      weights: keep.map((j) => roundTo(w[j] as number)),
    };
  });
  const file: TopicModelFile = {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    featurizer: o.featurizer,
    terms: vocab.map((id) => enc.terms[id] as string),
    idf: vocab.map((id) => roundTo(idfAll[id] as number)),
    classes: modelClasses,
    training: {},
  };
  return { file, candidateTerms: candidates.length, epochs: second.epochs };
}

/** Seeded folds, dealt out per corpus so each fold holds a share of every corpus. */
export function assignFolds(docs: TrainingDocument[], folds: number, seed: number): Int32Array {
  const fold = new Int32Array(docs.length);
  const random = rng(seed);
  const corpora = [...new Set(docs.map((d) => d.corpus))].sort();
  for (const c of corpora) {
    const members = shuffle(
      docs.flatMap((d, i) => (d.corpus === c ? [i] : [])),
      random,
    );
    members.forEach((d, k) => (fold[d] = k % folds));
  }
  return fold;
}

export function trainTopicModel(
  docs: TrainingDocument[],
  classes: ClassSpec[],
  options: Partial<TrainOptions> = {},
): { file: TopicModelFile; report: TrainReport } {
  const o = { ...DEFAULT_TRAIN, ...options };
  const enc = encode(docs, o.featurizer);
  const everything = docs.map((_, i) => i);

  // 3. Out-of-fold margins of the whole procedure, for calibration.
  const oof = classes.map(() => new Map<number, number>());
  if (o.folds >= 2) {
    const fold = assignFolds(docs, o.folds, o.seed);
    for (let f = 0; f < o.folds; f++) {
      const fit = fitOnce(
        docs,
        enc,
        everything.filter((i) => fold[i] !== f),
        classes,
        o,
      );
      const model = new TopicModel(fit.file);
      for (const i of everything) {
        if (fold[i] !== f) continue;
        const m = model.margins((docs[i] as TrainingDocument).doc);
        classes.forEach((spec, ci) => {
          if ((docs[i] as TrainingDocument).corpus === spec.corpus) (oof[ci] as Map<number, number>).set(i, m[ci] as number);
        });
      }
    }
  }

  const final = fitOnce(docs, enc, everything, classes, o);
  const reports: ClassReport[] = [];
  const calibrations: Sigmoid[] = [];
  classes.forEach((spec, ci) => {
    const members = everything.filter((i) => (docs[i] as TrainingDocument).corpus === spec.corpus);
    const positives = members.filter((i) => (docs[i] as TrainingDocument).labels.includes(spec.label)).length;
    const margins = [...(oof[ci] as Map<number, number>).entries()];
    const ys = margins.map(([i]) => ((docs[i] as TrainingDocument).labels.includes(spec.label) ? 1 : -1));
    const ms = margins.map(([, m]) => m);
    let sig: Sigmoid = { slope: 2, offset: spec.kind === 'multi' ? 0 : -1 };
    let threshold: number | undefined;
    let cvF1: number | undefined;
    if (ms.length > 0) {
      if (spec.kind === 'multi') {
        const best = bestF1Threshold(ms, ys);
        threshold = best.threshold;
        cvF1 = best.f1;
        sig = fitSigmoid(ms, ys, threshold);
      } else {
        sig = fitSigmoid(ms, ys);
      }
    }
    sig = { slope: roundTo(sig.slope), offset: roundTo(sig.offset) };
    calibrations.push(sig);
    const cls = final.file.classes[ci] as TopicModelClass;
    cls.slope = sig.slope;
    cls.offset = sig.offset;
    const report: ClassReport = {
      id: cls.id,
      positives,
      negatives: members.length - positives,
      slope: sig.slope,
      offset: sig.offset,
      epochs: final.epochs[ci] as number,
      weights: cls.indices.length,
    };
    if (threshold !== undefined) report.threshold = roundTo(threshold, 4);
    if (cvF1 !== undefined) report.cvF1 = roundTo(cvF1, 4);
    reports.push(report);
  });

  const cv = crossValidatedFigures(docs, classes, oof, calibrations);
  const documents: Record<string, number> = {};
  for (const d of docs) documents[d.corpus] = (documents[d.corpus] ?? 0) + 1;
  const report: TrainReport = {
    documents,
    vocabulary: final.file.terms.length,
    candidateTerms: final.candidateTerms,
    classes: reports,
    cv,
  };
  final.file.training = {
    command: 'npm run train:topics',
    method: `one-vs-rest linear SVMs (dual coordinate descent, ${o.loss} loss) on L2-normalized log-TF·IDF unigrams and bigrams; scores calibrated on ${o.folds}-fold cross-validation`,
    options: Object.fromEntries(Object.entries(o).filter(([k]) => k !== 'featurizer')),
    documents,
    candidateTerms: final.candidateTerms,
    cv,
  };
  return { file: final.file, report };
}

/** Cross-validated accuracy (single-label corpora, argmax of scores) and micro-F1 (multi-label corpora). */
function crossValidatedFigures(docs: TrainingDocument[], classes: ClassSpec[], oof: Array<Map<number, number>>, sig: Sigmoid[]): Record<string, number> {
  const out: Record<string, number> = {};
  const corpora = [...new Set(classes.map((c) => c.corpus))];
  for (const corpus of corpora) {
    const cis = classes.flatMap((c, i) => (c.corpus === corpus ? [i] : []));
    const kind = (classes[cis[0] as number] as ClassSpec).kind;
    const ids = [...(oof[cis[0] as number] as Map<number, number>).keys()];
    if (ids.length === 0) continue;
    if (kind === 'single') {
      let right = 0;
      for (const i of ids) {
        let best = -1;
        let bestScore = -Infinity;
        for (const ci of cis) {
          const s = sig[ci] as Sigmoid;
          const p = s.slope * ((oof[ci] as Map<number, number>).get(i) as number) + s.offset;
          if (p > bestScore) {
            bestScore = p;
            best = ci;
          }
        }
        if ((docs[i] as TrainingDocument).labels.includes((classes[best] as ClassSpec).label)) right++;
      }
      out[`${corpus}.accuracy`] = roundTo(right / ids.length, 4);
    } else {
      let tp = 0;
      let fp = 0;
      let fn = 0;
      for (const i of ids) {
        for (const ci of cis) {
          const s = sig[ci] as Sigmoid;
          const predicted = s.slope * ((oof[ci] as Map<number, number>).get(i) as number) + s.offset >= 0;
          const actual = (docs[i] as TrainingDocument).labels.includes((classes[ci] as ClassSpec).label);
          if (predicted && actual) tp++;
          else if (predicted) fp++;
          else if (actual) fn++;
        }
      }
      out[`${corpus}.microF1`] = roundTo((2 * tp) / (2 * tp + fp + fn), 4);
    }
  }
  return out;
}
