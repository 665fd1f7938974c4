/**
 * Core-Sersic light profile, lenstronomy 1.14.2 `CORE_SERSIC` (Graham et al. 2003; Trujillo et
 * al. 2004), exactly as lenstronomy's code evaluates it (its docstring's I' normalisation is not
 * applied; `amp` multiplies directly):
 *
 *   I = amp (1 + (Rb/R)^alpha)^(gamma/alpha) exp(-b_n (((R^alpha + Rb^alpha)/R_sersic^alpha)^(1/(alpha n)) - 1))
 *
 * with the elliptical product-average R of SERSIC_ELLIPSE floored at 1e-4, b_n = 1.9992 n - 0.3271,
 * alpha = 3 by default, and no outer cut-off.
 */
import { productAverageMatrix } from './ellipticity.js';
import { fastExp2, fastLog2 } from './fast-math.js';
import type { LightProfile } from './light-profile.js';
import { z } from '../../../core/index.js';
import { CENTER_X, CENTER_Y, E1, E2, profileParameters } from './profile-params.js';
import { SERSIC_SMOOTHING, sersicBn } from './sersic.js';

/** CORE_SERSIC keyword arguments (lenstronomy names). */
export interface CoreSersicParams {
  amp: number;
  R_sersic: number;
  /** Break (core) radius [arcsec]. */
  Rb: number;
  n_sersic: number;
  /** Inner power-law slope. */
  gamma: number;
  e1: number;
  e2: number;
  center_x: number;
  center_y: number;
  /** Sharpness of the core-to-Sersic transition (default 3). */
  alpha: number;
}

/** One-line description of CORE_SERSIC. */
export const CORE_SERSIC_DESCRIPTION = 'Core-Sersic profile (Trujillo et al. 2004), lenstronomy CORE_SERSIC';

/** Parameters of CORE_SERSIC (lenstronomy keywords), |(e1, e2)| <= 0.9. */
export const CORE_SERSIC_PARAMS = profileParameters('CORE_SERSIC', {
  amp: z.number().min(0).max(1e12).describe('amplitude [flux/arcsec^2]'),
  R_sersic: z.number().gt(0).lte(100).describe('circularised half-light radius [arcsec]'),
  Rb: z.number().min(0).max(100).describe('break (core) radius [arcsec]'),
  n_sersic: z.number().min(0.2).max(10).describe('Sersic index'),
  gamma: z.number().min(0).max(10).describe('inner power-law slope'),
  e1: E1, e2: E2, center_x: CENTER_X, center_y: CENTER_Y,
  alpha: z.number().gt(0).lte(100).default(3).describe('transition sharpness'),
}, { ellipticPair: true });

/** CORE_SERSIC light profile; parameters are taken as given (validate with `CORE_SERSIC_PARAMS`). */
export class CoreSersicProfile implements LightProfile {
  readonly type: string = 'CORE_SERSIC';
  readonly params: CoreSersicParams;
  private readonly a11: number;
  private readonly a12: number;
  private readonly a22: number;

  constructor(params: Partial<CoreSersicParams> & Pick<CoreSersicParams, 'amp' | 'R_sersic' | 'Rb' | 'n_sersic' | 'gamma'>) {
    this.params = { e1: 0, e2: 0, center_x: 0, center_y: 0, alpha: 3, ...params };
    [this.a11, this.a12, this.a22] = productAverageMatrix(this.params.e1, this.params.e2);
  }

  surfaceBrightness(x: number, y: number): number {
    const { amp, R_sersic, Rb, n_sersic, gamma, alpha, center_x, center_y } = this.params;
    const dx = x - center_x, dy = y - center_y;
    const R = Math.max(Math.hypot(this.a11 * dx + this.a12 * dy, this.a12 * dx + this.a22 * dy), SERSIC_SMOOTHING);
    const bn = sersicBn(n_sersic);
    return amp * Math.pow(1 + Math.pow(Rb / R, alpha), gamma / alpha)
      * Math.exp(-bn * (Math.pow((Math.pow(R, alpha) + Math.pow(Rb, alpha)) / Math.pow(R_sersic, alpha), 1 / (alpha * n_sersic)) - 1));
  }

  /**
   * The 13 parameters of the WebAssembly CORE_SERSIC kernel (`imaging/wasm/render-kernel.c`
   * core_sersic_add) into out[0..12], the constants of {@link addSurfaceBrightness}.
   */
  kernelParameters(out: Float64Array): void {
    const { amp, R_sersic, Rb, n_sersic, gamma, alpha, center_x, center_y } = this.params;
    const bn = sersicBn(n_sersic);
    out[0] = center_x; out[1] = center_y; out[2] = this.a11; out[3] = this.a12; out[4] = this.a22;
    out[5] = SERSIC_SMOOTHING * SERSIC_SMOOTHING; out[6] = 0.5 * alpha; out[7] = Math.pow(Rb, alpha);
    out[8] = gamma / alpha; out[9] = alpha * Math.log2(R_sersic); out[10] = 1 / (alpha * n_sersic);
    out[11] = -bn / Math.LN2; out[12] = amp * Math.exp(bn);
  }

  /**
   * Render kernel (fast math). With L = log2 R and M = log2(R^alpha + Rb^alpha):
   * I = amp e^{b_n} 2^{(gamma/alpha)(M - alpha L) - b_n 2^{(M - alpha log2 R_sersic)/(alpha n)} / ln 2}.
   */
  addSurfaceBrightness(xs: Float64Array, ys: Float64Array, out: Float64Array, n: number): void {
    const { amp, R_sersic, Rb, n_sersic, gamma, alpha, center_x: cx, center_y: cy } = this.params;
    const bn = sersicBn(n_sersic);
    const A = amp * Math.exp(bn);
    const rbA = Math.pow(Rb, alpha);
    const lrs = alpha * Math.log2(R_sersic);
    const ga = gamma / alpha, inn = 1 / (alpha * n_sersic), nb = -bn / Math.LN2, ha = 0.5 * alpha;
    const minR2 = SERSIC_SMOOTHING * SERSIC_SMOOTHING;
    const a11 = this.a11, a12 = this.a12, a22 = this.a22;
    for (let i = 0; i < n; i++) {
      const dx = xs[i] - cx, dy = ys[i] - cy;
      const u = a11 * dx + a12 * dy, v = a12 * dx + a22 * dy;
      let r2 = u * u + v * v;
      if (r2 < minR2) r2 = minR2;
      const aL = ha * fastLog2(r2);
      const M = fastLog2(fastExp2(aL) + rbA);
      const e = ga * (M - aL) + nb * fastExp2((M - lrs) * inn);
      if (e < -1022) continue;
      out[i] += A * fastExp2(e);
    }
  }
}
