/**
 * Options of the multi-band cluster simulator `band-pretext/clusters`, with documented defaults
 * (SDSS-like ugriz, Liang et al. 2021 §3.1). Angles in arcsec, fluxes in nanomaggies, colours
 * in mag relative to r, lengths in pixels unless stated.
 */
import { z } from '../../../core/index.js';
import { DEFAULT_MEMBER_COLOURS, DEFAULT_NOISE, DEFAULT_PSF_FWHM, DEFAULT_SKY } from './bands.js';

const perBand = (def: readonly number[], what: string, min = -Infinity) =>
  z.tuple([z.number().min(min), z.number().min(min), z.number().min(min), z.number().min(min), z.number().min(min)])
    .default(def as [number, number, number, number, number]).describe(`${what}, per band (u, g, r, i, z)`);

const range = (lo: number, hi: number, def: [number, number], what: string) =>
  z.tuple([z.number().min(lo).max(hi), z.number().min(lo).max(hi)]).default(def)
    .refine((r) => r[0] <= r[1], { message: 'expected [low, high] with low <= high' }).describe(what);

export const ClusterOptions = z.strictObject({
  size: z.number().int().min(8).max(512).default(64).describe('image side in pixels'),
  count: z.number().int().min(1).default(10000).describe('observations per split (Simulator.size)'),
  pixelScale: z.number().positive().max(10).default(0.6).describe('arcsec per pixel'),
  lambdaRange: range(1, 1000, [20, 100], 'richness lambda range [min, max]'),
  lambdaDistribution: z.enum(['uniform', 'log-uniform']).default('uniform').describe('how lambda is drawn within lambdaRange'),
  observationsPerCluster: z.number().int().min(1).max(100).default(1)
    .describe('consecutive observations (indices) that image the same cluster with new pointing and noise; they share Sample.group'),
  rLambda100: z.number().positive().default(1.5)
    .describe('cluster radius R_lambda at lambda = 100 in units of the image half-width; R_lambda = rLambda100 (lambda/100)^0.2 (Rykoff et al. 2014)'),
  concentration: z.number().positive().max(50).default(4).describe('NFW concentration c = R_lambda / r_s; members follow the projected NFW profile truncated at R_lambda'),
  centreJitter: z.number().min(0).max(1).default(0.05).describe('rms offset of the cluster centre from the image centre, in units of the half-width'),
  lumCut: z.number().positive().max(5).default(0.2).describe('faintest member luminosity in L* (the redMaPPer 0.2 L* cut)'),
  schechterAlpha: z.number().min(-1.9).max(0).default(-1).describe('faint-end slope of the members\' Schechter luminosity function'),
  mStar: z.number().default(17.9).describe('r-band magnitude of an L* member'),
  memberSize: z.number().positive().default(0.5).describe('Gaussian sigma of an L* member in arcsec; sigma ∝ L^0.5'),
  memberColours: perBand(DEFAULT_MEMBER_COLOURS, 'red-sequence colour m_b - m_r of members (mag); faint in u, bright in r/i/z'),
  colourScatter: z.number().min(0).default(0.05).describe('rms scatter of member colours (mag, per band)'),
  bcgLuminosity: z.number().positive().default(5).describe('luminosity of the brightest central galaxy in L*'),
  bcgSize: z.number().positive().default(1.5).describe('Gaussian sigma of the BCG in arcsec'),
  fieldDensity: z.number().min(0).default(30).describe('foreground + background galaxies per arcmin^2'),
  fieldMagRange: range(5, 35, [17, 23], 'r magnitude range of field galaxies'),
  fieldCountSlope: z.number().min(0).max(1).default(0.35).describe('number-count slope d log N / dm of field galaxies'),
  fieldSizeRange: range(0, 20, [0.2, 0.8], 'Gaussian sigma range of field galaxies (arcsec)'),
  fieldColourScatter: z.number().min(0).default(0.4).describe('rms of the random colour offsets of field galaxies (mag, per band)'),
  starDensity: z.number().min(0).default(8).describe('stars per arcmin^2 (PSF-shaped point sources)'),
  starMagRange: range(5, 35, [15, 22], 'r magnitude range of stars'),
  psfFwhm: perBand(DEFAULT_PSF_FWHM, 'PSF core FWHM in arcsec', 0.01),
  psfWingFraction: z.number().min(0).max(0.9).default(0.1).describe('fraction of the PSF light in a Gaussian wing'),
  psfWingScale: z.number().min(1).default(2).describe('wing sigma / core sigma'),
  noise: perBand(DEFAULT_NOISE, 'background noise rms per pixel in nmgy (u and z noisiest)', 0),
  sky: perBand(DEFAULT_SKY, 'sky surface brightness in nmgy/arcsec^2', 0),
  skySubtracted: z.boolean().default(true).describe('subtract the sky level (SDSS frames are sky-subtracted); the noise is kept'),
  fluxJitter: z.number().min(0).max(2).default(0.1).describe('rms of the per-observation, per-band log flux calibration factor'),
  noiseJitter: z.number().min(0).max(2).default(0.1).describe('rms of the per-observation, per-band log noise factor'),
  pointingJitter: z.number().min(0).default(1).describe('rms pointing offset of an observation in pixels'),
});

/** Parsed simulator options (all defaults filled in). */
export type ClusterConfig = z.output<typeof ClusterOptions>;

/** The defaults, parsed once. */
export function defaultClusterConfig(overrides: Partial<z.input<typeof ClusterOptions>> = {}): ClusterConfig {
  return ClusterOptions.parse(overrides);
}
