/**
 * The five SDSS broad bands and the per-band defaults of the cluster simulator
 * (Liang et al. 2021, "Optical Wavelength Guided Self-Supervised Feature Learning for Galaxy
 * Cluster Richness Estimate", §3.1: SDSS DR12 u, g, r, i, z cutouts).
 *
 * Units: fluxes and pixel values are in nanomaggies (nmgy; m = 22.5 - 2.5 log10 f), angles in
 * arcseconds, colours in magnitudes relative to r (m_b - m_r).
 */

/** Band names in wavelength order; the band label of a single-band image is its index here. */
export const BANDS = ['u', 'g', 'r', 'i', 'z'] as const;
export type Band = (typeof BANDS)[number];
/** Number of bands (5). */
export const N_BANDS = BANDS.length;

/** A number per band, in `BANDS` order. */
export type PerBand = [number, number, number, number, number];

/**
 * Default PSF FWHM per band in arcsec: SDSS median seeing (u 1.53", g 1.44", r 1.32",
 * i 1.26", z 1.29"; Stoughton et al. 2002 / the DR12 photometric summary).
 */
export const DEFAULT_PSF_FWHM: PerBand = [1.53, 1.44, 1.32, 1.26, 1.29];

/**
 * Default per-pixel background noise rms in nmgy. The shallow bands u and z are the noisiest,
 * following SDSS 5-sigma point-source depths (u 22.0, g 22.2, r 22.2, i 21.3, z 20.5 mag).
 */
export const DEFAULT_NOISE: PerBand = [0.12, 0.06, 0.06, 0.09, 0.25];

/**
 * Default sky surface brightness per band in nmgy/arcsec^2, from SDSS dark-sky values
 * (u 22.1, g 21.8, r 21.0, i 20.3, z 18.6 mag/arcsec^2); a pixel holds this times pixelScale^2.
 * Added only when `skySubtracted` is false (SDSS frames are sky-subtracted).
 */
export const DEFAULT_SKY: PerBand = [1.45, 1.91, 3.98, 7.59, 36.3];

/**
 * Default red-sequence colours m_b - m_r for cluster members at z ~ 0.2 (u-g ~ 1.9, g-r ~ 1.2,
 * r-i ~ 0.45, i-z ~ 0.35): faint in u, bright in r, i, z. Flux ratios f_b/f_r = 10^(-0.4 c_b)
 * are then u 0.058 < g 0.33 < r 1 < i 1.51 < z 2.09.
 */
export const DEFAULT_MEMBER_COLOURS: PerBand = [3.1, 1.2, 0, -0.45, -0.8];

/** Flux ratio f_b / f_r of a colour m_b - m_r (mag). */
export function colourToFluxRatio(colour: number): number {
  return Math.pow(10, -0.4 * colour);
}

/** Flux in nmgy of an AB magnitude: 10^(-0.4 (m - 22.5)). */
export function magToNanomaggies(mag: number): number {
  return Math.pow(10, -0.4 * (mag - 22.5));
}

/** Throws unless `value` is 5 finite numbers satisfying `ok`; the message names `field`. */
export function checkPerBand(field: string, value: unknown, ok: (x: number) => boolean, expected: string): PerBand {
  if (!Array.isArray(value) || value.length !== N_BANDS || !value.every((x) => typeof x === 'number' && Number.isFinite(x) && ok(x))) {
    throw new Error(`${field}: expected ${N_BANDS} numbers (u, g, r, i, z) ${expected}, got ${JSON.stringify(value)}`);
  }
  return value as PerBand;
}
