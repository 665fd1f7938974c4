/**
 * Options of the LenSiam lens population (Chang et al. 2023, section 2.1): the geometry, the
 * uniform prior ranges of every lens, lens-light and source parameter, the source mixture
 * (analytic / procedural / user-supplied stamps), the PSFs drawn from, the noise ranges and the
 * normalisation. Every field has a documented default; bad fields are reported by the registry
 * with their config path (`data.prior.lens.gamma.1: Too big: expected number to be <=2.9, got 3.5`).
 *
 * Default ranges. The paper draws the lens parameters "from the uniform ranges described in
 * Shajib et al. (2021)" (SLACS-like ellipticals); we use uniform ranges close to the priors of
 * Park et al. (2021, H0rton/Baobab: theta_E ~ N(1.1, 0.1), gamma ~ N(2, 0.1), e1, e2 ~ N(0, 0.1),
 * shear ~ N(0, 0.05)), widened so that the population covers the SLACS range. Every default
 * keeps the lensed arcs inside both a 64 x 64, 0.08"/pixel field (5.12") and the paper's
 * 110 x 110, 0.05"/pixel field (5.5"): theta_E + |source offset| + 2 R_half <= 2.4".
 * Fluxes are total fluxes in counts/s (lenstronomy's image units); noise follows lenstronomy
 * (`background_rms` per pixel, Poisson term |image| / exposure_time).
 */
import { z } from '../../../core/index.js';

/**
 * A uniform range `[min, max]` (min = max fixes the parameter), each end within [lo, hi].
 * @param dflt default range
 * @param lo,hi allowed bounds of both ends
 * @param doc description with units
 */
export function rangeSchema(dflt: [number, number], lo: number, hi: number, doc: string) {
  return z.tuple([z.number().min(lo).max(hi), z.number().min(lo).max(hi)])
    .refine(([a, b]) => a <= b, { message: 'expected [min, max] with min <= max' })
    .default(dflt)
    .describe(`${doc}; uniform [min, max], each in [${lo}, ${hi}]`);
}

/** Largest |e| a corner of an e1/e2 prior box may reach (profiles accept |e| <= 0.9). */
export const MAX_PRIOR_E_MODULUS = 0.9;

/** Lens mass prior (EPL + external SHEAR); these eight parameters are the labels. */
export const LensPriorSchema = z.strictObject({
  theta_E: rangeSchema([0.8, 1.5], 0.01, 10, 'EPL Einstein radius [arcsec]'),
  gamma: rangeSchema([1.8, 2.2], 1.2, 2.9, 'EPL power-law slope (2 = isothermal)'),
  e1: rangeSchema([-0.2, 0.2], -0.9, 0.9, 'EPL ellipticity e1 = (1-q)/(1+q) cos 2phi'),
  e2: rangeSchema([-0.2, 0.2], -0.9, 0.9, 'EPL ellipticity e2 = (1-q)/(1+q) sin 2phi'),
  center_x: rangeSchema([-0.1, 0.1], -5, 5, 'EPL centre x [arcsec]'),
  center_y: rangeSchema([-0.1, 0.1], -5, 5, 'EPL centre y [arcsec]'),
  gamma1: rangeSchema([-0.05, 0.05], -0.5, 0.5, 'external shear gamma1'),
  gamma2: rangeSchema([-0.05, 0.05], -0.5, 0.5, 'external shear gamma2'),
}).superRefine((v, ctx) => {
  const m = Math.hypot(Math.max(Math.abs(v.e1[0]), Math.abs(v.e1[1])), Math.max(Math.abs(v.e2[0]), Math.abs(v.e2[1])));
  if (m > MAX_PRIOR_E_MODULUS) {
    ctx.addIssue({ code: 'custom', path: ['e1'], message: `expected the e1/e2 box to keep sqrt(e1^2 + e2^2) <= ${MAX_PRIOR_E_MODULUS} at its corners (got ${m.toFixed(3)})` });
  }
});

/** Lens light prior: SERSIC_ELLIPSE tied to the mass centre and ellipticity (paper). */
export const LensLightPriorSchema = z.strictObject({
  flux: rangeSchema([80, 300], 0, 1e9, 'lens light total flux [counts/s]'),
  R_sersic: rangeSchema([0.5, 1.2], 0.01, 20, 'lens light half-light radius [arcsec]'),
  n_sersic: rangeSchema([2.5, 4.5], 0.5, 8, 'lens light Sersic index'),
  offsetFraction: z.number().min(0).max(1).default(0.025)
    .describe('sd of the Gaussian offset of the lens light centre and e1/e2 from the mass ones, as a fraction of the prior range width (paper: 0.025)'),
});

/** The lens prior as a whole. */
export const PriorSchema = z.strictObject({
  lens: LensPriorSchema.prefault({}),
  lensLight: LensLightPriorSchema.prefault({}),
});

/** Analytic sources: elliptical Sersic and core-Sersic (the paper's analytic sources). */
export const AnalyticSourceSchema = z.strictObject({
  types: z.array(z.enum(['SERSIC_ELLIPSE', 'CORE_SERSIC'])).min(1).default(['SERSIC_ELLIPSE', 'CORE_SERSIC'])
    .describe('analytic profile types, drawn with equal probability'),
  n_sersic: rangeSchema([0.8, 3], 0.5, 8, 'SERSIC_ELLIPSE source Sersic index'),
  e: rangeSchema([-0.3, 0.3], -0.6, 0.6, 'source ellipticity components e1 and e2'),
  core: z.strictObject({
    n_sersic: rangeSchema([2, 5], 0.5, 8, 'CORE_SERSIC Sersic index'),
    Rb: rangeSchema([0.05, 0.2], 0, 1, 'CORE_SERSIC break radius as a fraction of R_half'),
    gamma: rangeSchema([0, 0.5], 0, 2, 'CORE_SERSIC inner slope'),
    alpha: z.number().positive().max(100).default(3).describe('CORE_SERSIC transition sharpness'),
  }).prefault({}),
});

/** Procedural galaxies: bulge + inclined exponential disk + spiral arms + star-forming clumps. */
export const ProceduralSourceSchema = z.strictObject({
  stampSize: z.number().int().min(8).max(512).default(48).describe('stamp side [pixels]'),
  extent: z.number().min(2).max(40).default(8).describe('stamp side in units of the disk half-light radius'),
  bulgeFraction: rangeSchema([0, 0.5], 0, 1, 'bulge-to-total flux ratio'),
  bulgeRadius: rangeSchema([0.15, 0.4], 0.01, 2, 'bulge effective radius / disk half-light radius'),
  bulgeN: rangeSchema([2, 4], 0.5, 8, 'bulge Sersic index'),
  cosInclination: rangeSchema([0.2, 1], 0, 1, 'cos(disk inclination), 1 = face-on'),
  armProbability: z.number().min(0).max(1).default(0.7).describe('probability that the disk has spiral arms'),
  armCount: z.array(z.number().int().min(1).max(6)).min(1).default([2, 2, 3, 4]).describe('number of arms, drawn uniformly from this list'),
  armAmplitude: rangeSchema([0.3, 0.9], 0, 1, 'fraction of the disk light in the arm pattern'),
  pitchDeg: rangeSchema([10, 30], 2, 60, 'arm pitch angle [degrees]'),
  clumps: rangeSchema([0, 12], 0, 100, 'number of star-forming clumps (integer part of a uniform draw)'),
  clumpFraction: rangeSchema([0.05, 0.3], 0, 1, 'clump-to-total flux ratio (when there are clumps)'),
  clumpSigma: rangeSchema([0.04, 0.12], 0.005, 1, 'clump Gaussian sigma / disk half-light radius'),
});

/** User-supplied galaxy stamps (e.g. COSMOS 23.5/25.2 real galaxies). */
export const BankSourceSchema = z.strictObject({
  paths: z.array(z.string().min(1)).default([])
    .describe('.npy ([n, H, W] or [H, W]) or FITS cube files of surface-brightness stamps, relative to the working directory'),
  pixelScale: z.number().positive().max(10).default(0.03).describe('stamp pixel size [arcsec] (COSMOS HST/ACS: 0.03)'),
  sizeScale: rangeSchema([1, 1], 0.01, 100, 'random magnification of the stamp pixel size'),
});

/** Source mixture and source placement. */
export const SourcesSchema = z.strictObject({
  mix: z.strictObject({
    analytic: z.number().min(0).default(0.25).describe('weight of analytic sources (paper: 25%)'),
    procedural: z.number().min(0).default(0.75).describe('weight of procedural galaxies (stand-in for the paper\'s 75% COSMOS)'),
    bank: z.number().min(0).default(0).describe('weight of stamps from sources.bank.paths (set e.g. 0.75 with procedural 0 for real COSMOS images)'),
  }).prefault({}).refine((m) => m.analytic + m.procedural + m.bank > 0, { message: 'expected at least one positive weight' }),
  mergerFraction: z.number().min(0).max(1).default(0.1).describe('probability of a second source (merger; paper: 10%)'),
  mergerSeparation: rangeSchema([0.1, 0.5], 0, 5, 'distance of the second source from the first [arcsec]'),
  mergerFluxRatio: rangeSchema([0.2, 1], 0, 10, 'flux of the second source / flux of the first'),
  offset: rangeSchema([-0.25, 0.25], -5, 5, 'source centre minus lens mass centre, each axis [arcsec]'),
  flux: rangeSchema([15, 50], 0, 1e9, 'source total flux [counts/s]'),
  R_half: rangeSchema([0.1, 0.3], 0.005, 5, 'source half-light radius [arcsec] (analytic R_sersic, procedural disk)'),
  analytic: AnalyticSourceSchema.prefault({}),
  procedural: ProceduralSourceSchema.prefault({}),
  bank: BankSourceSchema.prefault({}),
}).superRefine((v, ctx) => {
  if (v.mix.bank > 0 && v.bank.paths.length === 0) {
    ctx.addIssue({ code: 'custom', path: ['bank', 'paths'], message: `expected at least one stamp file because sources.mix.bank is ${v.mix.bank}` });
  }
  if (v.mix.bank === 0 && v.bank.paths.length > 0) {
    ctx.addIssue({ code: 'custom', path: ['mix', 'bank'], message: 'expected a positive weight because sources.bank.paths lists stamp files (e.g. { analytic: 0.25, procedural: 0, bank: 0.75 })' });
  }
});

/** A PIXEL PSF kernel file. */
export const PsfKernelSchema = z.strictObject({
  path: z.string().min(1).describe('.npy or FITS file: one [k, k] kernel or a stack [n, k, k] (k odd), relative to the working directory'),
  supersampling: z.number().int().min(1).max(16).default(1).describe('kernel pixels per image pixel (1, or the render supersampling)'),
  normalize: z.boolean().default(true).describe('rescale each kernel to sum 1 (false: reject kernels not summing to 1)'),
});

/** PSFs drawn uniformly per image (the paper draws from 23 HST PSFs). */
export const PsfsSchema = z.strictObject({
  fwhm: z.array(z.number().positive().max(10)).default([0.08, 0.1, 0.12, 0.15])
    .describe('GAUSSIAN PSF FWHMs [arcsec], one PSF each'),
  truncation: z.number().positive().max(50).default(5).describe('GAUSSIAN kernel half-width [sigma]'),
  kernels: z.array(PsfKernelSchema).default([]).describe('PIXEL kernels (e.g. TinyTim HST PSFs)'),
});

/** Noise ranges; `null` disables noise. */
export const NoiseSchema = z.strictObject({
  background_rms: rangeSchema([0.01, 0.03], 0, 1e6, 'background noise sd per pixel [counts/s]'),
  exposure_time: z.union([rangeSchema([500, 2000], 1e-6, 1e9, 'exposure time [s]'), z.null()]).default([500, 2000])
    .describe('exposure time range [s] of the Poisson term; null: background only'),
});

/** Everything the population needs to draw and render images. */
export const PopulationSchema = z.strictObject({
  numPix: z.number().int().min(8).max(1024).default(64).describe('image side [pixels] (paper: 110)'),
  deltaPix: z.number().positive().max(10).default(0.08).describe('pixel size [arcsec] (paper: 0.05)'),
  supersampling: z.number().int().min(1).max(16).default(1).describe('sub-pixels per pixel and axis'),
  prior: PriorSchema.prefault({})
    .describe('lens: uniform [min, max] of theta_E [0.8, 1.5], gamma [1.8, 2.2], e1/e2 [-0.2, 0.2], center_x/y [-0.1, 0.1], gamma1/2 [-0.05, 0.05]; lensLight: flux, R_sersic, n_sersic, offsetFraction 0.025'),
  sources: SourcesSchema.prefault({})
    .describe('mix {analytic 0.25, procedural 0.75, bank 0}, mergerFraction 0.1, offset, flux, R_half, analytic {...}, procedural {...}, bank {paths, pixelScale 0.03, sizeScale}'),
  psfs: PsfsSchema.prefault({}).describe('fwhm [0.08, 0.1, 0.12, 0.15] arcsec (GAUSSIAN), truncation 5, kernels [{path, supersampling, normalize}] (PIXEL)'),
  noise: NoiseSchema.nullable().prefault({}).describe('background_rms [0.01, 0.03], exposure_time [500, 2000] s (null: no Poisson term); null: no noise'),
  normalize: z.boolean().default(true).describe('divide every image by its maximum (paper)'),
});

/** Parsed population options (defaults filled in). */
export type PopulationOptions = z.output<typeof PopulationSchema>;
/** User-facing population options (every field optional). */
export type PopulationInput = z.input<typeof PopulationSchema>;
