/**
 * Procedural source galaxies with realistic structure, standing in for the COSMOS stamps of
 * LenSiam (Chang et al. 2023, section 2.1) when no real images are supplied: a Sersic bulge, an
 * inclined exponential disk (thickness by Hubble's formula, intrinsic q0 = 0.15) modulated by
 * m-armed logarithmic spiral arms, and Gaussian star-forming clumps scattered along the arms (or
 * through the disk). The galaxy is drawn on a square stamp in its own frame (major axis along +x)
 * in surface-brightness units, so that `InterpolatedProfile` (lenstronomy INTERPOL) with
 * `phi_G = positionAngle` and `scale = pixelScale` places it on the sky with total flux `flux`.
 */
import type { Rng } from '../../../core/index.js';
import { FAST_MATH, fastExp2, fastLog2 } from '../profiles/fast-math.js';
import { sersicBn } from '../profiles/sersic.js';

/** One star-forming clump, in the disk plane (polar, units of the disk half-light radius). */
export interface GalaxyClump {
  /** Radius in the disk plane / rHalf. */
  r: number;
  /** Azimuth in the disk plane [rad]. */
  theta: number;
  /** Gaussian sigma on the sky / rHalf. */
  sigma: number;
  /** Fraction of the clump light (the weights sum to 1). */
  weight: number;
}

/** Every random number of one procedural galaxy (a plain, serialisable object). */
export interface ProceduralGalaxyParams {
  /** Total flux [counts/s]. */
  flux: number;
  /** Half-light radius of the exponential disk [arcsec] (1.678 scale lengths). */
  rHalf: number;
  /** Position angle of the major axis on the sky, counter-clockwise from +x [rad]. */
  positionAngle: number;
  /** cos(inclination); 1 = face-on. */
  cosInclination: number;
  /** Bulge-to-total flux ratio. */
  bulgeFraction: number;
  /** Bulge effective radius / rHalf. */
  bulgeRadius: number;
  /** Bulge Sersic index. */
  bulgeN: number;
  /** Bulge axis ratio (aligned with the disk). */
  bulgeQ: number;
  /** Number of spiral arms (0 = none). */
  armCount: number;
  /** Fraction of the disk light in the arm pattern, 0..1. */
  armAmplitude: number;
  /** Pitch angle of the logarithmic spiral [rad]. */
  pitch: number;
  /** Phase of the arm pattern [rad]. */
  armPhase: number;
  /** Clump-to-total flux ratio. */
  clumpFraction: number;
  clumps: GalaxyClump[];
}

/** Ranges the generator draws from (see `ProceduralSourceSchema` for the meaning and defaults). */
export interface ProceduralGalaxyRanges {
  flux: readonly [number, number];
  rHalf: readonly [number, number];
  bulgeFraction: readonly [number, number];
  bulgeRadius: readonly [number, number];
  bulgeN: readonly [number, number];
  cosInclination: readonly [number, number];
  armProbability: number;
  armCount: readonly number[];
  armAmplitude: readonly [number, number];
  pitchDeg: readonly [number, number];
  clumps: readonly [number, number];
  clumpFraction: readonly [number, number];
  clumpSigma: readonly [number, number];
}

/** A rendered stamp in surface-brightness units [flux/arcsec^2], row-major, row 0 at -y. */
export interface GalaxyStamp {
  image: Float64Array;
  rows: number;
  cols: number;
  /** Pixel size [arcsec]. */
  scale: number;
}

/** Half-light radius / scale length of an exponential disk (root of 1 - (1+x) e^-x = 1/2). */
export const EXP_DISK_HALF_LIGHT = 1.6783469900166608;
/** Intrinsic thickness (axis ratio seen edge-on) of the disk. */
export const DISK_THICKNESS = 0.15;
/** Arm sharpness exponent w in ((1 + cos)/2)^w; MEAN_ARM is the mean of that factor over phase (C(6,3)/64). */
const ARM_POWER = 3;
const MEAN_ARM = 20 / 64;

// the sin/cos table steps, as this module's own constants (see fast-math.ts)
const { COS_TURN, SIN_TURN, SINCOS_STEPS_PER_RAD, SINCOS_RAD_PER_STEP, SINCOS_RAD_PER_STEP_LO, ROUND_MAGIC, C2, C4, C6, S3, S5 } = FAST_MATH;
const SINCOS_MASK = COS_TURN.length - 1;
/** log2(e) / 0.09: the arms fade as 1 - e^(-r^2 / 0.09) inside ~0.3 rHalf. */
const FADE_K = Math.LOG2E / 0.09;

const u = (rng: Rng, r: readonly [number, number]) => (r[0] === r[1] ? r[0] : rng.uniform(r[0], r[1]));

/**
 * Draws the parameters of one galaxy.
 * @param rng the stream (the galaxy consumes a fixed pattern of draws for given ranges)
 * @param ranges uniform ranges of every parameter
 */
export function drawProceduralGalaxy(rng: Rng, ranges: ProceduralGalaxyRanges): ProceduralGalaxyParams {
  const flux = u(rng, ranges.flux);
  const rHalf = u(rng, ranges.rHalf);
  const positionAngle = rng.uniform(0, Math.PI);
  const cosInclination = u(rng, ranges.cosInclination);
  const bulgeFraction = u(rng, ranges.bulgeFraction);
  const bulgeRadius = u(rng, ranges.bulgeRadius);
  const bulgeN = u(rng, ranges.bulgeN);
  const bulgeQ = rng.uniform(0.7, 1);
  const hasArms = rng.random() < ranges.armProbability;
  const armCount = hasArms ? ranges.armCount[rng.int(0, ranges.armCount.length)] : 0;
  const armAmplitude = hasArms ? u(rng, ranges.armAmplitude) : 0;
  const pitch = (u(rng, ranges.pitchDeg) * Math.PI) / 180;
  const armPhase = rng.uniform(0, 2 * Math.PI);
  const nClumps = Math.floor(u(rng, ranges.clumps));
  const clumpFraction = nClumps > 0 ? u(rng, ranges.clumpFraction) : 0;
  const clumps: GalaxyClump[] = [];
  let wsum = 0;
  for (let k = 0; k < nClumps; k++) {
    // radius: exponential-disk distributed (Gamma(2) in scale lengths), kept inside 2.5 rHalf
    let rr = (-Math.log(Math.max(rng.random(), 1e-12)) - Math.log(Math.max(rng.random(), 1e-12))) / EXP_DISK_HALF_LIGHT;
    if (rr > 2.5) rr = 2.5 * rng.random();
    let theta: number;
    if (armCount > 0) {
      // on an arm: m (theta - ln(r)/tan(pitch) - phase) = 2 pi j, plus scatter
      const j = rng.int(0, armCount);
      theta = armPhase + Math.log(Math.max(rr, 0.05)) / Math.tan(pitch) + (2 * Math.PI * j) / armCount + rng.normal(0, 0.15);
    } else {
      theta = rng.uniform(0, 2 * Math.PI);
    }
    const weight = -Math.log(Math.max(rng.random(), 1e-12)) + 0.2;
    wsum += weight;
    clumps.push({ r: rr, theta, sigma: u(rng, ranges.clumpSigma), weight });
  }
  for (const c of clumps) c.weight /= wsum;
  return {
    flux, rHalf, positionAngle, cosInclination, bulgeFraction, bulgeRadius, bulgeN, bulgeQ,
    armCount, armAmplitude, pitch, armPhase, clumpFraction, clumps,
  };
}

/** Apparent axis ratio of a thin disk of intrinsic thickness q0 at cos(inclination) c (Hubble 1926). */
export function diskAxisRatio(cosInclination: number, q0 = DISK_THICKNESS): number {
  const c = Math.min(Math.max(cosInclination, 0), 1);
  return Math.sqrt(c * c + q0 * q0 * (1 - c * c));
}

/**
 * Renders a galaxy on a square stamp in its own frame (major axis along +x).
 * Each component is point-sampled at the pixel centres and normalised to its share of the flux
 * inside the stamp, so `sum(image) * scale^2 = flux` exactly.
 * @param p the galaxy
 * @param size stamp side [pixels] (default 48)
 * @param extent stamp side in units of rHalf (default 8)
 * @param scratch optional reusable buffers of size^2 values (3 of them)
 */
export function renderGalaxyStamp(p: ProceduralGalaxyParams, size = 48, extent = 8, scratch?: [Float64Array, Float64Array, Float64Array]): GalaxyStamp {
  const n2 = size * size;
  const scale = (extent * p.rHalf) / size;
  const [disk, bulge, clumps] = scratch && scratch[0].length >= n2 ? scratch : [new Float64Array(n2), new Float64Array(n2), new Float64Array(n2)];
  const half = (size - 1) / 2;
  const h = 1 / EXP_DISK_HALF_LIGHT; // disk scale length in units of rHalf
  const qd = diskAxisRatio(p.cosInclination);
  const bn = sersicBn(p.bulgeN);
  const invRe = 1 / p.bulgeRadius;
  const invN = 1 / p.bulgeN;
  const rMin = (0.25 * scale) / p.rHalf; // floor of radii (a quarter pixel) at the cusps
  const m = p.armCount;
  const invTanPitch = m > 0 ? 1 / Math.tan(p.pitch) : 0;
  const A = p.armAmplitude;
  // fast-math constants: e^-z = 2^(-z log2 e), ln r = ln2 log2 r
  const diskK = Math.LOG2E / h, lnTanK = Math.LN2 * invTanPitch, bnK = bn * Math.LOG2E;
  const hasBulge = p.bulgeFraction > 0;
  // the disk's radial profile and the bulge depend on x^2 and y^2 only: compute one quadrant
  // (rows and columns 0..ceil(size/2)-1) and mirror it to the other three
  const q = Math.ceil(size / 2);
  const toUnits = scale / p.rHalf; // stamp pixels to units of rHalf
  for (let i = 0; i < q; i++) {
    const y = (i - half) * toUnits;
    const v = y / qd; // de-projected onto the disk plane
    const yb = (y * y) / p.bulgeQ;
    const i2 = size - 1 - i;
    for (let j = 0; j < q; j++) {
      const x = (j - half) * toUnits;
      const d = fastExp2(-Math.max(Math.sqrt(x * x + v * v), rMin) * diskK);
      // bulge: elliptical Sersic with the product-average radius sqrt(q x^2 + y^2 / q)
      let b = 0;
      if (hasBulge) {
        const rb = Math.max(Math.sqrt(p.bulgeQ * x * x + yb), rMin) * invRe;
        b = fastExp2(-bnK * fastExp2(invN * fastLog2(rb)));
      }
      const j2 = size - 1 - j;
      disk[i * size + j] = d; disk[i * size + j2] = d; disk[i2 * size + j] = d; disk[i2 * size + j2] = d;
      bulge[i * size + j] = b; bulge[i * size + j2] = b; bulge[i2 * size + j] = b; bulge[i2 * size + j2] = b;
    }
  }
  if (m > 0) {
    // spiral arms modulate the disk: point-symmetric for an even arm count, so compute rows
    // 0..ceil(size/2)-1 and mirror pixel (i, j) to (size-1-i, size-1-j)
    const symmetric = m % 2 === 0;
    const rowsToCompute = symmetric ? q : size;
    for (let i = 0; i < rowsToCompute; i++) {
      const v = ((i - half) * toUnits) / qd;
      for (let j = 0; j < size; j++) {
        const k = i * size + j;
        if (symmetric && k > n2 - 1 - k) break; // the middle row of an odd size: its right half is the mirror of its left
        const x = (j - half) * toUnits;
        const r0 = Math.sqrt(x * x + v * v);
        const rd = Math.max(r0, rMin);
        // cos(m (theta - ln(rd)/tan(pitch) - armPhase)) with theta = atan2(v, x), without atan2
        // or cos: Re[(e^(i theta))^m e^(-i psi)], psi = m (ln(rd)/tan(pitch) + armPhase), where
        // e^(i theta) = (x + i v) / r0 and cos psi, sin psi come from the table of fast-math.ts
        let zr = 1, zi = 0;
        if (r0 > 0) {
          const ux = x / r0, uy = v / r0;
          zr = ux; zi = uy;
          for (let t = 1; t < m; t++) { const nr = zr * ux - zi * uy; zi = zr * uy + zi * ux; zr = nr; }
        }
        const psi = m * (fastLog2(rd) * lnTanK + p.armPhase);
        const ks = psi * SINCOS_STEPS_PER_RAD + ROUND_MAGIC - ROUND_MAGIC;
        const rs = psi - ks * SINCOS_RAD_PER_STEP - ks * SINCOS_RAD_PER_STEP_LO, r2 = rs * rs;
        const js = (ks | 0) & SINCOS_MASK;
        const cr = 1 + r2 * (C2 + r2 * (C4 + r2 * C6)), sr = rs * (1 + r2 * (S3 + r2 * S5));
        const cosPsi = COS_TURN[js] * cr - SIN_TURN[js] * sr, sinPsi = SIN_TURN[js] * cr + COS_TURN[js] * sr;
        const c = 0.5 * (1 + zr * cosPsi + zi * sinPsi);
        const arm = c * c * c / MEAN_ARM;
        const fade = 1 - fastExp2(-(rd * rd) * FADE_K); // no arms inside ~0.3 rHalf
        const d = disk[k] * (1 + A * fade * (arm - 1));
        disk[k] = d;
        if (symmetric) disk[n2 - 1 - k] = d;
      }
    }
  }
  let sd = 0, sb = 0;
  for (let k = 0; k < n2; k++) { sd += disk[k]; sb += bulge[k]; }
  // clumps: Gaussians on the sky at the projected disk-plane positions, within 4 sigma
  clumps.fill(0, 0, n2);
  let sc = 0;
  for (const c of p.clumps) {
    const cx = c.r * Math.cos(c.theta), cy = c.r * Math.sin(c.theta) * qd; // rHalf units
    const sigPix = Math.max((c.sigma * p.rHalf) / scale, 0.5);
    const ci = cy * (p.rHalf / scale) + half, cj = cx * (p.rHalf / scale) + half;
    const i0 = Math.max(0, Math.floor(ci - 4 * sigPix)), i1 = Math.min(size - 1, Math.ceil(ci + 4 * sigPix));
    const j0 = Math.max(0, Math.floor(cj - 4 * sigPix)), j1 = Math.min(size - 1, Math.ceil(cj + 4 * sigPix));
    let local = 0;
    const inv2s2 = 1 / (2 * sigPix * sigPix);
    for (let i = i0; i <= i1; i++) for (let j = j0; j <= j1; j++) local += Math.exp(-((i - ci) ** 2 + (j - cj) ** 2) * inv2s2);
    if (!(local > 0)) continue;
    const w = c.weight / local;
    for (let i = i0; i <= i1; i++) {
      for (let j = j0; j <= j1; j++) {
        const g = w * Math.exp(-((i - ci) ** 2 + (j - cj) ** 2) * inv2s2);
        clumps[i * size + j] += g;
        sc += g;
      }
    }
  }
  // flux shares (components that fell off the stamp give their share to the disk)
  let fb = sb > 0 ? p.bulgeFraction : 0;
  let fc = sc > 0 ? p.clumpFraction : 0;
  if (fb + fc > 1) { const t = fb + fc; fb /= t; fc /= t; }
  const fd = 1 - fb - fc;
  const toSb = p.flux / (scale * scale);
  const wd = sd > 0 ? (fd * toSb) / sd : 0, wb = fb > 0 ? (fb * toSb) / sb : 0, wc = fc > 0 ? (fc * toSb) / sc : 0;
  const image = new Float64Array(n2);
  for (let k = 0; k < n2; k++) image[k] = wd * disk[k] + wb * bulge[k] + wc * clumps[k];
  return { image, rows: size, cols: size, scale };
}

/**
 * Radius of the circular aperture about a point that holds half of the stamp's flux, from the
 * pixel fluxes sorted by distance (pixels counted whole; resolution ~ half a pixel).
 * @param stamp the stamp
 * @param cx,cy aperture centre in stamp pixels from the stamp centre (default 0, 0)
 * @returns the radius [arcsec]
 */
export function halfLightRadius(stamp: GalaxyStamp, cx = 0, cy = 0): number {
  const { image, rows, cols, scale } = stamp;
  const idx: Array<[number, number]> = [];
  let total = 0;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const v = image[i * cols + j];
      total += v;
      idx.push([Math.hypot(j - (cols - 1) / 2 - cx, i - (rows - 1) / 2 - cy), v]);
    }
  }
  idx.sort((a, b) => a[0] - b[0]);
  let acc = 0;
  for (let k = 0; k < idx.length; k++) {
    const next = acc + idx[k][1];
    if (next >= total / 2) {
      // interpolate between the previous and this pixel's radius
      const r0 = k > 0 ? idx[k - 1][0] : 0;
      const f = idx[k][1] > 0 ? (total / 2 - acc) / idx[k][1] : 1;
      return (r0 + f * (idx[k][0] - r0)) * scale;
    }
    acc = next;
  }
  return idx[idx.length - 1][0] * scale;
}
