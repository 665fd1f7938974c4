import type { ShearField } from './kaiser-squires.js';

/** A source of standard normal draws, e.g. core's seeded `Rng`. */
export interface NormalSource {
  normal(mean?: number, std?: number): number;
}

/**
 * Standard deviation of the shape noise of each shear component in one pixel,
 *
 *   σ_pix = σ_e / √(n_gal · A_pix),   A_pix = pixelArcmin²,
 *
 * the intrinsic ellipticity dispersion averaged over the expected number of galaxies per pixel
 * (e.g. Van Waerbeke 2000, MNRAS 313, 524; the rcGAN mass-mapping setup uses σ_e = 0.37 with
 * COSMOS-like densities). σ_e is applied per component as given; if yours is the total
 * (two-component) dispersion, pass σ_e/√2.
 * @param sigmaE intrinsic ellipticity dispersion per component (default 0.37)
 * @param nGalPerArcmin2 source density in galaxies per arcmin² (> 0)
 * @param pixelArcmin pixel side in arcmin (> 0)
 */
export function shapeNoiseSigma(sigmaE = 0.37, nGalPerArcmin2: number, pixelArcmin: number): number {
  if (!(Number.isFinite(sigmaE) && sigmaE >= 0)) throw new Error(`sigmaE: expected a number >= 0, got ${sigmaE}`);
  if (!(Number.isFinite(nGalPerArcmin2) && nGalPerArcmin2 > 0)) {
    throw new Error(`nGalPerArcmin2: expected a number > 0 (galaxies per arcmin²), got ${nGalPerArcmin2}`);
  }
  if (!(Number.isFinite(pixelArcmin) && pixelArcmin > 0)) throw new Error(`pixelArcmin: expected a number > 0 (arcmin), got ${pixelArcmin}`);
  return sigmaE / Math.sqrt(nGalPerArcmin2 * pixelArcmin * pixelArcmin);
}

/**
 * The observed shear γ + n: independent Gaussian noise N(0, σ²) added to each component of each
 * pixel. Two normals are drawn per pixel (γ1 then γ2, row-major) for every pixel, masked or not,
 * so the noise of an observed pixel does not depend on the mask. Masked pixels (mask = 0/false:
 * no galaxies) are set to 0 in both components, the usual input convention for Kaiser-Squires.
 * @param gamma the noiseless shear (not modified)
 * @param sigma per-component noise std: one number, or one value per pixel (e.g. from a varying
 *   galaxy density via {@link shapeNoiseSigma})
 * @param rng seeded source of standard normals (core `Rng`)
 * @param mask optional, one entry per pixel: nonzero/true = observed
 * @returns new noisy components (float64)
 */
export function addShapeNoise(gamma: ShearField, sigma: number | ArrayLike<number>, rng: NormalSource,
  mask?: ArrayLike<number | boolean>): ShearField {
  const size = gamma.gamma1.length;
  if (gamma.gamma2.length !== size) {
    throw new Error(`gamma.gamma2: expected length ${size} (as gamma.gamma1), got ${gamma.gamma2.length}`);
  }
  if (typeof sigma === 'number') {
    if (!(Number.isFinite(sigma) && sigma >= 0)) throw new Error(`sigma: expected a number >= 0, got ${sigma}`);
  } else {
    if (sigma.length !== size) throw new Error(`sigma: expected one value per pixel (length ${size}), got length ${sigma.length}`);
    for (let i = 0; i < size; i++) {
      if (!(Number.isFinite(sigma[i]) && sigma[i] >= 0)) throw new Error(`sigma[${i}]: expected a number >= 0, got ${sigma[i]}`);
    }
  }
  if (mask && mask.length !== size) throw new Error(`mask: expected length ${size}, got ${mask.length}`);
  const gamma1 = new Float64Array(size), gamma2 = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    const s = typeof sigma === 'number' ? sigma : sigma[i];
    const n1 = rng.normal(), n2 = rng.normal();
    if (mask && !mask[i]) continue;
    gamma1[i] = gamma.gamma1[i] + s * n1;
    gamma2[i] = gamma.gamma2[i] + s * n2;
  }
  return { gamma1, gamma2 };
}
