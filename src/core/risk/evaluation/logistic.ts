// Plain logistic regression for `calibrate`: Newton's method (IRLS) with an L2 penalty on the
// weights (not the intercept), and non-negative weights by an active set: a signal whose fitted
// weight is negative is fixed at zero and the rest refitted, so a calibrated signal can only ever
// add risk, as the reasons say.

export interface LogisticFit {
  weights: number[];
  intercept: number;
  iterations: number;
}

/** Solves A x = b (A symmetric positive definite, small) by Gaussian elimination with pivoting. */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
    [m[c], m[p]] = [m[p], m[c]];
    const d = m[c][c] || 1e-12;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r][c] / d;
      if (f !== 0) for (let k = c; k <= n; k++) m[r][k] -= f * m[c][k];
    }
  }
  return m.map((row, i) => row[n] / (row[i] || 1e-12));
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** Unconstrained fit on the columns in `free` (others stay 0). */
function newton(x: readonly number[][], y: readonly boolean[], free: number[], l2: number, maxIter: number): { w: number[]; b: number; iterations: number } {
  const p = free.length;
  let beta = new Array<number>(p + 1).fill(0); // [intercept, ...weights of free columns]
  let it = 0;
  for (; it < maxIter; it++) {
    const grad = new Array<number>(p + 1).fill(0);
    const hess = Array.from({ length: p + 1 }, () => new Array<number>(p + 1).fill(0));
    for (let i = 0; i < x.length; i++) {
      const row = [1, ...free.map((j) => x[i][j])];
      let z = 0;
      for (let k = 0; k <= p; k++) z += beta[k] * row[k];
      const mu = sigmoid(z);
      const w = Math.max(mu * (1 - mu), 1e-9);
      const r = mu - (y[i] ? 1 : 0);
      for (let k = 0; k <= p; k++) {
        grad[k] += r * row[k];
        for (let l = 0; l <= k; l++) hess[k][l] += w * row[k] * row[l];
      }
    }
    for (let k = 0; k <= p; k++) for (let l = 0; l < k; l++) hess[l][k] = hess[k][l];
    for (let k = 1; k <= p; k++) {
      grad[k] += l2 * beta[k];
      hess[k][k] += l2;
    }
    const step = solve(hess, grad);
    beta = beta.map((v, k) => v - step[k]);
    if (Math.max(...step.map(Math.abs)) < 1e-8) break;
  }
  return { w: beta.slice(1), b: beta[0], iterations: it + 1 };
}

/**
 * Fits P(y) = σ(b + Σ wⱼ xⱼ) with every wⱼ ≥ 0, or, with `nonNegative: false`, without that
 * constraint (the benchmark's ceiling analysis: the best any weighting of the signals can do).
 */
export function fitLogistic(x: readonly number[][], y: readonly boolean[], opts: { l2?: number; maxIter?: number; nonNegative?: boolean } = {}): LogisticFit {
  const cols = x[0]?.length ?? 0;
  let free = Array.from({ length: cols }, (_, j) => j);
  let iterations = 0;
  for (;;) {
    const fit = newton(x, y, free, opts.l2 ?? 1, opts.maxIter ?? 50);
    iterations += fit.iterations;
    const worst = fit.w.reduce((m, v, k) => (v < fit.w[m] ? k : m), 0);
    if (free.length === 0 || fit.w[worst] >= 0 || opts.nonNegative === false) {
      const weights = new Array<number>(cols).fill(0);
      free.forEach((j, k) => (weights[j] = fit.w[k]));
      return { weights, intercept: fit.b, iterations };
    }
    free = free.filter((_, k) => k !== worst);
  }
}
