/**
 * Singular isothermal ellipsoid, lenstronomy 1.14.2 `SIE` (= `NIE` with core s_scale = 1e-10,
 * whose effect here is below 1e-9 arcsec), in closed form (Kormann, Schneider & Bartelmann 1994;
 * Keeton & Kochanek 1998), with the same circularised theta_E convention as EPL:
 *
 *   kappa = 1/2 theta_E / sqrt(q x'^2 + y'^2/q),  b = theta_E sqrt(q),  s = sqrt(1 - q^2),
 *   alpha_x' = b/s atan(s x'/R),  alpha_y' = b/s atanh(s y'/R),  R = sqrt(q^2 x'^2 + y'^2),
 *   psi = x' alpha_x' + y' alpha_y',
 *   f_xx' = 2 kappa y'^2/r^2, f_yy' = 2 kappa x'^2/r^2, f_xy' = -2 kappa x'y'/r^2 (r = |(x', y')|).
 *
 * It equals EPL with gamma = 2 (Tessore & Metcalf's hypergeometric function reduces to
 * atan/atanh for t = 1). Note lenstronomy computes the SIE Hessian by finite differences, so its
 * SIE second derivatives carry ~1e-6 noise; ours are analytic. The render kernel uses the
 * power-law series of `epl.ts` with t = 1 (agrees with the closed form to ~1e-10).
 */
import { ellipticityToPhiQ } from './ellipticity.js';
import { addPowerLawDeflectionsAuto, EPL_DEFAULT_TOLERANCE, powerLawGeometry, type EplGeometry } from './epl.js';
import { rotateHessianBack, type MassProfile } from './mass-profile.js';
import { z } from '../../../core/index.js';
import { CENTER_X, CENTER_Y, E1, E2, profileParameters } from './profile-params.js';

/** SIE keyword arguments (lenstronomy names). */
export interface SieParams {
  /** Circularised Einstein radius [arcsec]. */
  theta_E: number;
  e1: number;
  e2: number;
  center_x: number;
  center_y: number;
}

/** One-line description of SIE. */
export const SIE_DESCRIPTION = 'Singular isothermal ellipsoid (closed form), lenstronomy SIE';

/** Parameters of SIE (lenstronomy keywords), |(e1, e2)| <= 0.9. */
export const SIE_PARAMS = profileParameters('SIE', {
  theta_E: z.number().gt(0).lte(100).describe('circularised Einstein radius [arcsec]'),
  e1: E1, e2: E2, center_x: CENTER_X, center_y: CENTER_Y,
}, { ellipticPair: true });

const R_FLOOR = 1e-8;

/** atan(s u)/s, continuous through s -> 0. */
function atanOverS(s: number, u: number): number {
  if (s < 1e-4) { const z = s * s * u * u; return u * (1 - z / 3 + (z * z) / 5); }
  return Math.atan(s * u) / s;
}

/** atanh(s u)/s, continuous through s -> 0. */
function atanhOverS(s: number, u: number): number {
  if (s < 1e-4) { const z = s * s * u * u; return u * (1 + z / 3 + (z * z) / 5); }
  return Math.atanh(s * u) / s;
}

/** SIE lens profile; parameters are taken as given (validate user input with `SIE_PARAMS`). */
export class SieProfile implements MassProfile {
  readonly type: string = 'SIE';
  private readonly b: number;
  private readonly q: number;
  private readonly s: number;
  private readonly cosPhi: number;
  private readonly sinPhi: number;
  private readonly cos2: number;
  private readonly sin2: number;
  /** Power-law geometry with t = 1, used by the render kernel. */
  readonly geometry: EplGeometry;

  constructor(readonly params: SieParams) {
    const { phi, q } = ellipticityToPhiQ(params.e1, params.e2);
    this.q = q;
    this.b = params.theta_E * Math.sqrt(q);
    this.s = Math.sqrt(1 - q * q);
    this.cosPhi = Math.cos(phi);
    this.sinPhi = Math.sin(phi);
    this.cos2 = Math.cos(2 * phi);
    this.sin2 = Math.sin(2 * phi);
    this.geometry = powerLawGeometry(params.theta_E, 2, params.e1, params.e2, params.center_x, params.center_y, EPL_DEFAULT_TOLERANCE);
  }

  private toMajorFrame(x: number, y: number): [number, number] {
    const dx = x - this.params.center_x, dy = y - this.params.center_y;
    return [dx * this.cosPhi + dy * this.sinPhi, -dx * this.sinPhi + dy * this.cosPhi];
  }

  private majorDeflection(xr: number, yr: number): [number, number] {
    const R = Math.hypot(this.q * xr, yr);
    if (R === 0) return [0, 0];
    return [this.b * atanOverS(this.s, xr / R), this.b * atanhOverS(this.s, yr / R)];
  }

  deflection(x: number, y: number): [number, number] {
    const [xr, yr] = this.toMajorFrame(x, y);
    const [a, b] = this.majorDeflection(xr, yr);
    return [a * this.cosPhi - b * this.sinPhi, a * this.sinPhi + b * this.cosPhi];
  }

  potential(x: number, y: number): number {
    const [xr, yr] = this.toMajorFrame(x, y);
    const [a, b] = this.majorDeflection(xr, yr);
    return xr * a + yr * b;
  }

  /** b / (2 R), R floored at 1e-8. */
  convergence(x: number, y: number): number {
    const [xr, yr] = this.toMajorFrame(x, y);
    return this.b / (2 * Math.max(Math.hypot(this.q * xr, yr), R_FLOOR));
  }

  hessian(x: number, y: number): [number, number, number, number] {
    const [xr, yr] = this.toMajorFrame(x, y);
    const kappa = this.b / (2 * Math.max(Math.hypot(this.q * xr, yr), R_FLOOR));
    const r2 = xr * xr + yr * yr;
    if (r2 === 0) return rotateHessianBack(kappa, 0, kappa, this.cos2, this.sin2);
    const k2 = (2 * kappa) / r2;
    return rotateHessianBack(k2 * yr * yr, -k2 * xr * yr, k2 * xr * xr, this.cos2, this.sin2);
  }

  addDeflections(xs: Float64Array, ys: Float64Array, ax: Float64Array, ay: Float64Array, n: number): void {
    addPowerLawDeflectionsAuto(this.geometry, xs, ys, ax, ay, n);
  }
}
