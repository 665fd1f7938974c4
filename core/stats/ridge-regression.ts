import { checkInteger, checkNumber, type NumericArray, toFloat64 } from './numeric-input.js';
import { r2Score } from './r2-score.js';

/** A fitted linear probe; see {@link linearProbe}. */
export interface LinearProbe {
  /** Coefficients, length dim. */
  weights: Float64Array;
  /** Unpenalised intercept. */
  intercept: number;
  /** Predict targets for rows of x (m × dim, row-major). */
  predict(x: NumericArray): Float64Array;
}

/**
 * In-place Cholesky factorisation of an SPD p × p matrix (lower triangle); throws when a pivot
 * falls below 1e-12 of its diagonal entry (singular to working precision).
 */
function cholesky(A: Float64Array, p: number): void {
  for (let j = 0; j < p; j++) {
    const diag = A[j * p + j];
    let s = diag;
    for (let q = 0; q < j; q++) s -= A[j * p + q] * A[j * p + q];
    if (!(s > 1e-12 * diag)) {
      throw new Error(`alpha: the regularised normal matrix is not positive definite at pivot ${j}; use alpha > 0`);
    }
    const ljj = Math.sqrt(s);
    A[j * p + j] = ljj;
    for (let i = j + 1; i < p; i++) {
      let t = A[i * p + j];
      for (let q = 0; q < j; q++) t -= A[i * p + q] * A[j * p + q];
      A[i * p + j] = t / ljj;
    }
  }
}

/** Solve L Lᵀ x = b in place given the Cholesky factor in the lower triangle of L. */
function choleskySolve(L: Float64Array, p: number, b: Float64Array): void {
  for (let i = 0; i < p; i++) {
    let s = b[i];
    for (let q = 0; q < i; q++) s -= L[i * p + q] * b[q];
    b[i] = s / L[i * p + i];
  }
  for (let i = p - 1; i >= 0; i--) {
    let s = b[i];
    for (let q = i + 1; q < p; q++) s -= L[q * p + i] * b[q];
    b[i] = s / L[i * p + i];
  }
}

/**
 * Ridge-regression linear probe in closed form, as sklearn.linear_model.Ridge(alpha,
 * fit_intercept=True): minimise ‖y - Xw - b‖² + alpha ‖w‖² with the intercept unpenalised.
 * X and y are centred; then w = (XcᵀXc + αI)⁻¹ Xcᵀyc when dim <= n (primal, dim × dim system) or
 * w = Xcᵀ (XcXcᵀ + αI)⁻¹ yc when dim > n (dual, n × n), both solved by Cholesky in float64;
 * b = ȳ - x̄·w.
 * @param trainX n × dim features, row-major
 * @param trainY n targets
 * @param dim feature dimension
 * @param alpha L2 penalty >= 0 (default 1.0, sklearn's default); 0 needs a full-rank design
 */
export function linearProbe(trainX: NumericArray, trainY: NumericArray, dim: number, alpha = 1.0): LinearProbe {
  checkInteger(dim, 'dim', 1);
  checkNumber(alpha, 'alpha', (v) => v >= 0, 'a number >= 0');
  const X = toFloat64(trainX, 'trainX');
  if (X.length === 0 || X.length % dim !== 0) {
    throw new Error(`trainX: expected a non-empty length that is a multiple of dim=${dim}, got ${X.length}`);
  }
  const n = X.length / dim;
  const y = toFloat64(trainY, 'trainY', n);
  const xMean = new Float64Array(dim);
  let yMean = 0;
  for (let i = 0; i < n; i++) {
    yMean += y[i];
    for (let j = 0; j < dim; j++) xMean[j] += X[i * dim + j];
  }
  yMean /= n;
  for (let j = 0; j < dim; j++) xMean[j] /= n;
  for (let i = 0; i < n; i++) {
    y[i] -= yMean;
    for (let j = 0; j < dim; j++) X[i * dim + j] -= xMean[j];
  }
  const weights = new Float64Array(dim);
  if (dim <= n) {
    const A = new Float64Array(dim * dim);
    const rhs = new Float64Array(dim);
    for (let i = 0; i < n; i++) {
      const o = i * dim;
      for (let a = 0; a < dim; a++) {
        const xa = X[o + a];
        rhs[a] += xa * y[i];
        for (let b = 0; b <= a; b++) A[a * dim + b] += xa * X[o + b];
      }
    }
    for (let a = 0; a < dim; a++) A[a * dim + a] += alpha;
    cholesky(A, dim);
    choleskySolve(A, dim, rhs);
    weights.set(rhs);
  } else {
    const K = new Float64Array(n * n);
    for (let a = 0; a < n; a++) {
      for (let b = 0; b <= a; b++) {
        let s = 0;
        for (let j = 0; j < dim; j++) s += X[a * dim + j] * X[b * dim + j];
        K[a * n + b] = s;
      }
      K[a * n + a] += alpha;
    }
    cholesky(K, n);
    const c = y.slice();
    choleskySolve(K, n, c);
    for (let i = 0; i < n; i++) for (let j = 0; j < dim; j++) weights[j] += X[i * dim + j] * c[i];
  }
  let intercept = yMean;
  for (let j = 0; j < dim; j++) intercept -= xMean[j] * weights[j];
  const predict = (x: NumericArray): Float64Array => {
    const Z = toFloat64(x, 'x');
    if (Z.length % dim !== 0) throw new Error(`x: expected a length that is a multiple of dim=${dim}, got ${Z.length}`);
    const m = Z.length / dim;
    const out = new Float64Array(m);
    for (let r = 0; r < m; r++) {
      let s = intercept;
      for (let j = 0; j < dim; j++) s += Z[r * dim + j] * weights[j];
      out[r] = s;
    }
    return out;
  };
  return { weights, intercept, predict };
}

/**
 * Test-set R² of a ridge linear probe fitted on the training set:
 * r2Score(testY, linearProbe(trainX, trainY, dim, alpha).predict(testX)).
 * @param alpha L2 penalty (default 1.0)
 */
export function ridgeR2(trainX: NumericArray, trainY: NumericArray, testX: NumericArray, testY: NumericArray, dim: number, alpha = 1.0): number {
  const probe = linearProbe(trainX, trainY, dim, alpha);
  return r2Score(testY, probe.predict(testX));
}
