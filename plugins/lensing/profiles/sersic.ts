/**
 * Sersic light profiles, lenstronomy 1.14.2 `SERSIC` and `SERSIC_ELLIPSE` (Sersic 1963):
 *
 *   I(R) = amp exp(-b_n ((R/R_sersic)^(1/n) - 1)),  b_n = 1.9992 n - 0.3271 (floored at 1e-5)
 *
 * `amp` is the surface brightness AT R_sersic, b_n is lenstronomy's linear approximation (not the
 * exact root of Gamma(2n) = 2 gamma(2n, b_n)). For SERSIC_ELLIPSE R = sqrt(q x'^2 + y'^2/q)
 * (product-average convention: R_sersic is the circularised half-light radius). R and R_sersic
 * are floored at 1e-4 arcsec; where R/R_sersic > 1000 the profile is 0.
 * Total flux: amp R_sersic^2 2 pi n e^{b_n} b_n^{-2n} Gamma(2n), independent of q.
 */
import { productAverageMatrix } from './ellipticity.js';
import {
  EXP2_FRACTION, FM_F64, FM_HI, FM_U32, L1, L2, L3, L4, L5, LN2_OVER_64, LOG2_INV_CENTRE,
  LOG2_OF_CENTRE, POW2_BIASED, POW2_NEG_BIASED, ROUND_MAGIC, X2, X3, X4, X5,
} from './fast-math.js';
import { gammaFunction } from './gamma-function.js';
import type { LightProfile } from './light-profile.js';
import { CENTER_X, CENTER_Y, E1, E2, type ParamSpec, type ProfileSpec } from './param-spec.js';

/** Smallest radius used (R and R_sersic are floored to it) [arcsec]. */
export const SERSIC_SMOOTHING = 1e-4;
/** Beyond this many R_sersic the Sersic profile is set to 0 (lenstronomy max_R_frac). */
export const SERSIC_MAX_R_FRAC = 1000;

/** lenstronomy's b_n = 1.9992 n - 0.3271, floored at 1e-5. */
export function sersicBn(n: number): number {
  return Math.max(1.9992 * n - 0.3271, 1e-5);
}

/** Total flux of a Sersic profile: amp R^2 2 pi n e^{b_n} b_n^{-2n} Gamma(2n). */
export function sersicTotalFlux(amp: number, rSersic: number, n: number): number {
  const bn = sersicBn(n);
  return amp * rSersic * rSersic * 2 * Math.PI * n * Math.exp(bn) * Math.pow(bn, -2 * n) * gammaFunction(2 * n);
}

const AMP: ParamSpec = { name: 'amp', min: 0, max: 1e12, doc: 'surface brightness at R_sersic [flux/arcsec^2]' };
const R_SERSIC: ParamSpec = { name: 'R_sersic', min: 0, max: 100, minExclusive: true, doc: 'circularised half-light radius [arcsec]' };
const N_SERSIC: ParamSpec = { name: 'n_sersic', min: 0.2, max: 10, doc: 'Sersic index' };

/** Parameter table of SERSIC. */
export const SERSIC_SPEC: ProfileSpec = {
  type: 'SERSIC',
  kind: 'light',
  description: 'Circular Sersic profile (amp at R_sersic, b_n = 1.9992 n - 0.3271), lenstronomy SERSIC',
  params: [AMP, R_SERSIC, N_SERSIC, CENTER_X, CENTER_Y],
};

/** Parameter table of SERSIC_ELLIPSE. */
export const SERSIC_ELLIPSE_SPEC: ProfileSpec = {
  type: 'SERSIC_ELLIPSE',
  kind: 'light',
  description: 'Elliptical Sersic profile (product-average R_sersic), lenstronomy SERSIC_ELLIPSE',
  ellipticPair: true,
  params: [AMP, R_SERSIC, N_SERSIC, E1, E2, CENTER_X, CENTER_Y],
};

/** SERSIC / SERSIC_ELLIPSE keyword arguments (e1 = e2 = 0 for SERSIC). */
export interface SersicParams {
  amp: number;
  R_sersic: number;
  n_sersic: number;
  e1: number;
  e2: number;
  center_x: number;
  center_y: number;
}

/**
 * Adds `amp exp(-b_n((R/R_sersic)^(1/n) - 1))` at n points to `out`, with R given by the
 * product-average matrix (a11, a12, a22) (identity for a round profile). Inlines the fast-math
 * log2/exp2; allocates nothing.
 */
export function addSersicKernel(
  amp: number, rSersic: number, nSersic: number, a11: number, a12: number, a22: number, cx: number, cy: number,
  xs: Float64Array, ys: Float64Array, out: Float64Array, n: number,
): void {
  const rs = Math.max(rSersic, SERSIC_SMOOTHING);
  const bn = sersicBn(nSersic);
  const inv = 1 / rs;
  const m11 = a11 * inv, m12 = a12 * inv, m22 = a22 * inv;
  const minR2 = (SERSIC_SMOOTHING * inv) * (SERSIC_SMOOTHING * inv);
  const maxR2 = SERSIC_MAX_R_FRAC * SERSIC_MAX_R_FRAC;
  const p = 0.5 / nSersic;
  const A = amp * Math.exp(bn);
  const nb = -bn / Math.LN2;
  const f64 = FM_F64, u32 = FM_U32, HI = FM_HI;
  const invc = LOG2_INV_CENTRE, logc = LOG2_OF_CENTRE, p2n = POW2_NEG_BIASED, frac = EXP2_FRACTION, p2 = POW2_BIASED;
  // imported bindings are re-read on every use inside loops; local copies let V8 fold them
  const l1 = L1, l2 = L2, l3 = L3, l4 = L4, l5 = L5, x2 = X2, x3 = X3, x4 = X4, x5 = X5;
  const magic = ROUND_MAGIC, ln2o64 = LN2_OVER_64;
  for (let i = 0; i < n; i++) {
    const dx = xs[i] - cx, dy = ys[i] - cy;
    const u = m11 * dx + m12 * dy, v = m12 * dx + m22 * dy;
    let r2 = u * u + v * v;
    if (r2 > maxR2) continue;
    if (r2 < minR2) r2 = minR2;
    // w = r2^p
    f64[0] = r2;
    const hi = u32[HI];
    const ex = hi >>> 20;
    const j = (hi >>> 12) & 255;
    const r = r2 * p2n[ex] * invc[j] - 1;
    const y1 = p * (ex - 1023 + logc[j] + r * (l1 + r * (l2 + r * (l3 + r * (l4 + r * l5)))));
    const k1 = y1 * 64 + magic - magic;
    const s1 = (y1 * 64 - k1) * ln2o64;
    const i1 = k1 | 0;
    const w = frac[i1 & 63] * p2[(i1 >> 6) + 1023] * (1 + s1 * (1 + s1 * (x2 + s1 * (x3 + s1 * (x4 + s1 * x5)))));
    // out += A 2^(-b_n w / ln 2)
    const y2 = nb * w;
    if (y2 < -1022) continue;
    const k2 = y2 * 64 + magic - magic;
    const s2 = (y2 * 64 - k2) * ln2o64;
    const i2 = k2 | 0;
    out[i] += A * frac[i2 & 63] * p2[(i2 >> 6) + 1023] * (1 + s2 * (1 + s2 * (x2 + s2 * (x3 + s2 * (x4 + s2 * x5)))));
  }
}

/**
 * SERSIC_ELLIPSE light profile (and SERSIC, which is the e1 = e2 = 0 case with type `SERSIC`).
 * Parameters are taken as given (validate user input with the spec tables first).
 */
export class SersicProfile implements LightProfile {
  readonly type: string;
  readonly params: SersicParams;
  private readonly a11: number;
  private readonly a12: number;
  private readonly a22: number;

  /**
   * @param params amp, R_sersic, n_sersic, centre and, for the elliptical form, e1/e2
   * @param type `SERSIC_ELLIPSE` (default) or `SERSIC` (round; e1/e2 must be absent or 0)
   */
  constructor(params: Partial<SersicParams> & Pick<SersicParams, 'amp' | 'R_sersic' | 'n_sersic'>, type: 'SERSIC' | 'SERSIC_ELLIPSE' = 'SERSIC_ELLIPSE') {
    this.type = type;
    this.params = { e1: 0, e2: 0, center_x: 0, center_y: 0, ...params };
    if (type === 'SERSIC') { this.params.e1 = 0; this.params.e2 = 0; }
    [this.a11, this.a12, this.a22] = productAverageMatrix(this.params.e1, this.params.e2);
  }

  /** Elliptical radius R = sqrt(q x'^2 + y'^2/q) of a point [arcsec]. */
  ellipticalRadius(x: number, y: number): number {
    const dx = x - this.params.center_x, dy = y - this.params.center_y;
    return Math.hypot(this.a11 * dx + this.a12 * dy, this.a12 * dx + this.a22 * dy);
  }

  surfaceBrightness(x: number, y: number): number {
    const { amp, R_sersic, n_sersic } = this.params;
    const R = Math.max(this.ellipticalRadius(x, y), SERSIC_SMOOTHING);
    const frac = R / Math.max(R_sersic, SERSIC_SMOOTHING);
    if (frac > SERSIC_MAX_R_FRAC) return 0;
    return amp * Math.exp(-sersicBn(n_sersic) * (Math.pow(frac, 1 / n_sersic) - 1));
  }

  addSurfaceBrightness(xs: Float64Array, ys: Float64Array, out: Float64Array, n: number): void {
    const p = this.params;
    addSersicKernel(p.amp, p.R_sersic, p.n_sersic, this.a11, this.a12, this.a22, p.center_x, p.center_y, xs, ys, out, n);
  }

  /** lenstronomy total_flux (product-average R_sersic, independent of q). */
  totalFlux(): number {
    return sersicTotalFlux(this.params.amp, this.params.R_sersic, this.params.n_sersic);
  }
}
