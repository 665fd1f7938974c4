/**
 * x^a for one fixed exponent a by table, for the EPL render kernel's (b/R)^t = A R2^(-t/2).
 *
 * Write x = 2^e m with m in [1, 2) (read from the IEEE-754 bits); then x^a = 2^(e a) m^a. The
 * factor 2^(e a) is tabulated for the biased exponents in [POWER_TABLE_EXP_LO, POWER_TABLE_EXP_HI)
 * (x from 2^-64 to 2^16) and m^a as 256 cubic Hermite pieces on [1, 2), indexed by the top 8
 * mantissa bits. The interpolation error is at most h^4/384 max|d^4 m^a/dm^4| relative, h = 1/256
 * (Press et al., Numerical Recipes 3rd ed. section 3.5), i.e. below 2.4e-12 |a(a-1)(a-2)(a-3)|
 * relative: 2e-11 for |a| <= 1; the nodes come from `fastPow` (1e-14) and the octave factors
 * from repeated multiplication by 2^a (below 1e-14 over the 80 octaves).
 */

import { fastPow } from './fast-math.js';

/** Mantissa intervals (top 8 bits). */
export const POWER_TABLE_BITS = 8;
/** Biased exponents of the tabulated octaves: x in [2^-64, 2^16). */
export const POWER_TABLE_EXP_LO = 1023 - 64;
export const POWER_TABLE_EXP_HI = 1023 + 16;

/** Tables of x^a: `mantissa` (4 cubic coefficients per interval) and `octave` (2^(e a) by e - EXP_LO). */
export interface PowerTable {
  exponent: number;
  mantissa: Float64Array;
  octave: Float64Array;
}

/** Builds the tables of x^a. */
export function buildPowerTable(a: number): PowerTable {
  const M = 1 << POWER_TABLE_BITS;
  const h = 1 / M;
  const mantissa = new Float64Array(4 * M);
  let f0 = 1, d0 = a * h;
  for (let j = 0; j < M; j++) {
    const m1 = 1 + (j + 1) * h;
    const f1 = fastPow(m1, a), d1 = (a * f1 / m1) * h;
    const o = 4 * j;
    mantissa[o] = f0;
    mantissa[o + 1] = d0;
    mantissa[o + 2] = 3 * (f1 - f0) - 2 * d0 - d1;
    mantissa[o + 3] = 2 * (f0 - f1) + d0 + d1;
    f0 = f1; d0 = d1;
  }
  const octave = new Float64Array(POWER_TABLE_EXP_HI - POWER_TABLE_EXP_LO);
  // 2^(e a) by repeated multiplication from 2^0 (80 steps: relative error below 1e-14)
  const up = Math.pow(2, a), down = 1 / up;
  let v = 1;
  for (let e = 1023; e < POWER_TABLE_EXP_HI; e++) { octave[e - POWER_TABLE_EXP_LO] = v; v *= up; }
  v = down;
  for (let e = 1022; e >= POWER_TABLE_EXP_LO; e--) { octave[e - POWER_TABLE_EXP_LO] = v; v *= down; }
  return { exponent: a, mantissa, octave };
}
