import { fft2d, ifft2d } from '../../../core/index.js';
import { kaiserSquiresInverse, type ShearField } from '../numerics/index.js';

/**
 * Mean power of κ per 2-D Fourier mode, S(k) = ⟨|κ̂(k)|²⟩ over `maps` (unnormalised numpy FFT,
 * so white noise of per-pixel variance σ² has power n²σ²). The prior of {@link wienerFilterEstimate};
 * estimated from training maps, so the filter uses only what the GAN also sees.
 * @param maps n × n convergence maps (row-major)
 * @param n map side
 * @returns Float64Array of n² powers in fft2 order
 */
export function kappaModePower(maps: readonly ArrayLike<number>[], n: number): Float64Array {
  if (maps.length === 0) throw new Error('kappaModePower: expected at least one map, got none');
  const p = new Float64Array(n * n);
  maps.forEach((m, i) => {
    if (m.length !== n * n) throw new Error(`kappaModePower: maps[${i}]: expected ${n * n} pixels (${n}x${n}), got ${m.length}`);
    const F = fft2d(Float64Array.from(m), null, n);
    for (let j = 0; j < p.length; j++) p[j] += (F.re[j] * F.re[j] + F.im[j] * F.im[j]) / maps.length;
  });
  return p;
}

/**
 * The Wiener filter, the optimal linear (and, for a Gaussian field, the posterior-mean)
 * reconstruction: the unsmoothed Kaiser-Squires E mode κ_E = κ + n_E, whose noise is white with
 * per-pixel variance σ² for uncorrelated shape noise σ per shear component (the KS operator is
 * unitary on each mode and the B mode takes the other half), filtered mode by mode with
 * W(k) = S(k) / (S(k) + n²σ²) (e.g. Jeffrey et al. 2020, "Deep learning dark matter map
 * reconstructions", the Wiener baseline). Periodic, unmasked fields only.
 * @param shear observed γ1, γ2 (n × n row-major)
 * @param n map side
 * @param power S(k) from {@link kappaModePower} (n² values)
 * @param sigma per-pixel shape-noise std per shear component (> 0)
 */
export function wienerFilterEstimate(shear: ShearField, n: number, power: Float64Array, sigma: number): Float32Array {
  if (power.length !== n * n) throw new Error(`wienerFilter: power: expected ${n * n} modes (${n}x${n}), got ${power.length}`);
  if (!(Number.isFinite(sigma) && sigma > 0)) throw new Error(`wienerFilter: sigma: expected a noise std > 0, got ${sigma}`);
  const { kappaE } = kaiserSquiresInverse(shear.gamma1, shear.gamma2, n);
  const F = fft2d(kappaE, null, n);
  const noise = n * n * sigma * sigma;
  const re = new Float64Array(n * n), im = new Float64Array(n * n);
  for (let j = 0; j < re.length; j++) {
    const w = power[j] / (power[j] + noise);
    re[j] = w * F.re[j];
    im[j] = w * F.im[j];
  }
  return Float32Array.from(ifft2d(re, im, n).re);
}
