import { assignTopics, loadTaxonomy, type TaxonomyTopic } from '../topics.js';
import { BBC_CATEGORIES, loadBbc, loadReuters, REUTERS_TOP10, type LabelledDocument } from './corpora.js';
import { loadTopicModel, type TopicModel } from './model.js';

/**
 * Topic quality measured end to end: held-out documents go through `assignTopics` exactly as the ingest
 * pipeline calls it, and the topics it returns are mapped back to corpus labels through the taxonomy's
 * `labels`. The held-out documents are never used in training or calibration.
 */

/** A multi-label topic counts as assigned when its score reaches this; calibration puts each class's F1-tuned threshold there. */
export const DECISION_SCORE = 0.5;

export interface EvaluateOptions {
  taxonomy?: TaxonomyTopic[];
  /** The model to evaluate; defaults to the bundled data/topic-model.json. */
  model?: TopicModel | null;
  /** Evaluate every `stride`-th held-out document only (a fixed subset for quick checks); default 1 (all). */
  stride?: number;
}

export interface ClassFigures {
  support: number;
  predicted: number;
  truePositives: number;
  precision: number;
  recall: number;
  f1: number;
}

export interface BbcEvaluation {
  accuracy: number;
  n: number;
  perCategory: Record<string, ClassFigures>;
  /** confusion[actual][predicted]; "none" when no BBC-mapped topic was returned. */
  confusion: Record<string, Record<string, number>>;
  errors: Array<{ id: string; actual: string; predicted: string }>;
}

export interface ReutersEvaluation {
  microF1: number;
  microPrecision: number;
  microRecall: number;
  macroF1: number;
  perTopic: Record<string, ClassFigures>;
  n: number;
}

function figures(support: number, predicted: number, tp: number): ClassFigures {
  const precision = predicted ? tp / predicted : 0;
  const recall = support ? tp / support : 0;
  return { support, predicted, truePositives: tp, precision, recall, f1: support + predicted ? (2 * tp) / (support + predicted) : 0 };
}

function every<T>(items: T[], stride = 1): T[] {
  return stride > 1 ? items.filter((_, i) => i % stride === 0) : items;
}

/** Labels of `corpus` carried by each topic slug. */
function labelIndex(taxonomy: TaxonomyTopic[], corpus: string): Map<string, string[]> {
  return new Map(taxonomy.flatMap((t) => (t.labels[corpus]?.length ? [[t.slug, t.labels[corpus] as string[]] as const] : [])));
}

/** BBC category of the highest-scoring topic that maps to one, or "none". */
export function predictBbcCategory(doc: LabelledDocument['doc'], taxonomy: TaxonomyTopic[], model: TopicModel | null): string {
  const labels = labelIndex(taxonomy, 'bbc');
  for (const t of assignTopics(doc, taxonomy, model)) {
    const l = labels.get(t.slug);
    if (l) return l[0] as string;
  }
  return 'none';
}

/** Reuters labels of the topics assigned with at least DECISION_SCORE. */
export function predictReutersTopics(doc: LabelledDocument['doc'], taxonomy: TaxonomyTopic[], model: TopicModel | null): string[] {
  const labels = labelIndex(taxonomy, 'reuters');
  return assignTopics(doc, taxonomy, model)
    .filter((t) => t.score >= DECISION_SCORE)
    .flatMap((t) => labels.get(t.slug) ?? []);
}

export function scoreBbc(docs: LabelledDocument[], opts: EvaluateOptions = {}): BbcEvaluation {
  const taxonomy = opts.taxonomy ?? loadTaxonomy();
  const model = opts.model === undefined ? loadTopicModel() : opts.model;
  const confusion: Record<string, Record<string, number>> = {};
  const errors: BbcEvaluation['errors'] = [];
  const counts = new Map<string, { support: number; predicted: number; tp: number }>(BBC_CATEGORIES.map((c) => [c, { support: 0, predicted: 0, tp: 0 }]));
  const sample = every(docs, opts.stride);
  let right = 0;
  for (const d of sample) {
    const actual = d.labels[0] as string;
    const predicted = predictBbcCategory(d.doc, taxonomy, model);
    const row = (confusion[actual] ??= {});
    row[predicted] = (row[predicted] ?? 0) + 1;
    const a = counts.get(actual);
    if (a) a.support++;
    const p = counts.get(predicted);
    if (p) p.predicted++;
    if (predicted === actual) {
      right++;
      if (a) a.tp++;
    } else {
      errors.push({ id: d.id, actual, predicted });
    }
  }
  const perCategory = Object.fromEntries([...counts].map(([c, x]) => [c, figures(x.support, x.predicted, x.tp)]));
  return { accuracy: sample.length ? right / sample.length : 0, n: sample.length, perCategory, confusion, errors };
}

export function scoreReuters(docs: LabelledDocument[], opts: EvaluateOptions = {}): ReutersEvaluation {
  const taxonomy = opts.taxonomy ?? loadTaxonomy();
  const model = opts.model === undefined ? loadTopicModel() : opts.model;
  const top = new Set<string>(REUTERS_TOP10);
  const counts = new Map<string, { support: number; predicted: number; tp: number }>(REUTERS_TOP10.map((c) => [c, { support: 0, predicted: 0, tp: 0 }]));
  const sample = every(docs, opts.stride);
  for (const d of sample) {
    const actual = new Set(d.labels.filter((l) => top.has(l)));
    const predicted = new Set(predictReutersTopics(d.doc, taxonomy, model).filter((l) => top.has(l)));
    for (const l of actual) (counts.get(l) as { support: number }).support++;
    for (const l of predicted) {
      const c = counts.get(l) as { predicted: number; tp: number };
      c.predicted++;
      if (actual.has(l)) c.tp++;
    }
  }
  let support = 0;
  let predicted = 0;
  let tp = 0;
  for (const c of counts.values()) {
    support += c.support;
    predicted += c.predicted;
    tp += c.tp;
  }
  const perTopic = Object.fromEntries([...counts].map(([c, x]) => [c, figures(x.support, x.predicted, x.tp)]));
  const micro = figures(support, predicted, tp);
  const macroF1 = Object.values(perTopic).reduce((s, f) => s + f.f1, 0) / REUTERS_TOP10.length;
  return { microF1: micro.f1, microPrecision: micro.precision, microRecall: micro.recall, macroF1, perTopic, n: sample.length };
}

/** BBC 5-category accuracy on the held-out 20% (see corpora.ts for the split). */
export async function evaluateBbc(corpusDir: string, opts: EvaluateOptions = {}): Promise<BbcEvaluation> {
  return scoreBbc((await loadBbc(corpusDir)).test, opts);
}

/** Reuters-21578 ModApte TEST: micro-averaged precision, recall and F1 over the ten most frequent topics. */
export async function evaluateReuters(corpusDir: string, opts: EvaluateOptions = {}): Promise<ReutersEvaluation> {
  return scoreReuters((await loadReuters(corpusDir)).test, opts);
}
