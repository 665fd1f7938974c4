import { gaussianSmooth } from '../../../core/index.js';
import { kaiserSquiresInverse, type ShearField } from '../numerics/index.js';
import { rmse } from '../metrics/map-metrics.js';

/**
 * The Kaiser-Squires (1993) baseline of mass-mapping comparisons (e.g. Whitney et al. 2024,
 * Jeffrey et al. 2020): the E-mode of the direct Fourier inversion of the observed shear,
 * optionally smoothed by a Gaussian of `smoothSigma` pixels (periodic boundary, as the forward
 * model is periodic). Float32 n × n, zero mean before smoothing (mass-sheet degeneracy).
 * @param shear observed γ1, γ2 (n × n row-major)
 * @param n map side
 * @param smoothSigma Gaussian smoothing std in pixels (0 = none)
 */
export function kaiserSquiresEstimate(shear: ShearField, n: number, smoothSigma: number): Float32Array {
  if (!(Number.isFinite(smoothSigma) && smoothSigma >= 0)) throw new Error(`ksSmoothing: expected a number >= 0 (pixels), got ${smoothSigma}`);
  const { kappaE } = kaiserSquiresInverse(shear.gamma1, shear.gamma2, n);
  return Float32Array.from(smoothSigma > 0 ? gaussianSmooth(kappaE, n, n, smoothSigma, { mode: 'wrap' }) : kappaE);
}

/** Default grid of smoothing scales (pixels) searched by {@link chooseKsSmoothing}. */
export const KS_SMOOTHING_GRID: readonly number[] = [0, 0.5, 0.75, 1, 1.25, 1.5, 2, 2.5, 3, 4, 5, 6, 8];

/**
 * Pick the KS smoothing scale that minimises the mean RMSE over (validation) maps — the fairest
 * smoothed-KS baseline for a given noise level. Ties go to the smaller scale.
 * @param truths true κ maps
 * @param shears their observed shears
 * @param n map side
 * @param grid candidate scales in pixels
 * @returns the chosen σ (pixels) and its mean RMSE
 */
export function chooseKsSmoothing(truths: ArrayLike<number>[], shears: ShearField[], n: number, grid: readonly number[] = KS_SMOOTHING_GRID): { sigma: number; rmse: number } {
  if (truths.length === 0 || truths.length !== shears.length) {
    throw new Error(`chooseKsSmoothing: expected as many shear maps as true maps (>= 1), got ${shears.length} and ${truths.length}`);
  }
  if (grid.length === 0) throw new Error('grid: expected at least one smoothing scale, got none');
  const inverted = shears.map((s) => kaiserSquiresInverse(s.gamma1, s.gamma2, n).kappaE);
  let best = { sigma: grid[0], rmse: Infinity };
  for (const sigma of grid) {
    let s = 0;
    inverted.forEach((k, i) => { s += rmse(Float64Array.from(truths[i]), sigma > 0 ? gaussianSmooth(k, n, n, sigma, { mode: 'wrap' }) : k); });
    const m = s / truths.length;
    if (m < best.rmse) best = { sigma, rmse: m };
  }
  return best;
}
