/**
 * Tabulated angular factor of the EPL deflection, for large render grids.
 *
 * With u = e^{i theta} = Z / conj(Z) and x = cos theta, Clenshaw's recurrence for the Fourier
 * series sum_k c_k e^{i k theta} (see `epl.ts`) gives
 *
 *   Re = P(x) = c_0 + x b_1 - b_2 = sum_k c_k T_k(x),   Im = sin theta Q(x),  Q(x) = b_1 = sum_k c_k U_{k-1}(x),
 *
 * two polynomials of degree K in x alone (T, U: Chebyshev polynomials of the first and second
 * kind). Both are tabulated on M equal intervals of x in [-1, 1] as cubic Hermite interpolants of
 * their values and derivatives at the nodes, so a point costs one table lookup and two cubics
 * instead of K recurrence steps. The interpolation error is at most h^4/384 max|P''''| (h = 2/M;
 * e.g. Press et al., Numerical Recipes 3rd ed. section 3.5); with
 * max|T_k''''| = T_k''''(1) = k^2(k^2-1)(k^2-4)(k^2-9)/105 and the generous |U_{k-1}''''| <= k T_k''''(1),
 * M is the smallest power of two in [64, 4096] whose bound is below
 * `tolerance`; when none is, there is no table and the kernel sums the series per point.
 */

/** Fewest and most table intervals. */
export const EPL_TABLE_MIN_INTERVALS = 64;
export const EPL_TABLE_MAX_INTERVALS = 4096;

/** A tabulated angular factor: per interval i, P's cubic then Q's cubic (8 doubles at 8 i). */
export interface EplAngularTable {
  /** Number of intervals M. */
  intervals: number;
  /** M / 2: x in [-1, 1] maps to (x + 1) M / 2 in [0, M]. */
  halfIntervals: number;
  /** Cubic coefficients in tau in [0, 1) across each interval, 8 per interval. */
  coef: Float64Array;
  /** The error bound the table was built for. */
  errorBound: number;
}

/** Upper bound of max over [-1, 1] of |P''''| and |Q''''| for the coefficients c. */
export function angularFourthDerivativeBound(coef: Float64Array): number {
  let bound = 0;
  for (let k = 1; k < coef.length; k++) {
    const k2 = k * k;
    // T_k''''(1) for P; U_{k-1}'''' is bounded by k times that (Markov-type bound, generous)
    const t4 = (k2 * Math.max(k2 - 1, 0) * Math.max(k2 - 4, 0) * Math.max(k2 - 9, 0)) / 105;
    bound += Math.abs(coef[k]) * t4 * k;
  }
  return bound;
}

/** P, P', Q, Q' at x into out[0..3] (Clenshaw's recurrence and its derivative). */
export function angularPolynomials(coef: Float64Array, x: number, out: Float64Array): void {
  const u2 = 2 * x;
  let b1 = 0, b2 = 0, d1 = 0, d2 = 0;
  for (let k = coef.length - 1; k >= 1; k--) {
    const b = coef[k] + u2 * b1 - b2;
    const d = 2 * b1 + u2 * d1 - d2;
    b2 = b1; b1 = b;
    d2 = d1; d1 = d;
  }
  out[0] = coef[0] + x * b1 - b2;
  out[1] = b1 + x * d1 - d2;
  out[2] = b1;
  out[3] = d1;
}

/**
 * Builds the table of the series `coef` with interpolation error below `tolerance`, or returns
 * null when even the finest table would not reach it.
 */
export function buildAngularTable(coef: Float64Array, tolerance: number): EplAngularTable | null {
  const d4 = angularFourthDerivativeBound(coef);
  let M = EPL_TABLE_MIN_INTERVALS;
  while (M <= EPL_TABLE_MAX_INTERVALS && (Math.pow(2 / M, 4) / 384) * d4 > tolerance) M *= 2;
  if (M > EPL_TABLE_MAX_INTERVALS) return null;
  const h = 2 / M;
  const table = new Float64Array(8 * M);
  const K = coef.length - 1, c0 = coef[0];
  // P, P', Q, Q' at every node, then the cubic of each interval
  let pPrev = 0, dpPrev = 0, qPrev = 0, dqPrev = 0;
  for (let i = 0; i <= M; i++) {
    const x = i === M ? 1 : -1 + i * h;
    const u2 = 2 * x;
    let b1 = 0, b2 = 0, e1 = 0, e2 = 0;
    for (let k = K; k >= 1; k--) {
      const b = coef[k] + u2 * b1 - b2;
      const e = 2 * b1 + u2 * e1 - e2;
      b2 = b1; b1 = b;
      e2 = e1; e1 = e;
    }
    const pv = c0 + x * b1 - b2, dp = (b1 + x * e1 - e2) * h, qv = b1, dq = e1 * h;
    if (i > 0) {
      const o = 8 * (i - 1);
      table[o] = pPrev;
      table[o + 1] = dpPrev;
      table[o + 2] = 3 * (pv - pPrev) - 2 * dpPrev - dp;
      table[o + 3] = 2 * (pPrev - pv) + dpPrev + dp;
      table[o + 4] = qPrev;
      table[o + 5] = dqPrev;
      table[o + 6] = 3 * (qv - qPrev) - 2 * dqPrev - dq;
      table[o + 7] = 2 * (qPrev - qv) + dqPrev + dq;
    }
    pPrev = pv; dpPrev = dp; qPrev = qv; dqPrev = dq;
  }
  return { intervals: M, halfIntervals: M / 2, coef: table, errorBound: (Math.pow(2 / M, 4) / 384) * d4 };
}
