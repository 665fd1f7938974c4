import { checkInteger, type NumericArray, toFloat64 } from './numeric-input.js';
import { symmetricEigen } from './symmetric-eigen.js';

/** A fitted principal component analysis; see {@link pca}. */
export interface PcaResult {
  /** Number of components k and input dimension d. */
  k: number;
  d: number;
  /** Principal axes, k × d row-major, unit length, by decreasing variance. */
  components: Float64Array;
  /** Variance along each axis (eigenvalues of the covariance with ddof = 1), length k. */
  explainedVariance: Float64Array;
  /** explainedVariance / total variance (trace of the covariance), length k. */
  explainedVarianceRatio: Float64Array;
  /** Per-feature mean of the training data, length d. */
  mean: Float64Array;
  /** Project rows (m × d, row-major) onto the axes: (x - mean) · componentsᵀ → m × k. */
  transform(x: NumericArray): Float64Array;
}

/**
 * Principal component analysis by eigen-decomposition, matching sklearn.decomposition.PCA
 * (svd_solver='full') up to the sign of each axis:
 * - the data are centred by the feature means; explained variance uses n - 1 (ddof = 1);
 * - d <= n: eigen-decomposition of the d × d covariance Xcᵀ Xc / (n - 1);
 * - d > n (e.g. a batch of 64 × 64 images, d = 4096): the n × n Gram matrix Xc Xcᵀ / (n - 1)
 *   has the same non-zero eigenvalues, and each axis is Xcᵀ u / ‖Xcᵀ u‖ (the "Gram trick");
 *   axes with (numerically) zero variance are completed to an orthonormal set;
 * - sign convention: the entry of largest magnitude of each axis is positive (scikit-learn >= 1.5,
 *   `svd_flip(u_based_decision=False)`).
 * Eigen-decomposition by Householder tridiagonalisation + implicit QL ({@link symmetricEigen}),
 * O(n·d·min(n, d) + min(n, d)³) time, float64.
 * @param data n × d matrix, row-major (rows are samples)
 * @param n number of samples, >= 2
 * @param d number of features, >= 1
 * @param k number of components, 1 <= k <= min(n, d)
 */
export function pca(data: NumericArray, n: number, d: number, k: number): PcaResult {
  checkInteger(n, 'n', 2);
  checkInteger(d, 'd', 1);
  checkInteger(k, 'k', 1, Math.min(n, d));
  const X = toFloat64(data, 'data', n * d);
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += X[i * d + j];
  for (let j = 0; j < d; j++) mean[j] /= n;
  let total = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const v = X[i * d + j] - mean[j];
      X[i * d + j] = v;
      total += v * v;
    }
  }
  total /= n - 1;

  const components = new Float64Array(k * d);
  const explainedVariance = new Float64Array(k);
  if (d <= n) {
    const C = new Float64Array(d * d);
    for (let i = 0; i < n; i++) {
      const o = i * d;
      for (let a = 0; a < d; a++) {
        const xa = X[o + a];
        if (xa === 0) continue;
        const ca = a * d;
        for (let b = 0; b <= a; b++) C[ca + b] += xa * X[o + b];
      }
    }
    for (let a = 0; a < d; a++) for (let b = 0; b <= a; b++) C[a * d + b] /= n - 1;
    const { values, vectors } = symmetricEigen(C, d);
    for (let c = 0; c < k; c++) {
      explainedVariance[c] = Math.max(0, values[c]);
      components.set(vectors.subarray(c * d, c * d + d), c * d);
    }
  } else {
    const G = new Float64Array(n * n);
    for (let a = 0; a < n; a++) {
      for (let b = 0; b <= a; b++) {
        let s = 0;
        const oa = a * d, ob = b * d;
        for (let j = 0; j < d; j++) s += X[oa + j] * X[ob + j];
        G[a * n + b] = s / (n - 1);
      }
    }
    const { values, vectors } = symmetricEigen(G, n);
    const tiny = Math.max(values[0], 0) * n * 1e-13;
    let filled = 0;
    for (let c = 0; c < k && values[c] > tiny; c++) {
      const axis = components.subarray(c * d, c * d + d);
      for (let i = 0; i < n; i++) {
        const u = vectors[c * n + i];
        if (u === 0) continue;
        const o = i * d;
        for (let j = 0; j < d; j++) axis[j] += u * X[o + j];
      }
      orthonormalise(components, c, d);
      explainedVariance[c] = values[c];
      filled = c + 1;
    }
    completeBasis(components, filled, k, d);
  }
  for (let c = 0; c < k; c++) fixSign(components.subarray(c * d, c * d + d));
  const explainedVarianceRatio = explainedVariance.map((v) => (total > 0 ? v / total : 0));

  const transform = (x: NumericArray): Float64Array => {
    const Y = toFloat64(x, 'x');
    if (Y.length % d !== 0) throw new Error(`x: expected a length that is a multiple of d=${d}, got ${Y.length}`);
    const m = Y.length / d;
    const out = new Float64Array(m * k);
    for (let r = 0; r < m; r++) {
      for (let c = 0; c < k; c++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += (Y[r * d + j] - mean[j]) * components[c * d + j];
        out[r * k + c] = s;
      }
    }
    return out;
  };
  return { k, d, components, explainedVariance, explainedVarianceRatio, mean, transform };
}

/** Gram-Schmidt row c of `rows` (width d) against rows 0..c-1, then normalise; returns its norm. */
function orthonormalise(rows: Float64Array, c: number, d: number): number {
  const v = rows.subarray(c * d, c * d + d);
  for (let pass = 0; pass < 2; pass++) {
    for (let q = 0; q < c; q++) {
      const u = rows.subarray(q * d, q * d + d);
      let dot = 0;
      for (let j = 0; j < d; j++) dot += u[j] * v[j];
      for (let j = 0; j < d; j++) v[j] -= dot * u[j];
    }
  }
  let norm = 0;
  for (let j = 0; j < d; j++) norm += v[j] * v[j];
  norm = Math.sqrt(norm);
  if (norm > 0) for (let j = 0; j < d; j++) v[j] /= norm;
  return norm;
}

/** Fill rows from..k-1 with unit vectors orthogonal to all earlier rows (zero-variance axes). */
function completeBasis(rows: Float64Array, from: number, k: number, d: number): void {
  let candidate = 0;
  for (let c = from; c < k; c++) {
    for (;;) {
      if (candidate >= d) throw new Error(`pca: could not complete an orthonormal basis at component ${c}`);
      const v = rows.subarray(c * d, c * d + d);
      v.fill(0);
      v[candidate++] = 1;
      if (orthonormalise(rows, c, d) > 1e-6) break;
    }
  }
}

/** Make the entry of largest magnitude positive (first one on ties). */
function fixSign(v: Float64Array): void {
  let best = 0;
  for (let j = 1; j < v.length; j++) if (Math.abs(v[j]) > Math.abs(v[best])) best = j;
  if (v[best] < 0) for (let j = 0; j < v.length; j++) v[j] = -v[j];
}
