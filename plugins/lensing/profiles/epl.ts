/**
 * Elliptical power-law (EPL) mass profile, lenstronomy 1.14.2 `EPL`, with the deflection of
 * Tessore & Metcalf (2015, A&A 580, A79, arXiv:1507.01819):
 *
 *   kappa = (3 - gamma)/2 * (theta_E / sqrt(q x'^2 + y'^2/q))^(gamma - 1)
 *
 * with (x', y') the coordinates shifted to the centre and rotated to the major axis. Internally
 * t = gamma - 1, b = theta_E sqrt(q) and, with Z = q x' + i y', R = |Z|:
 *
 *   alpha' = 2/(1+q) (b/R)^t Z 2F1(1, t/2; 2 - t/2; -f Z/conj(Z)),  f = (1-q)/(1+q)
 *
 * On |u| = 1 (u = Z/conj(Z) = e^{i theta}) the hypergeometric series is a Fourier series
 * sum_k c_k e^{i k theta} with real coefficients c_k = (-f)^k prod_{j<=k} (2j-2+t)/(2j+2-t)
 * whose moduli shrink at least geometrically with ratio f. It is truncated at the first K whose
 * tail bound |c_K| f/(1-f) is below `tolerance` (default 1e-10, relative to |2F1| ~ 1) and
 * summed with Clenshaw's recurrence (one multiply-add pair per term). On render grids of at least
 * 4096 points the kernel instead reads the series, a polynomial in cos theta, from a per-lens
 * cubic table (`epl-angular-table.ts`) and R^-t from `power-table.ts` (about 30% less time per
 * point; interpolation errors below the truncation tolerance, ~1e-11 relative).
 */
import { buildAngularTable, type EplAngularTable } from './epl-angular-table.js';
import { FAST_MATH } from './fast-math.js';
import { buildPowerTable, POWER_TABLE_EXP_HI, POWER_TABLE_EXP_LO, type PowerTable } from './power-table.js';
import { ellipticityToPhiQ } from './ellipticity.js';
import { rotateHessianBack, type MassProfile } from './mass-profile.js';
import { z } from '../../../core/index.js';
import { CENTER_X, CENTER_Y, E1, E2, profileParameters } from './profile-params.js';

// module-level copies of the fast-math tables and constants (see FAST_MATH: V8 specialises on them)
const {
  F64: FM_F64, U32: FM_U32, HI: FM_HI, LOG2_INV_CENTRE, LOG2_OF_CENTRE, POW2_NEG_BIASED, EXP2_FRACTION, POW2_BIASED,
  L1, L2, L3, L4, X2, X3, X4, ROUND_MAGIC, LN2_OVER_128,
} = FAST_MATH;

/** EPL keyword arguments (lenstronomy names). */
export interface EplParams {
  /** Circularised Einstein radius [arcsec]. */
  theta_E: number;
  /** Negative logarithmic slope of the 3-D density (2 = isothermal). */
  gamma: number;
  e1: number;
  e2: number;
  center_x: number;
  center_y: number;
}

/** One-line description of EPL. */
export const EPL_DESCRIPTION = 'Elliptical power law (Tessore & Metcalf 2015), lenstronomy EPL';

/** Parameters of EPL (lenstronomy keywords), |(e1, e2)| <= 0.9. */
export const EPL_PARAMS = profileParameters('EPL', {
  theta_E: z.number().gt(0).lte(100).describe('circularised Einstein radius [arcsec]'),
  gamma: z.number().min(1.2).max(2.9).describe('power-law slope of the 3-D density (2 = isothermal)'),
  e1: E1, e2: E2, center_x: CENTER_X, center_y: CENTER_Y,
}, { ellipticPair: true });

/** Default truncation tolerance of the hypergeometric series (relative to |2F1| ~ 1). */
export const EPL_DEFAULT_TOLERANCE = 1e-10;
/** Hard cap on the number of series terms (|e| <= 0.9 needs at most ~250 at 1e-10). */
export const EPL_MAX_TERMS = 4000;
/** lenstronomy floors R = |Z| at 1e-9 in the deflection and at 1e-8 in the Hessian. */
const R_FLOOR_DEFLECTION = 1e-9;
const R_FLOOR_HESSIAN = 1e-8;

/**
 * Fourier coefficients c_0..c_K of 2F1(1, t/2; 2 - t/2; -f e^{i theta}) in e^{i theta},
 * truncated where the tail bound |c_K| f / (1 - f) drops below `tolerance`.
 * @param f (1 - q)/(1 + q) in [0, 1)
 * @param t gamma - 1 in (0, 2)
 * @param tolerance absolute truncation error allowed on the series (default 1e-10)
 * @param maxTerms hard cap on K (default 4000)
 * @returns the coefficients; `length - 1` is K
 */
export function hypergeometricSeriesCoefficients(
  f: number, t: number, tolerance = EPL_DEFAULT_TOLERANCE, maxTerms = EPL_MAX_TERMS,
): Float64Array {
  const coef: number[] = [1];
  if (f > 0) {
    const tailFactor = f / (1 - f);
    let a = 1;
    for (let k = 1; k <= maxTerms; k++) {
      a *= (-f * (2 * k - 2 + t)) / (2 * k + 2 - t);
      coef.push(a);
      if (Math.abs(a) * tailFactor < tolerance) break;
    }
  }
  return Float64Array.from(coef);
}

/**
 * Sums sum_k c_k e^{i k theta} by Clenshaw's recurrence, given cos theta and sin theta.
 * @returns `[real, imaginary]`
 */
export function clenshawFourier(coef: Float64Array, cosT: number, sinT: number): [number, number] {
  const u2 = 2 * cosT;
  let b1 = 0, b2 = 0;
  for (let k = coef.length - 1; k >= 1; k--) {
    const b = coef[k] + u2 * b1 - b2;
    b2 = b1;
    b1 = b;
  }
  return [coef[0] + cosT * b1 - b2, sinT * b1];
}

/**
 * Derived constants of an elliptical power law: major-axis frame and series coefficients.
 * Shared by {@link EplProfile} and the SIE render kernel.
 */
export interface EplGeometry {
  b: number; t: number; q: number; phi: number; cosPhi: number; sinPhi: number;
  centerX: number; centerY: number;
  /** Series coefficients, see {@link hypergeometricSeriesCoefficients}. */
  coef: Float64Array;
  /** Truncation tolerance of the series (also the error allowed to the angular table). */
  tolerance: number;
  /** Angular table (`epl-angular-table.ts`): undefined until first needed, null when none reaches the tolerance. */
  angular?: EplAngularTable | null;
  /** Table of x^(-t/2) (`power-table.ts`), built with the angular table. */
  power?: PowerTable;
}

/** From this many points on, the kernel reads the angular factor from a per-lens table. */
export const EPL_TABLE_MIN_POINTS = 4096;

/**
 * Table-driven form of {@link addPowerLawDeflections}: the angular factor comes from the cubic
 * table `tab` of P(cos theta) and Q(cos theta), the power R2^(-t/2) from `pow`
 * (relative error below ~2e-11 in all, against 1e-10 for the series truncation itself).
 */
export function addPowerLawDeflectionsTabulated(
  g: EplGeometry, tab: EplAngularTable, pow: PowerTable, xs: Float64Array, ys: Float64Array, ax: Float64Array, ay: Float64Array, n: number,
): void {
  const { q, t, cosPhi: cs, sinPhi: sn, centerX: cx, centerY: cy } = g;
  const A = (2 / (1 + q)) * Math.pow(g.b, t);
  const ht = -0.5 * t;
  if (pow.exponent !== ht) throw new Error(`EPL kernel: power table built for x^${pow.exponent}, expected x^${ht}`);
  const minR2 = R_FLOOR_DEFLECTION * R_FLOOR_DEFLECTION;
  const f64 = FM_F64, u32 = FM_U32, HI = FM_HI, p2n = POW2_NEG_BIASED;
  const mc = pow.mantissa, oct = pow.octave, ELO = POWER_TABLE_EXP_LO, EHI = POWER_TABLE_EXP_HI;
  const c = tab.coef, M = tab.intervals, hM = tab.halfIntervals, last = M - 1;
  for (let p = 0; p < n; p++) {
    const dx = xs[p] - cx, dy = ys[p] - cy;
    const X = q * (dx * cs + dy * sn), Y = dy * cs - dx * sn;
    const R2 = X * X + Y * Y;
    const inv = 1 / (R2 === 0 ? minR2 : R2);
    const ur = (X * X - Y * Y) * inv, ui = 2 * X * Y * inv;
    const pos = (ur + 1) * hM;
    let k = pos | 0;
    if (k > last) k = last;
    const tau = pos - k;
    const o = k << 3;
    const Fr = c[o] + tau * (c[o + 1] + tau * (c[o + 2] + tau * c[o + 3]));
    const Fi = ui * (c[o + 4] + tau * (c[o + 5] + tau * (c[o + 6] + tau * c[o + 7])));
    // s = A * max(R2, minR2)^(-t/2) = A 2^(e a) m^a from the power table
    const Rp = R2 < minR2 ? minR2 : R2;
    f64[0] = Rp;
    const hi = u32[HI], ex = hi >>> 20;
    let s: number;
    if (ex >= ELO && ex < EHI) {
      const j = (hi >>> 12) & 255;
      const tm = (Rp * p2n[ex] - 1) * 256 - j;
      const o2 = j << 2;
      s = A * oct[ex - ELO] * (mc[o2] + tm * (mc[o2 + 1] + tm * (mc[o2 + 2] + tm * mc[o2 + 3])));
    } else {
      s = A * Math.pow(Rp, ht);
    }
    const alr = s * (X * Fr - Y * Fi), ali = s * (X * Fi + Y * Fr);
    ax[p] += alr * cs - ali * sn;
    ay[p] += alr * sn + ali * cs;
  }
}

/**
 * Adds power-law deflections at n points: through the angular table for n >= 4096 when one
 * reaches the series tolerance (built once per geometry), by the per-point series otherwise.
 */
export function addPowerLawDeflectionsAuto(
  g: EplGeometry, xs: Float64Array, ys: Float64Array, ax: Float64Array, ay: Float64Array, n: number,
): void {
  if (n >= EPL_TABLE_MIN_POINTS && g.coef.length > 1) {
    if (g.angular === undefined) g.angular = buildAngularTable(g.coef, g.tolerance);
    if (g.angular) {
      g.power ??= buildPowerTable(-0.5 * g.t);
      addPowerLawDeflectionsTabulated(g, g.angular, g.power, xs, ys, ax, ay, n);
      return;
    }
  }
  addPowerLawDeflections(g, xs, ys, ax, ay, n);
}

/**
 * Render kernel for power-law deflections: ADDS alpha at the first n points to (ax, ay).
 * Inlines the fast-math log2/exp2 of `fast-math.ts` for (b/R)^t and sums the angular series with
 * Clenshaw's recurrence. Two points are processed per iteration so that their (latency-bound)
 * recurrences overlap. A point exactly at the centre gets zero deflection (lenstronomy's
 * nan_to_num); R is floored at 1e-9 inside the power as in lenstronomy.
 */
export function addPowerLawDeflections(
  g: EplGeometry, xs: Float64Array, ys: Float64Array, ax: Float64Array, ay: Float64Array, n: number,
): void {
  const { q, t, cosPhi: cs, sinPhi: sn, centerX: cx, centerY: cy, coef } = g;
  const K = coef.length - 1;
  const c0 = coef[0];
  // prefactor 2/(1+q) b^t; the power R^-t = 2^(-t/2 log2 R^2)
  const A = (2 / (1 + q)) * Math.pow(g.b, t);
  const ht = -0.5 * t;
  const minR2 = R_FLOOR_DEFLECTION * R_FLOOR_DEFLECTION;
  const f64 = FM_F64, u32 = FM_U32, HI = FM_HI;
  const invc = LOG2_INV_CENTRE, logc = LOG2_OF_CENTRE, p2n = POW2_NEG_BIASED, frac = EXP2_FRACTION, p2 = POW2_BIASED;
  for (let p = 0; p < n; p += 2) {
    const pb = p + 1 < n ? p + 1 : p;
    const dxa = xs[p] - cx, dya = ys[p] - cy, dxb = xs[pb] - cx, dyb = ys[pb] - cy;
    const Xa = q * (dxa * cs + dya * sn), Ya = dya * cs - dxa * sn;
    const Xb = q * (dxb * cs + dyb * sn), Yb = dyb * cs - dxb * sn;
    const R2a = Xa * Xa + Ya * Ya, R2b = Xb * Xb + Yb * Yb;
    // u = Z / conj(Z) = (X^2 - Y^2 + 2iXY) / R^2; at Z = 0 the 1/minR2 makes u = 0 and alpha = 0
    const ia = 1 / (R2a === 0 ? minR2 : R2a), ib = 1 / (R2b === 0 ? minR2 : R2b);
    const ura = (Xa * Xa - Ya * Ya) * ia, uia = 2 * Xa * Ya * ia;
    const urb = (Xb * Xb - Yb * Yb) * ib, uib = 2 * Xb * Yb * ib;
    const u2a = 2 * ura, u2b = 2 * urb;
    let b1a = 0, b2a = 0, b1b = 0, b2b = 0;
    for (let k = K; k >= 1; k--) {
      const c = coef[k];
      const ta = c + u2a * b1a - b2a;
      b2a = b1a; b1a = ta;
      const tb = c + u2b * b1b - b2b;
      b2b = b1b; b1b = tb;
    }
    const Fra = c0 + ura * b1a - b2a, Fia = uia * b1a;
    const Frb = c0 + urb * b1b - b2b, Fib = uib * b1b;
    // s = A * max(R2, minR2)^(-t/2) via inlined fastLog2 / fastExp2, for a then b
    const Rpa = R2a < minR2 ? minR2 : R2a;
    f64[0] = Rpa;
    let hi = u32[HI], ex = hi >>> 20, j = (hi >>> 12) & 255;
    let r = Rpa * p2n[ex] * invc[j] - 1;
    let y = ht * (ex - 1023 + logc[j] + r * (L1 + r * (L2 + r * (L3 + r * L4))));
    let kk = y * 128 + ROUND_MAGIC - ROUND_MAGIC;
    let rr = (y * 128 - kk) * LN2_OVER_128;
    let ki = kk | 0;
    const sa = A * frac[ki & 127] * p2[(ki >> 7) + 1023] * (1 + rr * (1 + rr * (X2 + rr * (X3 + rr * X4))));
    const Rpb = R2b < minR2 ? minR2 : R2b;
    f64[0] = Rpb;
    hi = u32[HI]; ex = hi >>> 20; j = (hi >>> 12) & 255;
    r = Rpb * p2n[ex] * invc[j] - 1;
    y = ht * (ex - 1023 + logc[j] + r * (L1 + r * (L2 + r * (L3 + r * L4))));
    kk = y * 128 + ROUND_MAGIC - ROUND_MAGIC;
    rr = (y * 128 - kk) * LN2_OVER_128;
    ki = kk | 0;
    const sb = A * frac[ki & 127] * p2[(ki >> 7) + 1023] * (1 + rr * (1 + rr * (X2 + rr * (X3 + rr * X4))));
    const alra = sa * (Xa * Fra - Ya * Fia), alia = sa * (Xa * Fia + Ya * Fra);
    ax[p] += alra * cs - alia * sn;
    ay[p] += alra * sn + alia * cs;
    if (pb !== p) {
      const alrb = sb * (Xb * Frb - Yb * Fib), alib = sb * (Xb * Fib + Yb * Frb);
      ax[pb] += alrb * cs - alib * sn;
      ay[pb] += alrb * sn + alib * cs;
    }
  }
}

/** Builds the major-axis geometry of a power law from lenstronomy parameters. */
export function powerLawGeometry(
  thetaE: number, gamma: number, e1: number, e2: number, centerX: number, centerY: number, tolerance: number,
): EplGeometry {
  const { phi, q } = ellipticityToPhiQ(e1, e2);
  const t = gamma - 1;
  const f = (1 - q) / (1 + q);
  return {
    b: thetaE * Math.sqrt(q), t, q, phi, cosPhi: Math.cos(phi), sinPhi: Math.sin(phi),
    centerX, centerY, coef: hypergeometricSeriesCoefficients(f, t, tolerance), tolerance,
  };
}

/** Options of {@link EplProfile}. */
export interface EplOptions {
  /** Truncation tolerance of the angular series (default 1e-10). */
  tolerance?: number;
}

/**
 * EPL lens profile (lenstronomy `EPL`); see the file comment for the formulas.
 * Parameters are taken as given (validate user input with `EPL_PARAMS` first).
 */
export class EplProfile implements MassProfile {
  readonly type: string = 'EPL';
  /** Major-axis geometry and series coefficients. */
  readonly geometry: EplGeometry;
  private readonly cos2: number;
  private readonly sin2: number;

  constructor(readonly params: EplParams, options: EplOptions = {}) {
    const p = params;
    this.geometry = powerLawGeometry(p.theta_E, p.gamma, p.e1, p.e2, p.center_x, p.center_y, options.tolerance ?? EPL_DEFAULT_TOLERANCE);
    this.cos2 = Math.cos(2 * this.geometry.phi);
    this.sin2 = Math.sin(2 * this.geometry.phi);
  }

  /** Number of series terms K actually used. */
  get seriesTerms(): number { return this.geometry.coef.length - 1; }

  /** Shifted and rotated coordinates (x', y') of a sky position. */
  protected toMajorFrame(x: number, y: number): [number, number] {
    const g = this.geometry;
    const dx = x - g.centerX, dy = y - g.centerY;
    return [dx * g.cosPhi + dy * g.sinPhi, -dx * g.sinPhi + dy * g.cosPhi];
  }

  /** Deflection in the major-axis frame (lenstronomy `EPLMajorAxis.derivatives`). */
  protected majorDeflection(xr: number, yr: number): [number, number] {
    const { b, t, q, coef } = this.geometry;
    const X = q * xr, Y = yr;
    const R2 = X * X + Y * Y;
    if (R2 === 0) return [0, 0];
    const R = Math.max(Math.sqrt(R2), R_FLOOR_DEFLECTION);
    const [Fr, Fi] = clenshawFourier(coef, (X * X - Y * Y) / R2, (2 * X * Y) / R2);
    const s = (2 / (1 + q)) * Math.pow(b / R, t);
    return [s * (X * Fr - Y * Fi), s * (X * Fi + Y * Fr)];
  }

  deflection(x: number, y: number): [number, number] {
    const [xr, yr] = this.toMajorFrame(x, y);
    const [axr, ayr] = this.majorDeflection(xr, yr);
    const { cosPhi: c, sinPhi: s } = this.geometry;
    return [axr * c - ayr * s, axr * s + ayr * c];
  }

  /** (2 - t)/2 (b / R)^t with R = max(sqrt(q^2 x'^2 + y'^2), 1e-8). */
  convergence(x: number, y: number): number {
    const [xr, yr] = this.toMajorFrame(x, y);
    const { b, t, q } = this.geometry;
    const R = Math.max(Math.hypot(q * xr, yr), R_FLOOR_HESSIAN);
    return ((2 - t) / 2) * Math.pow(b / R, t);
  }

  /** psi = (x' alpha_x' + y' alpha_y') / (2 - t); zero at the centre, no additive constant. */
  potential(x: number, y: number): number {
    const [xr, yr] = this.toMajorFrame(x, y);
    const [axr, ayr] = this.majorDeflection(xr, yr);
    return (xr * axr + yr * ayr) / (2 - this.geometry.t);
  }

  /**
   * Hessian from kappa and the shear of Tessore & Metcalf eq. (17) (corrected version, as in
   * lenstronomy): gamma1 = (1-t)(a_x cos - a_y sin)/r - kappa cos 2th,
   * gamma2 = (1-t)(a_y cos + a_x sin)/r - kappa sin 2th, th the polar angle of (x', y').
   * At the exact centre the shear terms are set to 0 (lenstronomy's nan_to_num).
   */
  hessian(x: number, y: number): [number, number, number, number] {
    const [xr, yr] = this.toMajorFrame(x, y);
    const { b, t, q } = this.geometry;
    const R = Math.max(Math.hypot(q * xr, yr), R_FLOOR_HESSIAN);
    const r = Math.hypot(xr, yr);
    const kappa = Math.min(((2 - t) / 2) * Math.pow(b / R, t), 1e10);
    let g1 = 0, g2 = 0;
    if (r > 0) {
      const c = xr / r, s = yr / r;
      const cos2 = c * c * 2 - 1, sin2 = s * c * 2;
      const [axr, ayr] = this.majorDeflection(xr, yr);
      g1 = ((1 - t) * (axr * c - ayr * s)) / r - kappa * cos2;
      g2 = ((1 - t) * (ayr * c + axr * s)) / r - kappa * sin2;
    }
    return rotateHessianBack(kappa + g1, g2, kappa - g1, this.cos2, this.sin2);
  }

  addDeflections(xs: Float64Array, ys: Float64Array, ax: Float64Array, ay: Float64Array, n: number): void {
    addPowerLawDeflectionsAuto(this.geometry, xs, ys, ax, ay, n);
  }
}
