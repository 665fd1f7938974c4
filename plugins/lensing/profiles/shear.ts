/**
 * External shear, lenstronomy 1.14.2 `SHEAR`:
 * psi = 1/2 (g1 (x^2 - y^2) + 2 g2 x y), alpha = (g1 x + g2 y, g2 x - g1 y), kappa = 0,
 * with (x, y) measured from (ra_0, dec_0) = (0, 0) by default: the shear is centred on the
 * coordinate origin, NOT on the main deflector's centre.
 */
import type { MassProfile } from './mass-profile.js';
import { z } from '../../../core/index.js';
import { profileParameters } from './profile-params.js';

/** SHEAR keyword arguments (lenstronomy names). */
export interface ShearParams {
  gamma1: number;
  gamma2: number;
  /** x where the shear deflection vanishes [arcsec] (default 0). */
  ra_0: number;
  /** y where the shear deflection vanishes [arcsec] (default 0). */
  dec_0: number;
}

/** One-line description of SHEAR. */
export const SHEAR_DESCRIPTION = 'External shear (gamma1, gamma2) about (ra_0, dec_0), lenstronomy SHEAR';

/** Parameters of SHEAR (lenstronomy keywords). */
export const SHEAR_PARAMS = profileParameters('SHEAR', {
  gamma1: z.number().min(-0.5).max(0.5).describe('shear component along x'),
  gamma2: z.number().min(-0.5).max(0.5).describe('shear component along the diagonal'),
  ra_0: z.number().min(-100).max(100).default(0).describe('x of the zero-deflection point [arcsec]'),
  dec_0: z.number().min(-100).max(100).default(0).describe('y of the zero-deflection point [arcsec]'),
});

/** External shear profile; parameters are taken as given (validate user input with `SHEAR_PARAMS`). */
export class ShearProfile implements MassProfile {
  readonly type: string = 'SHEAR';

  constructor(readonly params: ShearParams) {}

  deflection(x: number, y: number): [number, number] {
    const { gamma1: g1, gamma2: g2, ra_0, dec_0 } = this.params;
    const dx = x - ra_0, dy = y - dec_0;
    return [g1 * dx + g2 * dy, g2 * dx - g1 * dy];
  }

  potential(x: number, y: number): number {
    const { gamma1: g1, gamma2: g2, ra_0, dec_0 } = this.params;
    const dx = x - ra_0, dy = y - dec_0;
    return 0.5 * (g1 * dx * dx + 2 * g2 * dx * dy - g1 * dy * dy);
  }

  convergence(): number { return 0; }

  hessian(): [number, number, number, number] {
    const { gamma1: g1, gamma2: g2 } = this.params;
    return [g1, g2, g2, -g1];
  }

  addDeflections(xs: Float64Array, ys: Float64Array, ax: Float64Array, ay: Float64Array, n: number): void {
    const { gamma1: g1, gamma2: g2, ra_0, dec_0 } = this.params;
    for (let i = 0; i < n; i++) {
      const dx = xs[i] - ra_0, dy = ys[i] - dec_0;
      ax[i] += g1 * dx + g2 * dy;
      ay[i] += g2 * dx - g1 * dy;
    }
  }
}
