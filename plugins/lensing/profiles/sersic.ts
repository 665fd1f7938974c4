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
import { FAST_MATH } from './fast-math.js';
import { gammaFunction } from './gamma-function.js';
import type { LightProfile } from './light-profile.js';
import { z } from '../../../core/index.js';
import { CENTER_X, CENTER_Y, E1, E2, profileParameters } from './profile-params.js';
import {
  RADIAL_BUCKET_BITS, RADIAL_EXP_MIN, RADIAL_MAX_R2, RADIAL_MIN_R2, SHARED_RADIAL_LOOKUP, type RadialFunction,
} from './radial-lookup.js';

// module-level copies of the fast-math tables and constants (see FAST_MATH: V8 specialises on them)
const {
  F64: FM_F64, U32: FM_U32, HI: FM_HI, LOG2_INV_CENTRE, LOG2_OF_CENTRE, POW2_NEG_BIASED, EXP2_FRACTION, POW2_BIASED,
  L1, L2, L3, L4, X2, X3, X4, ROUND_MAGIC, LN2_OVER_128,
} = FAST_MATH;
const LOOKUP = SHARED_RADIAL_LOOKUP;
const { coef: LOOKUP_COEF, stamp: LOOKUP_STAMP } = LOOKUP;

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

const AMP = z.number().min(0).max(1e12).describe('surface brightness at R_sersic [flux/arcsec^2]');
const R_SERSIC = z.number().gt(0).lte(100).describe('circularised half-light radius [arcsec]');
const N_SERSIC = z.number().min(0.2).max(10).describe('Sersic index');

/** One-line description of SERSIC. */
export const SERSIC_DESCRIPTION = 'Circular Sersic profile (amp at R_sersic, b_n = 1.9992 n - 0.3271), lenstronomy SERSIC';

/** Parameters of SERSIC (lenstronomy keywords). */
export const SERSIC_PARAMS = profileParameters('SERSIC', {
  amp: AMP, R_sersic: R_SERSIC, n_sersic: N_SERSIC, center_x: CENTER_X, center_y: CENTER_Y,
});

/** One-line description of SERSIC_ELLIPSE. */
export const SERSIC_ELLIPSE_DESCRIPTION = 'Elliptical Sersic profile (product-average R_sersic), lenstronomy SERSIC_ELLIPSE';

/** Parameters of SERSIC_ELLIPSE (lenstronomy keywords), |(e1, e2)| <= 0.9. */
export const SERSIC_ELLIPSE_PARAMS = profileParameters('SERSIC_ELLIPSE', {
  amp: AMP, R_sersic: R_SERSIC, n_sersic: N_SERSIC, e1: E1, e2: E2, center_x: CENTER_X, center_y: CENTER_Y,
}, { ellipticPair: true });

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
 * Direct form of {@link addSersicKernel}: evaluates every point with the inlined fast-math
 * log2/exp2 (~1e-14 relative accuracy). Inlines the fast-math
 * log2/exp2 and processes two points per iteration (more instruction-level parallelism);
 * allocates nothing. Points beyond max_R_frac, or whose value underflows 2^-1022 amp e^{b_n},
 * get nothing added.
 */
export function addSersicKernelDirect(
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
  for (let i = 0; i < n; i += 2) {
    const ib = i + 1 < n ? i + 1 : i;
    const dxa = xs[i] - cx, dya = ys[i] - cy, dxb = xs[ib] - cx, dyb = ys[ib] - cy;
    const ua = m11 * dxa + m12 * dya, va = m12 * dxa + m22 * dya;
    const ub = m11 * dxb + m12 * dyb, vb = m12 * dxb + m22 * dyb;
    let ra2 = ua * ua + va * va, rb2 = ub * ub + vb * vb;
    const outA = ra2 > maxR2, outB = rb2 > maxR2;
    if (ra2 < minR2) ra2 = minR2;
    if (rb2 < minR2) rb2 = minR2;
    // w = (R/R_sersic)^(1/n) = r2^p via log2 then exp2
    f64[0] = ra2;
    const ha = u32[HI];
    f64[0] = rb2;
    const hb = u32[HI];
    const exa = ha >>> 20, ja = (ha >>> 12) & 255, exb = hb >>> 20, jb = (hb >>> 12) & 255;
    const la = ra2 * p2n[exa] * invc[ja] - 1, lb = rb2 * p2n[exb] * invc[jb] - 1;
    const ya = p * (exa - 1023 + logc[ja] + la * (L1 + la * (L2 + la * (L3 + la * L4))));
    const yb = p * (exb - 1023 + logc[jb] + lb * (L1 + lb * (L2 + lb * (L3 + lb * L4))));
    const ka = ya * 128 + ROUND_MAGIC - ROUND_MAGIC, kb = yb * 128 + ROUND_MAGIC - ROUND_MAGIC;
    const sa = (ya * 128 - ka) * LN2_OVER_128, sb = (yb * 128 - kb) * LN2_OVER_128;
    const ia = ka | 0, ibb = kb | 0;
    const wa = frac[ia & 127] * p2[(ia >> 7) + 1023] * (1 + sa * (1 + sa * (X2 + sa * (X3 + sa * X4))));
    const wb = frac[ibb & 127] * p2[(ibb >> 7) + 1023] * (1 + sb * (1 + sb * (X2 + sb * (X3 + sb * X4))));
    // value = A 2^(-b_n w / ln 2)
    let za = nb * wa, zb = nb * wb;
    const skipA = outA || za < -1022, skipB = outB || zb < -1022 || ib === i;
    if (za < -1022) za = -1022;
    if (zb < -1022) zb = -1022;
    const k2a = za * 128 + ROUND_MAGIC - ROUND_MAGIC, k2b = zb * 128 + ROUND_MAGIC - ROUND_MAGIC;
    const s2a = (za * 128 - k2a) * LN2_OVER_128, s2b = (zb * 128 - k2b) * LN2_OVER_128;
    const i2a = k2a | 0, i2b = k2b | 0;
    if (!skipA) out[i] += A * frac[i2a & 127] * p2[(i2a >> 7) + 1023] * (1 + s2a * (1 + s2a * (X2 + s2a * (X3 + s2a * X4))));
    if (!skipB) out[ib] += A * frac[i2b & 127] * p2[(i2b >> 7) + 1023] * (1 + s2b * (1 + s2b * (X2 + s2b * (X3 + s2b * X4))));
  }
}

/** Below this many points the direct kernel is used (table set-up would not pay off). */
export const SERSIC_LOOKUP_MIN_POINTS = 4096;

/** amp exp(-b_n (r2^p - 1)) as a function of the scaled r2 = (R/R_sersic)^2, for the lookup. */
class SersicRadial implements RadialFunction {
  constructor(private readonly A: number, private readonly nb: number, private readonly p: number) {}
  /** Same steps as fastLog2/fastExp2, inlined: calls returning doubles would box them on the heap. */
  evaluate(r2: number, out: Float64Array): void {
    const f64 = FM_F64;
    f64[0] = r2;
    const hi = FM_U32[FM_HI];
    const ex = hi >>> 20, j = (hi >>> 12) & 255;
    const l = r2 * POW2_NEG_BIASED[ex] * LOG2_INV_CENTRE[j] - 1;
    const y1 = this.p * (ex - 1023 + LOG2_OF_CENTRE[j] + l * (L1 + l * (L2 + l * (L3 + l * L4))));
    const k1 = y1 * 128 + ROUND_MAGIC - ROUND_MAGIC;
    const s1 = (y1 * 128 - k1) * LN2_OVER_128;
    const i1 = k1 | 0;
    const w = EXP2_FRACTION[i1 & 127] * POW2_BIASED[(i1 >> 7) + 1023] * (1 + s1 * (1 + s1 * (X2 + s1 * (X3 + s1 * X4))));
    const y2 = this.nb * w;
    let v = 0;
    if (y2 >= -1022) {
      const k2 = y2 * 128 + ROUND_MAGIC - ROUND_MAGIC;
      const s2 = (y2 * 128 - k2) * LN2_OVER_128;
      const i2 = k2 | 0;
      v = this.A * EXP2_FRACTION[i2 & 127] * POW2_BIASED[(i2 >> 7) + 1023] * (1 + s2 * (1 + s2 * (X2 + s2 * (X3 + s2 * X4))));
    }
    out[0] = v;
    // d/dr2 of A 2^(nb r2^p) = value nb ln2 p r2^p / r2
    out[1] = (v * this.nb * Math.LN2 * this.p * w) / r2;
  }
}

/**
 * Adds `amp exp(-b_n((R/R_sersic)^(1/n) - 1))` at n points to `out`, with R given by the
 * product-average matrix (a11, a12, a22) (identity for a round profile); R and R_sersic floored
 * at 1e-4, zero beyond R/R_sersic = 1000. For n >= 4096 points the profile is read from a
 * lazily built cubic-Hermite table in r2 (`radial-lookup.ts`; error below ~3e-8 of the peak
 * amp e^{b_n}), otherwise evaluated directly ({@link addSersicKernelDirect}). Allocation-free
 * apart from one small object per call.
 */
export function addSersicKernel(
  amp: number, rSersic: number, nSersic: number, a11: number, a12: number, a22: number, cx: number, cy: number,
  xs: Float64Array, ys: Float64Array, out: Float64Array, n: number,
): void {
  const rs = Math.max(rSersic, SERSIC_SMOOTHING);
  const inv = 1 / rs;
  const minR2 = (SERSIC_SMOOTHING * inv) * (SERSIC_SMOOTHING * inv);
  const maxR2 = SERSIC_MAX_R_FRAC * SERSIC_MAX_R_FRAC;
  if (n < SERSIC_LOOKUP_MIN_POINTS || minR2 < RADIAL_MIN_R2 || maxR2 >= RADIAL_MAX_R2) {
    addSersicKernelDirect(amp, rSersic, nSersic, a11, a12, a22, cx, cy, xs, ys, out, n);
    return;
  }
  const bn = sersicBn(nSersic);
  const fn = new SersicRadial(amp * Math.exp(bn), -bn / Math.LN2, 0.5 / nSersic);
  const m11 = a11 * inv, m12 = a12 * inv, m22 = a22 * inv;
  const gen = LOOKUP.begin();
  const coef = LOOKUP_COEF, stamp = LOOKUP_STAMP;
  const f64 = FM_F64, u32 = FM_U32, HI = FM_HI, p2n = POW2_NEG_BIASED;
  const BITS = RADIAL_BUCKET_BITS, SCALE = 1 << RADIAL_BUCKET_BITS, MASK = SCALE - 1, SHIFT = 20 - RADIAL_BUCKET_BITS;
  for (let i = 0; i < n; i++) {
    const dx = xs[i] - cx, dy = ys[i] - cy;
    const u = m11 * dx + m12 * dy, v = m12 * dx + m22 * dy;
    let r2 = u * u + v * v;
    if (r2 > maxR2) continue;
    if (r2 < minR2) r2 = minR2;
    f64[0] = r2;
    const hi = u32[HI];
    const ex = hi >>> 20;
    const j = (hi >>> SHIFT) & MASK;
    const b = ((ex - RADIAL_EXP_MIN) << BITS) | j;
    if (stamp[b] !== gen) LOOKUP.build(b, gen, fn);
    const tau = r2 * p2n[ex] * SCALE - (SCALE + j);
    const o = b << 2;
    out[i] += coef[o] + tau * (coef[o + 1] + tau * (coef[o + 2] + tau * coef[o + 3]));
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

  /**
   * The 10 parameters of the WebAssembly Sersic kernel (`imaging/wasm/render-kernel.c`
   * sersic_add) into out[0..9]: centre, product-average matrix / R_sersic, floor and cut of the
   * scaled r2, 1/(2n), amp e^{b_n}, -b_n/ln 2 (the same floors and cut-offs as the TypeScript kernels).
   */
  kernelParameters(out: Float64Array): void {
    const p = this.params;
    const inv = 1 / Math.max(p.R_sersic, SERSIC_SMOOTHING);
    const bn = sersicBn(p.n_sersic);
    out[0] = p.center_x; out[1] = p.center_y;
    out[2] = this.a11 * inv; out[3] = this.a12 * inv; out[4] = this.a22 * inv;
    out[5] = (SERSIC_SMOOTHING * inv) * (SERSIC_SMOOTHING * inv);
    out[6] = SERSIC_MAX_R_FRAC * SERSIC_MAX_R_FRAC;
    out[7] = 0.5 / p.n_sersic;
    out[8] = p.amp * Math.exp(bn);
    out[9] = -bn / Math.LN2;
  }

  /** lenstronomy total_flux (product-average R_sersic, independent of q). */
  totalFlux(): number {
    return sersicTotalFlux(this.params.amp, this.params.R_sersic, this.params.n_sersic);
  }
}
