/**
 * Amplitudes of analytic light profiles for a requested total flux, so that every source kind
 * of the population (analytic, procedural, stamps) is drawn on one flux scale.
 *
 * With lenstronomy's product-average elliptical radius R = sqrt(q x'^2 + y'^2 / q) the area
 * element is the circular one (the map has unit Jacobian), so the total flux of any elliptical
 * profile is F = 2 pi int_0^inf I(R) R dR, independent of e1/e2.
 */
import { CoreSersicProfile, type CoreSersicParams } from '../profiles/core-sersic.js';
import { sersicTotalFlux } from '../profiles/sersic.js';

/**
 * SERSIC / SERSIC_ELLIPSE `amp` (surface brightness at R_sersic) giving total flux `flux`.
 * @param flux total flux [counts/s]
 * @param rSersic half-light radius [arcsec]
 * @param nSersic Sersic index
 */
export function sersicAmpForFlux(flux: number, rSersic: number, nSersic: number): number {
  return flux / sersicTotalFlux(1, rSersic, nSersic);
}

/**
 * Total flux of a CORE_SERSIC profile with amp = 1, by the trapezoid rule in ln R on
 * [1e-6 R_sersic, 1000 R_sersic] (300 nodes; relative accuracy ~1e-6 for n <= 8, gamma < 2).
 * @param p the profile's shape parameters (amp, e1, e2 and the centre are ignored)
 */
export function coreSersicUnitFlux(p: Pick<CoreSersicParams, 'R_sersic' | 'Rb' | 'n_sersic' | 'gamma' | 'alpha'>): number {
  const prof = new CoreSersicProfile({ amp: 1, R_sersic: p.R_sersic, Rb: p.Rb, n_sersic: p.n_sersic, gamma: p.gamma, alpha: p.alpha });
  const lo = Math.log(1e-6 * p.R_sersic), hi = Math.log(1000 * p.R_sersic);
  const nodes = 300;
  const h = (hi - lo) / (nodes - 1);
  let s = 0;
  for (let k = 0; k < nodes; k++) {
    const R = Math.exp(lo + k * h);
    const f = prof.surfaceBrightness(R, 0) * R * R;
    s += k === 0 || k === nodes - 1 ? 0.5 * f : f;
  }
  return 2 * Math.PI * s * h;
}

/**
 * CORE_SERSIC `amp` giving total flux `flux`.
 * @param flux total flux [counts/s]
 * @param p shape parameters (R_sersic, Rb [arcsec], n_sersic, gamma, alpha)
 */
export function coreSersicAmpForFlux(flux: number, p: Pick<CoreSersicParams, 'R_sersic' | 'Rb' | 'n_sersic' | 'gamma' | 'alpha'>): number {
  return flux / coreSersicUnitFlux(p);
}
