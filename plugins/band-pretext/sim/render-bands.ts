/**
 * Renders a cluster scene into a 5-band (u, g, r, i, z) cutout, channels last, float32.
 *
 * Every source is an elliptical Gaussian (covariance C, zero for stars) convolved with a
 * per-band double-Gaussian PSF: a core of FWHM `psfFwhm[b]` carrying 1 - w of the light and a
 * wing `psfWingScale` times wider carrying w = `psfWingFraction`. A Gaussian convolved with a
 * Gaussian is a Gaussian, so each source is drawn exactly as two Gaussians of covariance
 * C + s^2 I, point-sampled at pixel centres and normalised analytically (total flux = flux).
 * Then: the sky (unless sky-subtracted) and Gaussian background noise of rms `noise[b]` per
 * pixel (background-limited regime).
 */
import type { Rng } from '../../../core/index.js';
import { N_BANDS, type PerBand } from './bands.js';
import type { ClusterConfig } from './cluster-options.js';
import type { ClusterScene } from './cluster-scene.js';

/** Per-observation nuisances: pointing offset (px) and per-band flux and noise factors. */
export interface Observation {
  dx: number;
  dy: number;
  fluxFactor: PerBand;
  noiseFactor: PerBand;
}

const FWHM_TO_SIGMA = 1 / (2 * Math.sqrt(2 * Math.log(2)));

/** Draw the nuisances of one observation from its stream. */
export function drawObservation(cfg: ClusterConfig, rng: Rng): Observation {
  const per = (s: number) => Array.from({ length: N_BANDS }, () => (s > 0 ? Math.exp(rng.normal(0, s)) : 1)) as PerBand;
  const dx = cfg.pointingJitter > 0 ? rng.normal(0, cfg.pointingJitter) : 0;
  const dy = cfg.pointingJitter > 0 ? rng.normal(0, cfg.pointingJitter) : 0;
  return { dx, dy, fluxFactor: per(cfg.fluxJitter), noiseFactor: per(cfg.noiseJitter) };
}

/** The identity observation (no offset, unit factors). */
export const IDENTITY_OBSERVATION: Observation = { dx: 0, dy: 0, fluxFactor: [1, 1, 1, 1, 1], noiseFactor: [1, 1, 1, 1, 1] };

/** Adds `flux` times a unit-integral Gaussian of covariance (cxx, cxy, cyy) centred at (x0, y0) to band `b`. */
function addGaussian(out: Float32Array, n: number, b: number, x0: number, y0: number, cxx: number, cxy: number, cyy: number, flux: number, reach: number): void {
  const det = cxx * cyy - cxy * cxy;
  const ixx = cyy / det, iyy = cxx / det, ixy = -cxy / det;
  const amp = flux / (2 * Math.PI * Math.sqrt(det));
  const rx = reach * Math.sqrt(cxx), ry = reach * Math.sqrt(cyy);
  const k0 = Math.max(0, Math.ceil(x0 - rx)), k1 = Math.min(n - 1, Math.floor(x0 + rx));
  const j0 = Math.max(0, Math.ceil(y0 - ry)), j1 = Math.min(n - 1, Math.floor(y0 + ry));
  if (k0 > k1 || j0 > j1) return;
  const hxx = -0.5 * ixx, hyy = -0.5 * iyy, hxy = -ixy;
  for (let j = j0; j <= j1; j++) {
    const dy = j - y0;
    const cy = hyy * dy * dy, bx = hxy * dy;
    let idx = (j * n + k0) * N_BANDS + b;
    for (let k = k0; k <= k1; k++, idx += N_BANDS) {
      const dx = k - x0;
      out[idx] += amp * Math.exp(dx * (hxx * dx + bx) + cy);
    }
  }
}

/**
 * Noise-free image of `scene` under observation `obs`: H x W x 5 (channels last, u..z), nmgy,
 * sky-subtracted (no sky level added).
 */
export function renderNoiseless(scene: ClusterScene, cfg: ClusterConfig, obs: Observation = IDENTITY_OBSERVATION): Float32Array {
  const n = cfg.size;
  const out = new Float32Array(n * n * N_BANDS);
  const w = cfg.psfWingFraction;
  for (let b = 0; b < N_BANDS; b++) {
    const s1 = cfg.psfFwhm[b] * FWHM_TO_SIGMA / cfg.pixelScale;
    const s2 = s1 * cfg.psfWingScale;
    const v1 = s1 * s1, v2 = s2 * s2;
    const ff = obs.fluxFactor[b];
    for (const o of scene.objects) {
      const f = o.flux[b] * ff;
      if (!(f > 0)) continue;
      const x = o.x + obs.dx, y = o.y + obs.dy;
      addGaussian(out, n, b, x, y, o.cxx + v1, o.cxy, o.cyy + v1, f * (1 - w), 4);
      if (w > 0) addGaussian(out, n, b, x, y, o.cxx + v2, o.cxy, o.cyy + v2, f * w, 3);
    }
  }
  return out;
}

/**
 * Adds the sky (when `cfg.skySubtracted` is false) and Gaussian noise of rms
 * `cfg.noise[b] * obs.noiseFactor[b]` to every pixel of `image` (H x W x 5) in place.
 */
export function addSkyAndNoise(image: Float32Array, cfg: ClusterConfig, obs: Observation, rng: Rng): void {
  const sky = cfg.sky.map((s) => (cfg.skySubtracted ? 0 : s * cfg.pixelScale * cfg.pixelScale));
  const sd = cfg.noise.map((s, b) => s * obs.noiseFactor[b]);
  for (let i = 0; i < image.length; i += N_BANDS) {
    for (let b = 0; b < N_BANDS; b++) image[i + b] += sky[b] + (sd[b] > 0 ? sd[b] * rng.normal() : 0);
  }
}

/** Noisy 5-band observation of `scene`: `renderNoiseless` then `addSkyAndNoise`. */
export function renderObservation(scene: ClusterScene, cfg: ClusterConfig, obs: Observation, rng: Rng): Float32Array {
  const img = renderNoiseless(scene, cfg, obs);
  addSkyAndNoise(img, cfg, obs, rng);
  return img;
}

/** Channel `band` of an H x W x C image as an H x W plane. */
export function bandPlane(image: Float32Array, band: number, channels = N_BANDS): Float32Array {
  const out = new Float32Array(image.length / channels);
  for (let i = 0, j = band; i < out.length; i++, j += channels) out[i] = image[j];
  return out;
}
