/**
 * L2-regularised logistic regression fitted by iteratively reweighted least squares (Newton-Raphson),
 * deterministic (no randomness, fixed iteration order). The intercept is not penalised.
 */

/** A fitted logistic regression. */
export interface LogisticFit {
  intercept: number;
  coef: number[];
  iterations: number;
  converged: boolean;
}

/** Fit options. */
export interface LogisticOptions {
  l2: number;
  maxIter: number;
  tol: number;
}

/** Solve the symmetric positive definite system A x = b (Cholesky); A is row-major d x d. */
export function solveSpd(A: Float64Array, b: Float64Array, d: number): Float64Array {
  const L = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * d + j]!;
      for (let k = 0; k < j; k++) s -= L[i * d + k]! * L[j * d + k]!;
      if (i === j) {
        if (s <= 0) throw new Error('matrix is not positive definite');
        L[i * d + i] = Math.sqrt(s);
      } else L[i * d + j] = s / L[j * d + j]!;
    }
  }
  const y = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= L[i * d + k]! * y[k]!;
    y[i] = s / L[i * d + i]!;
  }
  const x = new Float64Array(d);
  for (let i = d - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let k = i + 1; k < d; k++) s -= L[k * d + i]! * x[k]!;
    x[i] = s / L[i * d + i]!;
  }
  return x;
}

/** Fit on row-major `X` (n x p) and 0/1 labels `y`. */
export function fitLogistic(X: Float64Array, n: number, p: number, y: Uint8Array, opts: LogisticOptions): LogisticFit {
  const d = p + 1;
  const beta = new Float64Array(d); // beta[0] = intercept
  const mean = y.reduce((a, b) => a + b, 0) / n;
  beta[0] = Math.log(Math.max(mean, 1e-6) / Math.max(1 - mean, 1e-6));
  let it = 0;
  let converged = false;
  const row = new Float64Array(d);
  while (it < opts.maxIter && !converged) {
    it++;
    const H = new Float64Array(d * d);
    const g = new Float64Array(d);
    for (let i = 0; i < n; i++) {
      row[0] = 1;
      for (let j = 0; j < p; j++) row[j + 1] = X[i * p + j]!;
      let z = 0;
      for (let j = 0; j < d; j++) z += beta[j]! * row[j]!;
      const pr = 1 / (1 + Math.exp(-z));
      const w = Math.max(pr * (1 - pr), 1e-10);
      const r = y[i]! - pr;
      for (let a = 0; a < d; a++) {
        g[a]! += row[a]! * r;
        const wa = w * row[a]!;
        for (let b = 0; b <= a; b++) H[a * d + b]! += wa * row[b]!;
      }
    }
    for (let a = 0; a < d; a++) for (let b = 0; b < a; b++) H[b * d + a] = H[a * d + b]!;
    for (let a = 1; a < d; a++) { H[a * d + a]! += opts.l2; g[a]! -= opts.l2 * beta[a]!; }
    H[0]! += 1e-9;
    const step = solveSpd(H, g, d);
    let max = 0;
    for (let j = 0; j < d; j++) { beta[j]! += step[j]!; max = Math.max(max, Math.abs(step[j]!)); }
    converged = max < opts.tol;
  }
  return { intercept: beta[0]!, coef: Array.from(beta.subarray(1)), iterations: it, converged };
}
