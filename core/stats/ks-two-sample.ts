import { kolmogorovNSf } from './kolmogorov-finite-n.js';
import { checkInteger, type NumericArray, toFloat64 } from './numeric-input.js';

/** Which p-value {@link ksTwoSample} computes; 'auto' is scipy's rule (exact when both n <= 10000). */
export type KsMethod = 'auto' | 'exact' | 'asymptotic';

/** Result of {@link ksTwoSample}. */
export interface KsTwoSampleResult {
  /** D = sup_x |F1(x) - F2(x)| of the two empirical CDFs (ties handled). */
  statistic: number;
  /** Two-sided p-value of H0: both samples come from the same continuous distribution. */
  pValue: number;
  /** How the p-value was computed: exact path counting, or the Kolmogorov distribution. */
  method: 'exact' | 'asymptotic';
}

const MAX_AUTO_N = 10000;
const INT32_MAX = 2147483647;

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** numpy.round: round half to even. */
function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * Exact two-sided p-value P(D_{n1,n2} >= h / lcm(n1, n2)) of the two-sample KS statistic under
 * H0, for an integer h >= 1 (Hodges 1958, "The significance probability of the Smirnov two-sample
 * test"; the complementary "inside" recursion of Viehmann 2021, arXiv:2102.08037).
 *
 * A pooled ordering of the samples is a monotone lattice path from (0, 0) to (n1, n2); D >= h/L
 * iff the path touches a point with |x·n2/g - y·n1/g| >= h. With b(x, y) the probability that
 * a uniformly random path to (x, y) has touched such a point, b = 1 there and otherwise
 * b(x, y) = (x·b(x-1, y) + y·b(x, y-1)) / (x + y), b(0, 0) = 0; the p-value is b(n1, n2).
 * Each step is a convex combination, so the recursion is stable for any sizes; only the band
 * of inside points is visited (O(n1 · band width)).
 * @param n1 size of the first sample (integer >= 1)
 * @param n2 size of the second sample (integer >= 1)
 * @param h the statistic in units of 1/lcm(n1, n2) (integer >= 0; 0 gives p = 1)
 */
export function ksTwoSampleExactPValue(n1: number, n2: number, h: number): number {
  checkInteger(n1, 'n1', 1);
  checkInteger(n2, 'n2', 1);
  checkInteger(h, 'h', 0);
  if (h === 0) return 1;
  const m = Math.max(n1, n2), n = Math.min(n1, n2);
  const g = gcd(m, n);
  const mg = m / g, ng = n / g;
  const col = new Float64Array(n + 1).fill(1);
  col[0] = 0;
  for (let j = 1; j <= n && j * mg < h; j++) col[j] = col[j - 1];
  for (let i = 1; i <= m; i++) {
    const jlo = Math.max(0, Math.floor((i * ng - h) / mg) + 1);
    const jhi = Math.min(n, Math.ceil((i * ng + h) / mg) - 1);
    if (jlo > jhi) return 1;
    if (jlo >= 1) col[jlo - 1] = 1;
    let below = jlo >= 1 ? 1 : 0;
    for (let j = jlo; j <= jhi; j++) {
      const v = (i * col[j] + j * below) / (i + j);
      col[j] = v;
      below = v;
    }
  }
  return Math.min(1, Math.max(0, col[n]));
}

/**
 * Two-sample Kolmogorov-Smirnov test, two-sided, matching `scipy.stats.ks_2samp(a, b,
 * method=...)` (scipy 1.10-1.17):
 * - statistic D = max over the pooled data of |F_a(x) - F_b(x)| with right-continuous ECDFs,
 *   so tied values are handled as scipy does (searchsorted side='right');
 * - method 'auto' → exact when max(n1, n2) <= 10000, asymptotic otherwise; 'exact' falls back
 *   to asymptotic when lcm(n1, n2) would overflow int32 (as scipy);
 * - exact: D is snapped to h / lcm(n1, n2), h = round(D · lcm), and p = {@link ksTwoSampleExactPValue};
 * - asymptotic: p = P(D_N >= D) of the one-sample Kolmogorov distribution with
 *   N = round(n1·n2 / (n1 + n2)) (scipy's kstwo.sf(D, N); N is at least 1 here, where scipy
 *   would give NaN for n1 = n2 = 1).
 * @param a first sample (finite numbers, at least one)
 * @param b second sample
 * @param options.method 'auto' (default), 'exact' or 'asymptotic'
 */
export function ksTwoSample(a: NumericArray, b: NumericArray, options: { method?: KsMethod } = {}): KsTwoSampleResult {
  const method = options.method ?? 'auto';
  if (method !== 'auto' && method !== 'exact' && method !== 'asymptotic') {
    throw new Error(`method: expected one of 'auto'|'exact'|'asymptotic', got ${JSON.stringify(method)}`);
  }
  const x = toFloat64(a, 'a').sort();
  const y = toFloat64(b, 'b').sort();
  const n1 = x.length, n2 = y.length;
  if (n1 === 0) throw new Error('a: expected at least 1 sample, got 0');
  if (n2 === 0) throw new Error('b: expected at least 1 sample, got 0');

  // Walk the pooled sorted values; at each distinct value both ECDFs count every sample <= it.
  let i = 0, j = 0, d = 0;
  while (i < n1 || j < n2) {
    const v = j >= n2 || (i < n1 && x[i] <= y[j]) ? x[i] : y[j];
    while (i < n1 && x[i] <= v) i++;
    while (j < n2 && y[j] <= v) j++;
    const diff = Math.abs(i / n1 - j / n2);
    if (diff > d) d = diff;
  }

  let mode: 'exact' | 'asymptotic';
  const g = gcd(n1, n2);
  if (method === 'auto') mode = Math.max(n1, n2) <= MAX_AUTO_N ? 'exact' : 'asymptotic';
  else if (method === 'exact') mode = n1 / g >= INT32_MAX / (n2 / g) ? 'asymptotic' : 'exact';
  else mode = 'asymptotic';

  if (mode === 'exact') {
    const lcm = (n1 / g) * n2;
    const h = roundHalfEven(d * lcm);
    return { statistic: h / lcm, pValue: ksTwoSampleExactPValue(n1, n2, h), method: 'exact' };
  }
  const en = (n1 * n2) / (n1 + n2);
  const N = Math.max(1, roundHalfEven(en));
  return { statistic: d, pValue: kolmogorovNSf(N, d), method: 'asymptotic' };
}
