/**
 * The lens mass model of the LenSiam population (Chang et al. 2023, section 2.1): an elliptical
 * power law (EPL, Tessore & Metcalf 2015) plus external shear, with the eight parameters
 * (theta_E, gamma, e1, e2, center_x, center_y, gamma1, gamma2) drawn from uniform ranges. These
 * eight numbers are the labels of every image; both views of a LenSiam pair share them.
 */
import type { Rng } from '../../../core/index.js';
import type { MassProfile } from '../profiles/mass-profile.js';
import type { ProfileCatalog } from '../profiles/profile-catalog.js';

/** Label names, in this order. */
export const LENS_PARAM_NAMES = ['theta_E', 'gamma', 'e1', 'e2', 'center_x', 'center_y', 'gamma1', 'gamma2'] as const;
export type LensParamName = (typeof LENS_PARAM_NAMES)[number];

/** One lens mass model (lenstronomy names; arcsec). */
export type LensParams = Record<LensParamName, number>;

/** Uniform ranges of the eight lens parameters. */
export type LensPrior = Record<LensParamName, readonly [number, number]>;

/**
 * Draws one lens: each parameter uniform in its range, in the order of LENS_PARAM_NAMES
 * (a fixed range [a, a] consumes no random number).
 * @param prior the ranges
 * @param rng the stream
 */
export function drawLens(prior: LensPrior, rng: Rng): LensParams {
  const out = {} as LensParams;
  for (const name of LENS_PARAM_NAMES) {
    const [lo, hi] = prior[name];
    out[name] = lo === hi ? lo : rng.uniform(lo, hi);
  }
  return out;
}

/**
 * The mass profiles of a lens: EPL at (center_x, center_y) and SHEAR about the origin
 * (lenstronomy's default ra_0 = dec_0 = 0), built by the `EPL` and `SHEAR` components of `catalog`.
 */
export function lensMassProfiles(lens: LensParams, catalog: ProfileCatalog): MassProfile[] {
  return [
    catalog.createMass('EPL', { theta_E: lens.theta_E, gamma: lens.gamma, e1: lens.e1, e2: lens.e2, center_x: lens.center_x, center_y: lens.center_y }),
    catalog.createMass('SHEAR', { gamma1: lens.gamma1, gamma2: lens.gamma2, ra_0: 0, dec_0: 0 }),
  ];
}

/** The lens as lenstronomy-shaped JSON (`render` command / `renderSystem` input). */
export function lensKwargs(lens: LensParams): Array<Record<string, unknown>> {
  return [
    { type: 'EPL', theta_E: lens.theta_E, gamma: lens.gamma, e1: lens.e1, e2: lens.e2, center_x: lens.center_x, center_y: lens.center_y },
    { type: 'SHEAR', gamma1: lens.gamma1, gamma2: lens.gamma2 },
  ];
}
