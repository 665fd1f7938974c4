import { type NumericArray, toFloat64 } from './numeric-input.js';
import { regularizedIncompleteBeta } from './special-functions.js';

/** Result of {@link pearson}. */
export interface PearsonResult {
  /** Pearson correlation coefficient in [-1, 1] (NaN when an input is constant). */
  r: number;
  /** Two-sided p-value for H0: no correlation (NaN when an input is constant). */
  pValue: number;
}

/**
 * Pearson correlation with its exact two-sided p-value, as `scipy.stats.pearsonr(x, y)`
 * (alternative='two-sided'). r = <x - x̄, y - ȳ> / (‖x - x̄‖ ‖y - ȳ‖), clipped to [-1, 1].
 * Under H0 (bivariate normal, ρ = 0) r follows Beta(n/2 - 1, n/2 - 1) on [-1, 1], so
 * p = 2 · P(R > |r|) = 2 · I_{(1-|r|)/2}(n/2 - 1, n/2 - 1) — equivalent to Student's t with
 * n - 2 degrees of freedom. For n = 2, r = ±1 and p = 1 (as scipy). A constant input gives
 * r = NaN and p = NaN (scipy warns `ConstantInputWarning` and returns NaN).
 * @param x first sample, length n >= 2
 * @param y second sample, same length
 */
export function pearson(x: NumericArray, y: NumericArray): PearsonResult {
  const a = toFloat64(x, 'x');
  if (a.length < 2) throw new Error(`x: expected at least 2 samples, got ${a.length}`);
  const b = toFloat64(y, 'y', a.length);
  const n = a.length;
  let allEqualA = true, allEqualB = true;
  for (let i = 1; i < n; i++) {
    if (a[i] !== a[0]) allEqualA = false;
    if (b[i] !== b[0]) allEqualB = false;
  }
  if (allEqualA || allEqualB) return { r: NaN, pValue: NaN };
  if (n === 2) return { r: Math.sign(a[1] - a[0]) * Math.sign(b[1] - b[0]), pValue: 1 };
  let ma = 0, mb = 0;
  for (let i = 0; i < n; i++) { ma += a[i]; mb += b[i]; }
  ma /= n; mb /= n;
  let saa = 0, sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = a[i] - ma, db = b[i] - mb;
    saa += da * da; sbb += db * db;
  }
  const na = Math.sqrt(saa), nb = Math.sqrt(sbb);
  let r = 0;
  for (let i = 0; i < n; i++) r += ((a[i] - ma) / na) * ((b[i] - mb) / nb);
  r = Math.max(-1, Math.min(1, r));
  const ab = n / 2 - 1;
  const pValue = Math.min(1, 2 * regularizedIncompleteBeta((1 - Math.abs(r)) / 2, ab, ab));
  return { r, pValue };
}
