/**
 * Turning SVM margins into decisions and scores, fitted on cross-validated margins of the training data:
 * - `bestF1Threshold`: the margin cut that maximizes F1 of one class (SCut);
 * - `fitSigmoid`: Platt scaling, p = σ(slope·m + offset), by the Newton method with backtracking of Lin, Lin &
 *   Weng (2007), optionally with the 0.5 point pinned to a given threshold.
 */

export interface Sigmoid {
  slope: number;
  offset: number;
}

export function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

export function applySigmoid(s: Sigmoid, m: number): number {
  return sigmoid(s.slope * m + s.offset);
}

/** The threshold (midway between two distinct margins) that maximizes F1; positives are `labels[i] > 0`. */
export function bestF1Threshold(margins: ArrayLike<number>, labels: ArrayLike<number>): { threshold: number; f1: number } {
  const n = margins.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (margins[b] as number) - (margins[a] as number) || a - b);
  let positives = 0;
  for (let i = 0; i < n; i++) if ((labels[i] as number) > 0) positives++;
  if (positives === 0 || n === 0) return { threshold: n ? (margins[order[0] as number] as number) + 1 : 0, f1: 0 };
  let best = { threshold: (margins[order[0] as number] as number) + 1, f1: 0 };
  let tp = 0;
  for (let k = 0; k < n; k++) {
    const i = order[k] as number;
    if ((labels[i] as number) > 0) tp++;
    const here = margins[i] as number;
    const next = k + 1 < n ? (margins[order[k + 1] as number] as number) : here - 2;
    if (next === here) continue; // cut only between distinct margins
    const f1 = (2 * tp) / (k + 1 + positives);
    if (f1 > best.f1) best = { threshold: (here + next) / 2, f1 };
  }
  return best;
}

/**
 * Platt scaling on (margin, label) pairs with Platt's smoothed targets. With `threshold`, the offset is fixed
 * so that p = 0.5 exactly at that margin and only the slope is fitted.
 */
export function fitSigmoid(margins: ArrayLike<number>, labels: ArrayLike<number>, threshold?: number): Sigmoid {
  const n = margins.length;
  let prior1 = 0;
  for (let i = 0; i < n; i++) if ((labels[i] as number) > 0) prior1++;
  const prior0 = n - prior1;
  const hi = (prior1 + 1) / (prior1 + 2);
  const lo = 1 / (prior0 + 2);
  const shift = threshold ?? 0;
  const fixed = threshold !== undefined;
  const f = (i: number): number => (margins[i] as number) - shift;
  const t = (i: number): number => ((labels[i] as number) > 0 ? hi : lo);
  // Platt's parameterization: P(y=1|f) = 1 / (1 + exp(A·f + B)).
  let A = 0;
  let B = fixed ? 0 : Math.log((prior0 + 1) / (prior1 + 1));
  const objective = (a: number, b: number): number => {
    let v = 0;
    for (let i = 0; i < n; i++) {
      const z = f(i) * a + b;
      v += z >= 0 ? t(i) * z + Math.log1p(Math.exp(-z)) : (t(i) - 1) * z + Math.log1p(Math.exp(z));
    }
    return v;
  };
  let fval = objective(A, B);
  for (let iter = 0; iter < 100; iter++) {
    let h11 = 1e-12;
    let h22 = 1e-12;
    let h21 = 0;
    let g1 = 0;
    let g2 = 0;
    for (let i = 0; i < n; i++) {
      const z = f(i) * A + B;
      const p = z >= 0 ? Math.exp(-z) / (1 + Math.exp(-z)) : 1 / (1 + Math.exp(z));
      const q = 1 - p;
      const d2 = p * q;
      h11 += f(i) * f(i) * d2;
      h22 += d2;
      h21 += f(i) * d2;
      const d1 = t(i) - p;
      g1 += f(i) * d1;
      g2 += d1;
    }
    if (Math.abs(g1) < 1e-5 && (fixed || Math.abs(g2) < 1e-5)) break;
    let dA: number;
    let dB: number;
    if (fixed) {
      dA = -g1 / h11;
      dB = 0;
    } else {
      const det = h11 * h22 - h21 * h21;
      dA = -(h22 * g1 - h21 * g2) / det;
      dB = -(-h21 * g1 + h11 * g2) / det;
    }
    const gd = g1 * dA + g2 * dB;
    let step = 1;
    let moved = false;
    while (step >= 1e-10) {
      const nA = A + step * dA;
      const nB = B + step * dB;
      const nf = objective(nA, nB);
      if (nf < fval + 1e-4 * step * gd) {
        A = nA;
        B = nB;
        fval = nf;
        moved = true;
        break;
      }
      step /= 2;
    }
    if (!moved) break;
  }
  return { slope: -A, offset: -B + A * shift };
}
