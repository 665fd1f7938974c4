/**
 * Singular isothermal sphere, lenstronomy 1.14.2 `SIS`:
 * kappa = theta_E / (2 r), alpha = theta_E (x, y)/r, psi = theta_E r,
 * f_xx = theta_E y^2/r^3, f_xy = -theta_E x y/r^3, f_yy = theta_E x^2/r^3,
 * with (x, y) relative to the centre; deflection and Hessian are 0 at r = 0 as in lenstronomy.
 */
import type { MassProfile } from './mass-profile.js';
import { z } from '../../../core/index.js';
import { CENTER_X, CENTER_Y, profileParameters } from './profile-params.js';

/** SIS keyword arguments (lenstronomy names). */
export interface SisParams {
  /** Einstein radius [arcsec]. */
  theta_E: number;
  center_x: number;
  center_y: number;
}

/** One-line description of SIS. */
export const SIS_DESCRIPTION = 'Singular isothermal sphere, lenstronomy SIS';

/** Parameters of SIS (lenstronomy keywords). */
export const SIS_PARAMS = profileParameters('SIS', {
  theta_E: z.number().gt(0).lte(100).describe('Einstein radius [arcsec]'),
  center_x: CENTER_X, center_y: CENTER_Y,
});

/** SIS lens profile; parameters are taken as given (validate user input with `SIS_PARAMS`). */
export class SisProfile implements MassProfile {
  readonly type: string = 'SIS';

  constructor(readonly params: SisParams) {}

  deflection(x: number, y: number): [number, number] {
    const dx = x - this.params.center_x, dy = y - this.params.center_y;
    const r = Math.sqrt(dx * dx + dy * dy);
    if (r === 0) return [0, 0];
    const a = this.params.theta_E / r;
    return [a * dx, a * dy];
  }

  potential(x: number, y: number): number {
    return this.params.theta_E * Math.hypot(x - this.params.center_x, y - this.params.center_y);
  }

  /** theta_E / (2 r), r floored at 1e-10. */
  convergence(x: number, y: number): number {
    const r = Math.hypot(x - this.params.center_x, y - this.params.center_y);
    return this.params.theta_E / (2 * Math.max(r, 1e-10));
  }

  hessian(x: number, y: number): [number, number, number, number] {
    const dx = x - this.params.center_x, dy = y - this.params.center_y;
    const r2 = dx * dx + dy * dy;
    if (r2 === 0) return [0, 0, 0, 0];
    const pre = this.params.theta_E / (r2 * Math.sqrt(r2));
    const fxy = -dx * dy * pre;
    return [dy * dy * pre, fxy, fxy, dx * dx * pre];
  }

  addDeflections(xs: Float64Array, ys: Float64Array, ax: Float64Array, ay: Float64Array, n: number): void {
    const te = this.params.theta_E, cx = this.params.center_x, cy = this.params.center_y;
    for (let i = 0; i < n; i++) {
      const dx = xs[i] - cx, dy = ys[i] - cy;
      const r2 = dx * dx + dy * dy;
      if (r2 === 0) continue;
      const a = te / Math.sqrt(r2);
      ax[i] += a * dx;
      ay[i] += a * dy;
    }
  }
}
