/**
 * The astrophysical scene of one galaxy-cluster cutout: red-sequence members placed with a
 * projected NFW profile around a brightest central galaxy (BCG), foreground/background field
 * galaxies with random colours, and stars. Liang et al. 2021 (§1, §3.4) describe what the
 * images contain; the member model follows redMaPPer's definition of richness (Rykoff et al.
 * 2014): lambda ~ the number of red-sequence galaxies brighter than 0.2 L* within R_lambda.
 *
 * Coordinates are in pixels with pixel (row j, column k) centred at (x = k, y = j).
 */
import type { Rng } from '../../../core/index.js';
import { colourToFluxRatio, magToNanomaggies, type PerBand } from './bands.js';
import type { ClusterConfig } from './cluster-options.js';
import { ProjectedNfwSampler } from './nfw-profile.js';

/** Object kinds of a scene. */
export const OBJECT_KIND = { member: 0, bcg: 1, field: 2, star: 3 } as const;

/** One source: centre (px), intrinsic Gaussian covariance (px^2; 0 for stars) and flux per band (nmgy). */
export interface SceneObject {
  kind: number;
  x: number;
  y: number;
  cxx: number;
  cxy: number;
  cyy: number;
  flux: PerBand;
}

/** A cluster scene: richness, cluster id, number of members drawn, and all sources. */
export interface ClusterScene {
  lambda: number;
  cluster: number;
  /** Members drawn within R_lambda (Poisson(lambda)); the BCG is extra. */
  members: number;
  /** Members whose centre falls inside the image. */
  membersInImage: number;
  objects: SceneObject[];
}

/** Draw lambda from the configured range and distribution. */
export function drawLambda(cfg: ClusterConfig, rng: Rng): number {
  const [lo, hi] = cfg.lambdaRange;
  if (cfg.lambdaDistribution === 'log-uniform') return Math.exp(rng.uniform(Math.log(lo), Math.log(hi)));
  return rng.uniform(lo, hi);
}

/**
 * Luminosity L/L* >= cut from a Schechter function with faint-end slope alpha in [-1.9, 0]:
 * proposal cut + Exp(1), accepted with probability (x / cut)^alpha.
 */
export function drawSchechterLuminosity(cut: number, alpha: number, rng: Rng): number {
  for (;;) {
    const x = cut - Math.log(1 - rng.random());
    if (rng.random() < Math.pow(x / cut, alpha)) return x;
  }
}

/** Magnitude in [m1, m2] from number counts dN/dm ∝ 10^(slope m) (uniform when slope = 0). */
export function drawCountsMagnitude(m1: number, m2: number, slope: number, rng: Rng): number {
  const u = rng.random();
  if (slope === 0) return m1 + u * (m2 - m1);
  const a = Math.pow(10, slope * m1), b = Math.pow(10, slope * m2);
  return Math.log10(a + u * (b - a)) / slope;
}

function gaussianShape(sigma: number, q: number, theta: number): { cxx: number; cxy: number; cyy: number } {
  const a2 = (sigma * sigma) / q, b2 = sigma * sigma * q;
  const c = Math.cos(theta), s = Math.sin(theta);
  return { cxx: a2 * c * c + b2 * s * s, cyy: a2 * s * s + b2 * c * c, cxy: (a2 - b2) * s * c };
}

function fluxes(magR: number, colours: readonly number[]): PerBand {
  const fr = magToNanomaggies(magR);
  return colours.map((c) => fr * colourToFluxRatio(c)) as PerBand;
}

/**
 * Draw the scene of cluster `cluster` from its own random stream. `nfw` must be built with
 * `cfg.concentration` (it is shared across calls for speed).
 */
export function drawClusterScene(cfg: ClusterConfig, cluster: number, rng: Rng, nfw: ProjectedNfwSampler): ClusterScene {
  const n = cfg.size, half = n / 2, mid = (n - 1) / 2;
  const lambda = drawLambda(cfg, rng);
  const cx = mid + rng.normal(0, cfg.centreJitter * half), cy = mid + rng.normal(0, cfg.centreJitter * half);
  const rLambda = cfg.rLambda100 * half * Math.pow(lambda / 100, 0.2);
  const rs = rLambda / cfg.concentration;
  const objects: SceneObject[] = [];
  const sizePx = (arcsec: number) => arcsec / cfg.pixelScale;

  // brightest central galaxy
  const bcgL = cfg.bcgLuminosity * Math.exp(rng.normal(0, 0.2));
  const bcgMag = cfg.mStar - 2.5 * Math.log10(bcgL);
  const bcgCol = cfg.memberColours.map((c) => c + rng.normal(0, cfg.colourScatter));
  bcgCol[2] = 0;
  objects.push({ kind: OBJECT_KIND.bcg, x: cx + rng.normal(0, 0.5), y: cy + rng.normal(0, 0.5),
    ...gaussianShape(sizePx(cfg.bcgSize), rng.uniform(0.6, 1), rng.uniform(0, Math.PI)), flux: fluxes(bcgMag, bcgCol) });

  // red-sequence members: Poisson(lambda) within R_lambda, projected NFW radii
  const members = rng.poisson(lambda);
  let membersInImage = 0;
  for (let k = 0; k < members; k++) {
    const r = nfw.sample(rng) * rs, phi = rng.uniform(0, 2 * Math.PI);
    const x = cx + r * Math.cos(phi), y = cy + r * Math.sin(phi);
    if (x >= -0.5 && x < n - 0.5 && y >= -0.5 && y < n - 0.5) membersInImage++;
    const L = drawSchechterLuminosity(cfg.lumCut, cfg.schechterAlpha, rng);
    const mag = cfg.mStar - 2.5 * Math.log10(L);
    const col = cfg.memberColours.map((c) => c + rng.normal(0, cfg.colourScatter));
    col[2] = 0;
    objects.push({ kind: OBJECT_KIND.member, x, y, ...gaussianShape(sizePx(cfg.memberSize) * Math.sqrt(L), rng.uniform(0.5, 1), rng.uniform(0, Math.PI)), flux: fluxes(mag, col) });
  }

  // field galaxies (foreground and background) with random colours
  const areaArcmin2 = (n * cfg.pixelScale / 60) ** 2;
  const nField = rng.poisson(cfg.fieldDensity * areaArcmin2);
  for (let k = 0; k < nField; k++) {
    const mag = drawCountsMagnitude(cfg.fieldMagRange[0], cfg.fieldMagRange[1], cfg.fieldCountSlope, rng);
    const t = rng.uniform(-0.2, 1.1);
    const col = cfg.memberColours.map((c) => t * c + rng.normal(0, cfg.fieldColourScatter));
    col[2] = 0;
    const sigma = sizePx(rng.uniform(cfg.fieldSizeRange[0], cfg.fieldSizeRange[1]));
    objects.push({ kind: OBJECT_KIND.field, x: rng.uniform(-2, n + 1), y: rng.uniform(-2, n + 1),
      ...gaussianShape(sigma, rng.uniform(0.3, 1), rng.uniform(0, Math.PI)), flux: fluxes(mag, col) });
  }

  // stars: point sources along a simple stellar locus (blue F/G to red M dwarfs)
  const nStars = rng.poisson(cfg.starDensity * areaArcmin2);
  for (let k = 0; k < nStars; k++) {
    const mag = drawCountsMagnitude(cfg.starMagRange[0], cfg.starMagRange[1], 0.25, rng);
    const t = rng.random();
    const col = [1.0 + 2.0 * t, 0.25 + 1.1 * t, 0, -(0.1 + 0.9 * t), -(0.1 + 1.4 * t)].map((c) => c + rng.normal(0, 0.05));
    col[2] = 0;
    objects.push({ kind: OBJECT_KIND.star, x: rng.uniform(-2, n + 1), y: rng.uniform(-2, n + 1), cxx: 0, cxy: 0, cyy: 0, flux: fluxes(mag, col) });
  }
  return { lambda, cluster, members, membersInImage, objects };
}
