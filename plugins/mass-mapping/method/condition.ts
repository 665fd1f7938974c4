import { gaussianSmooth } from '../../../core/index.js';
import { kaiserSquiresInverse, type ShearField } from '../numerics/index.js';

/** How an observed shear map is presented to the networks. */
export interface ConditionSpec {
  /** 'shear': γ1, γ2; 'ks': the unsmoothed Kaiser-Squires E and B modes of γ. */
  mode: 'ks' | 'shear';
  /** Extra channels (mode 'ks' only): the E mode smoothed by Gaussians of these σ (pixels, periodic). */
  smoothScales: readonly number[];
}

/** Number of condition channels: 2, plus one per smoothing scale (mode 'ks'), plus 1 with a mask. */
export function conditionChannels(spec: ConditionSpec, masked: boolean): number {
  return 2 + (spec.mode === 'ks' ? spec.smoothScales.length : 0) + (masked ? 1 : 0);
}

/**
 * The network condition of one observation, channels last [n, n, C], values divided by `scale`
 * (the mask channel, 1 = observed, is not scaled):
 * - mode 'shear': γ1, γ2;
 * - mode 'ks': κ_E, κ_B of the unsmoothed Kaiser-Squires inversion, then κ_E smoothed at each
 *   of `smoothScales`. KS is an invertible linear map of γ (up to the unobservable mean) and
 *   smoothing is a fixed function of it, so the information is that of γ; the U-Net merely
 *   need not learn the non-local inverse (as DeepMass, Jeffrey et al. 2020, conditions on KS).
 * @param g observed shear (n × n row-major)
 * @param n map side
 * @param spec condition mode and smoothing scales
 * @param mask survey mask or undefined
 * @param scale s > 0
 */
export function packCondition(g: ShearField, n: number, spec: ConditionSpec, mask: Uint8Array | undefined, scale: number): Float32Array {
  if (!(scale > 0)) throw new Error(`kappaScale: expected a number > 0, got ${scale}`);
  const planes: ArrayLike<number>[] = [];
  if (spec.mode === 'ks') {
    const k = kaiserSquiresInverse(g.gamma1, g.gamma2, n);
    planes.push(k.kappaE, k.kappaB);
    for (const s of spec.smoothScales) planes.push(gaussianSmooth(k.kappaE, n, n, s, { mode: 'wrap' }));
  } else planes.push(g.gamma1, g.gamma2);
  const C = planes.length + (mask ? 1 : 0);
  const out = new Float32Array(n * n * C);
  for (let i = 0; i < n * n; i++) {
    for (let c = 0; c < planes.length; c++) out[i * C + c] = planes[c][i] / scale;
    if (mask) out[i * C + planes.length] = mask[i];
  }
  return out;
}
