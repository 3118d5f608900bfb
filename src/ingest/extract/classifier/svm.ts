import type { SparseVector } from './features.js';

/**
 * A compact binary linear SVM trainer: dual coordinate descent for the L2-regularized SVM (Hsieh, Chang, Lin,
 * Keerthi & Sundararajan, ICML 2008; the default solver of LIBLINEAR), with the bias as an extra constant
 * feature. Written here because no maintained JavaScript library trains sparse linear SVMs; the algorithm is
 * short and its result is fully determined by the data, the hyper-parameters and the seed (the only
 * randomness is the seeded order in which coordinates are visited).
 */

export type SvmLoss = 'hinge' | 'squared-hinge';

export interface SvmOptions {
  /** Penalty of a margin violation (LIBLINEAR's -c). */
  C: number;
  loss: SvmLoss;
  /** Value of the constant feature that carries the bias (LIBLINEAR's -B). */
  biasFeature: number;
  /** Stop when the projected gradient's spread falls below this (LIBLINEAR's -e, 0.1 for dual solvers). */
  tolerance: number;
  maxEpochs: number;
  seed: number;
}

export const DEFAULT_SVM: SvmOptions = { C: 1, loss: 'squared-hinge', biasFeature: 1, tolerance: 0.1, maxEpochs: 300, seed: 1 };

export interface LinearSvm {
  weights: Float64Array;
  bias: number;
  epochs: number;
}

/** mulberry32: a small, fast 32-bit PRNG; enough for shuffling and reproducible everywhere. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

/** Trains w, b minimizing ½‖(w,b)‖² + C Σ loss(yᵢ (w·xᵢ + b·B)). `labels` holds +1 / −1. */
export function trainLinearSvm(xs: SparseVector[], labels: ArrayLike<number>, dim: number, opts: Partial<SvmOptions> = {}): LinearSvm {
  const o = { ...DEFAULT_SVM, ...opts };
  const n = xs.length;
  const w = new Float64Array(dim);
  let wb = 0;
  const B = o.biasFeature;
  const upper = o.loss === 'hinge' ? o.C : Infinity;
  const diag = o.loss === 'hinge' ? 0 : 1 / (2 * o.C);
  const alpha = new Float64Array(n);
  const qii = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = (xs[i] as SparseVector).values;
    let s = B * B + diag;
    for (let k = 0; k < v.length; k++) s += (v[k] as number) * (v[k] as number);
    qii[i] = s;
  }
  const order = Array.from({ length: n }, (_, i) => i);
  const random = rng(o.seed);
  let epoch = 0;
  for (; epoch < o.maxEpochs; epoch++) {
    shuffle(order, random);
    let pgMax = -Infinity;
    let pgMin = Infinity;
    for (const i of order) {
      const { indices, values } = xs[i] as SparseVector;
      const y = labels[i] as number;
      let dot = wb * B;
      for (let k = 0; k < indices.length; k++) dot += (w[indices[k] as number] as number) * (values[k] as number);
      const a = alpha[i] as number;
      const g = y * dot - 1 + diag * a;
      let pg = g;
      if (a === 0) pg = Math.min(g, 0);
      else if (a === upper) pg = Math.max(g, 0);
      if (pg > pgMax) pgMax = pg;
      if (pg < pgMin) pgMin = pg;
      if (pg === 0) continue;
      const next = Math.min(Math.max(a - g / (qii[i] as number), 0), upper);
      const d = (next - a) * y;
      if (d === 0) continue;
      alpha[i] = next;
      for (let k = 0; k < indices.length; k++) {
        const j = indices[k] as number;
        w[j] = (w[j] as number) + d * (values[k] as number);
      }
      wb += d * B;
    }
    if (pgMax - pgMin < o.tolerance) {
      epoch++;
      break;
    }
  }
  return { weights: w, bias: wb * B, epochs: epoch };
}

export function margin(x: SparseVector, weights: ArrayLike<number>, bias: number): number {
  let s = bias;
  for (let k = 0; k < x.indices.length; k++) s += (weights[x.indices[k] as number] as number) * (x.values[k] as number);
  return s;
}
