import { type NumericArray, toFloat64 } from './numeric-input.js';

/**
 * Coefficient of determination, exactly as `sklearn.metrics.r2_score(y_true, y_pred)`
 * (scikit-learn >= 1.1, default `force_finite=True`):
 *
 *   R² = 1 - Σ (yTrue - yPred)² / Σ (yTrue - mean(yTrue))²
 *
 * It is not symmetric: the denominator uses `yTrue` only. When `yTrue` is constant the ratio is
 * undefined; like scikit-learn we return 1.0 for a perfect prediction and 0.0 otherwise.
 * Computed in float64 with a two-pass mean.
 * @param yTrue ground truth, length n >= 2
 * @param yPred predictions, same length
 * @returns R² in (-inf, 1]
 */
export function r2Score(yTrue: NumericArray, yPred: NumericArray): number {
  const t = toFloat64(yTrue, 'yTrue');
  if (t.length < 2) throw new Error(`yTrue: expected at least 2 samples, got ${t.length}`);
  const p = toFloat64(yPred, 'yPred', t.length);
  const n = t.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += t[i];
  mean /= n;
  let ssRes = 0, ssTot = 0;
  for (let i = 0; i < n; i++) {
    const r = t[i] - p[i];
    const d = t[i] - mean;
    ssRes += r * r;
    ssTot += d * d;
  }
  if (ssTot === 0) return ssRes === 0 ? 1 : 0;
  return 1 - ssRes / ssTot;
}
