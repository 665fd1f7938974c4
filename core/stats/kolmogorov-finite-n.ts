import { smirnovSf } from './smirnov.js';

/**
 * The two-sided one-sample Kolmogorov-Smirnov distribution for finite n:
 * D_n = sup_t |F_n(t) - F(t)| for n samples of a continuous F (scipy.stats.kstwo).
 *
 * Follows the method selection of Simard & L'Ecuyer (2011), "Computing the two-sided
 * Kolmogorov-Smirnov distribution", J. Stat. Softw. 39(11), with the same cut-offs as
 * scipy.stats._ksstats._kolmogn so the p-values agree with scipy:
 * - Ruben & Gambino (1982) closed forms for n·x <= 1 and n·x >= n - 1;
 * - 2 · P(D_n⁺ >= x) (exact for x >= 0.5, an excellent approximation in the far tail);
 * - Durbin's (1968) matrix algorithm in the form of Marsaglia, Tsang & Wang (2003);
 * - Pomeranz's (1974) recursion;
 * - the Pelz & Good (1976) asymptotic series for large n.
 */

const LN2 = Math.LN2;
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** log(n! / n^n), by direct summation for small n and Stirling's series (no cancellation) above. */
function logFactorialOverPower(n: number): number {
  if (n < 20) {
    let s = 0;
    for (let i = 1; i <= n; i++) s += Math.log(i / n);
    return s;
  }
  const r = 1 / n, r2 = r * r;
  const series = r * (1 / 12 - r2 * (1 / 360 - r2 * (1 / 1260 - r2 * (1 / 1680 - r2 / 1188))));
  return 0.5 * Math.log(n) - n + HALF_LOG_2PI + series;
}

function matMul(a: Float64Array, b: Float64Array, m: number): Float64Array {
  const c = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let k = 0; k < m; k++) {
      const aik = a[i * m + k];
      if (aik === 0) continue;
      const bo = k * m, co = i * m;
      for (let j = 0; j < m; j++) c[co + j] += aik * b[bo + j];
    }
  }
  return c;
}

function maxAbs(a: Float64Array): number {
  let mx = 0;
  for (let i = 0; i < a.length; i++) { const v = Math.abs(a[i]); if (v > mx) mx = v; }
  return mx;
}

/** Rescale `a` in place by a power of two when its entries leave [2^-400, 2^400]; returns the exponent added. */
function renormalise(a: Float64Array): number {
  const mx = maxAbs(a);
  if (mx === 0 || (mx < 2 ** 400 && mx > 2 ** -400)) return 0;
  const e = Math.round(Math.log2(mx));
  const f = 2 ** -e;
  for (let i = 0; i < a.length; i++) a[i] *= f;
  return e;
}

/**
 * P(D_n < d) by Durbin's matrix method (Marsaglia, Tsang & Wang 2003): with k = ⌈nd⌉,
 * h = k - nd and m = 2k - 1, P = n!/n^n · (H^n)_{kk} for the m × m matrix H with
 * H_ij = 1/(i - j + 1)! (0 when i - j + 1 < 0), corrected first column and last row.
 * O(m³ log n); used where m is small.
 */
export function kolmogorovCdfDurbin(n: number, d: number): number {
  if (d >= 1) return 1;
  const nd = n * d;
  if (nd <= 0.5) return 0;
  const k = Math.ceil(nd);
  const h = k - nd;
  const m = 2 * k - 1;
  const invFact = new Float64Array(m + 1);
  invFact[0] = 1;
  for (let i = 1; i <= m; i++) invFact[i] = invFact[i - 1] / i;
  let H: Float64Array = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) {
      const p = i - j + 1;
      if (p >= 0) H[i * m + j] = invFact[p];
    }
  }
  for (let i = 0; i < m; i++) H[i * m] = (1 - h ** (i + 1)) * invFact[i + 1];
  for (let j = 0; j < m; j++) H[(m - 1) * m + j] = (1 - h ** (m - j)) * invFact[m - j];
  H[(m - 1) * m] = (1 - 2 * h ** m + Math.max(0, 2 * h - 1) ** m) * invFact[m];

  // Q = H^n by binary powering, each matrix carrying its own power-of-two exponent.
  let Q: Float64Array | null = null;
  let qExp = 0, hExp = 0;
  let e = n;
  while (e > 0) {
    if (e & 1) {
      if (Q === null) { Q = H.slice(); qExp = hExp; }
      else { Q = matMul(Q, H, m); qExp += hExp; }
      qExp += renormalise(Q);
    }
    e = Math.floor(e / 2);
    if (e > 0) {
      H = matMul(H, H, m);
      hExp = 2 * hExp + renormalise(H);
    }
  }
  const qkk = Q![(k - 1) * m + (k - 1)];
  if (!(qkk > 0)) return 0;
  const p = Math.exp(Math.log(qkk) + qExp * LN2 + logFactorialOverPower(n));
  return Math.min(1, Math.max(0, p));
}

/**
 * P(D_n < d) by Pomeranz's (1974) recursion, written here as a dynamic programme over the
 * counting process N(s) of the n uniforms scaled to [0, n]: D_n < d (t = nd) iff N(s) < s + t
 * and N(s⁻) > s - t for all s. Cutting [0, n] at the integers and at the points where s ± t is an
 * integer makes both bounds constant on each piece; with Poisson weights Δ^j / j! per piece
 * (pieces of total length 1 after dividing by n), P = n! · V_last[n]. O(n t²); used for small n.
 */
export function kolmogorovCdfPomeranz(n: number, d: number): number {
  const t = n * d;
  if (t <= 0.5) return 0;
  if (d >= 1) return 1;
  const T = Math.floor(t);
  const f = t - T;                                    // exact
  // Breakpoints as (integer part K, kind): 0 → K, 1 → K + f, 2 → K + 1 - f, in increasing order.
  interface Bp { K: number; kind: 0 | 1 | 2; pos: number }
  const bps: Bp[] = [];
  for (let K = 0; K < n; K++) {
    bps.push({ K, kind: 0, pos: 0 });
    if (f > 0) {
      const a: Bp = { K, kind: 1, pos: f }, b: Bp = { K, kind: 2, pos: 1 - f };
      if (f <= 0.5) bps.push(a, b); else bps.push(b, a);
    }
  }
  bps.push({ K: n, kind: 0, pos: 0 });
  // floor(b + t) and floor(b - t) for each breakpoint, from the exact fractional parts.
  const floorPlus = (b: Bp): number =>
    b.kind === 0 ? b.K + T : b.kind === 1 ? b.K + T + (2 * f >= 1 ? 1 : 0) : b.K + T + 1;
  const floorMinus = (b: Bp): number =>
    b.kind === 0 ? b.K - T - (f > 0 ? 1 : 0) : b.kind === 1 ? b.K - T : b.K - T + (f > 0.5 ? -1 : 0);

  const weights = new Float64Array(n + 1);
  let V = new Float64Array(n + 1);
  let W = new Float64Array(n + 1);
  V[0] = 1;
  let lo = 0, hi = 0;                                 // support of V
  let expo = 0;                                       // V is stored times 2^-expo
  for (let i = 1; i < bps.length; i++) {
    const prev = bps[i - 1], cur = bps[i];
    const delta = ((cur.K + cur.pos) - (prev.K + prev.pos)) / n;
    const newHi = Math.min(n, floorPlus(prev));
    const newLo = i === bps.length - 1 ? n : Math.max(0, floorMinus(cur) + 1);
    W.fill(0);
    if (newLo <= newHi) {
      const span = newHi - lo;
      weights[0] = 1;
      for (let j = 1; j <= span; j++) weights[j] = (weights[j - 1] * delta) / j;
      for (let c = newLo; c <= newHi; c++) {
        let s = 0;
        const top = Math.min(c, hi);
        for (let c0 = lo; c0 <= top; c0++) s += V[c0] * weights[c - c0];
        W[c] = s;
      }
    }
    [V, W] = [W, V];
    lo = newLo; hi = newHi;
    if (lo > hi) return 0;
    let mx = 0;
    for (let c = lo; c <= hi; c++) if (V[c] > mx) mx = V[c];
    if (mx === 0) return 0;
    if (mx < 2 ** -400) {
      const e = Math.round(Math.log2(mx));
      const s = 2 ** -e;
      for (let c = lo; c <= hi; c++) V[c] *= s;
      expo -= e;
    }
  }
  const vn = V[n];
  if (!(vn > 0)) return 0;
  const logFact = logFactorialOverPower(n) + n * Math.log(n);
  return Math.min(1, Math.max(0, Math.exp(Math.log(vn) - expo * LN2 + logFact)));
}

/**
 * Pelz & Good (1976) approximation of P(D_n <= x): K0(z) + K1(z)/√n + K2(z)/n + K3(z)/n^{3/2}
 * with z = x√n, in the theta-function form suited to small z (Simard & L'Ecuyer 2011, §2.4).
 */
export function kolmogorovCdfPelzGood(n: number, x: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const z = Math.sqrt(n) * x;
  const z2 = z * z, z3 = z2 * z, z4 = z2 * z2, z6 = z4 * z2, z7 = z6 * z, z8 = z4 * z4, z10 = z8 * z2;
  const PI2 = Math.PI * Math.PI, PI4 = PI2 * PI2, PI6 = PI4 * PI2;
  const logq = -PI2 / (8 * z2);
  if (logq < -708) return 0;
  const maxk = Math.ceil((16 * z) / Math.PI);
  // Sums over odd m = 2k - 1 of polynomial(m²) · exp(-π² m² / (8 z²)).
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  for (let k = maxk; k >= 1; k--) {
    const m = 2 * k - 1, m2 = m * m, m4 = m2 * m2, m6 = m4 * m2;
    const e = Math.exp(logq * m2);
    s0 += e;
    s1 += (-z2 + (PI2 / 4) * m2) * e;
    s2 += (6 * z6 + 2 * z4 + ((2 * z4 - 5 * z2) * PI2 / 4) * m2 + (PI4 * (1 - 2 * z2) / 16) * m4) * e;
    s3 += (-30 * z6 - 90 * z8 + (PI2 * (135 * z4 - 96 * z6) / 4) * m2
      + (PI4 * (212 * z4 - 60 * z2) / 16) * m4 + (PI6 * (5 - 30 * z2) / 64) * m6) * e;
  }
  const SQRT2PI = Math.sqrt(2 * Math.PI);
  const K0 = (SQRT2PI * s0) / z;
  const K1 = (SQRT2PI * s1) / (6 * z4);
  let K2 = (SQRT2PI * s2) / (72 * z7);
  let K3 = (SQRT2PI * s3) / (6480 * z10);
  // Sums over all k of k² exp(-π² k² / (2 z²)) terms.
  let e2 = 0, e3 = 0;
  for (let k = maxk; k >= 1; k--) {
    const k2 = k * k;
    const w = k2 * Math.exp((-PI2 * k2) / (2 * z2));
    e2 += w;
    e3 += (3 * z2 - PI2 * k2) * w;
  }
  K2 += (-PI2 * SQRT2PI * e2) / (36 * z3);
  K3 += (PI2 * SQRT2PI * e3) / (216 * z6);
  return K0 + K1 / Math.sqrt(n) + K2 / n + K3 / (n * Math.sqrt(n));
}

/**
 * P(D_n >= x) for the two-sided one-sample KS statistic with n samples: the survival function
 * of scipy.stats.kstwo(n) (Simard & L'Ecuyer 2011 method selection, scipy's cut-offs).
 * @param n sample size, integer >= 1
 * @param x the statistic, any real (clipped to [0, 1])
 * @returns the p-value in [0, 1]
 */
export function kolmogorovNSf(n: number, x: number): number {
  if (!Number.isInteger(n) || n < 1) throw new Error(`kolmogorovNSf: n: expected an integer >= 1, got ${n}`);
  if (Number.isNaN(x)) throw new Error('kolmogorovNSf: x: expected a number, got NaN');
  const clip = (p: number): number => Math.min(1, Math.max(0, p));
  if (x >= 1) return 0;
  if (x <= 0) return 1;
  const t = n * x;
  if (t <= 1) {                                       // Ruben & Gambino: 1/(2n) <= x <= 1/n
    if (t <= 0.5) return 1;
    const cdf = Math.exp(logFactorialOverPower(n) + n * Math.log(2 * t - 1));
    return clip(1 - cdf);
  }
  if (t >= n - 1) return clip(2 * (1 - x) ** n);      // Ruben & Gambino
  if (x >= 0.5) return clip(2 * smirnovSf(n, x));     // exact: the one-sided tails cannot both occur
  const nx2 = t * x;
  if (n <= 140) {
    if (nx2 <= 0.754693) return clip(1 - kolmogorovCdfDurbin(n, x));
    if (nx2 <= 4) return clip(1 - kolmogorovCdfPomeranz(n, x));
    return clip(2 * smirnovSf(n, x));
  }
  if (nx2 >= 370) return 0;
  if (nx2 >= 2.2) return clip(2 * smirnovSf(n, x));
  const cdf = n <= 100000 && n * x ** 1.5 <= 1.4 ? kolmogorovCdfDurbin(n, x) : kolmogorovCdfPelzGood(n, x);
  return clip(1 - cdf);
}
