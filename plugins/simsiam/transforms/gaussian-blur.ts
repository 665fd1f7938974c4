/**
 * Random Gaussian blur per sample (SimCLR/SimSiam: sigma in [0.1, 2.0] pixels with p = 0.5;
 * Chen et al. 2020 Sec. B.1, Chen & He 2021 Sec. A). Each image gets its own sigma; all its
 * channels get the same separable kernel, applied to every channel independently.
 * Kernel: w_k = exp(-k^2 / (2 sigma^2)) for |k| <= r, r = floor(truncate * sigma + 0.5),
 * normalised to sum 1 (scipy.ndimage.gaussian_filter's kernel; default truncate 4).
 * Borders (names as numpy.pad; scipy.ndimage names in brackets):
 *   'reflect' (default)  d c b | a b c d | c b a   [scipy 'mirror']
 *   'symmetric'          c b a | a b c d | d c b   [scipy 'reflect']
 *   'edge'               a a a | a b c d | d d d   [scipy 'nearest']
 * 'reflect' needs r <= min(H, W) - 1 and 'symmetric' r <= min(H, W); a larger radius is
 * clamped to that limit (the kernel is then truncated and renormalised).
 * Implementation: the batch is folded into channels and blurred by two depthwise convolutions
 * (vertical, then horizontal), one kernel per (sample, channel). No gradient is needed (the
 * wasm backend has no depthwise-conv gradient kernels, its forward kernel is fine).
 * Random draws per sample, in batch order: apply (rng.random() < p), then sigma = rng.uniform(sigma).
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../../core/index.js';
import { checkBatch, checkProb, checkRange } from './check.js';

export type BlurPadding = 'reflect' | 'symmetric' | 'edge';

export interface GaussianBlurOptions {
  /** Range of sigma in pixels, default [0.1, 2.0]. */
  sigma?: [number, number];
  /** Probability of blurring an image, default 0.5. */
  p?: number;
  /** Kernel half-width in units of sigma, default 4 (as scipy). */
  truncate?: number;
  /** Border handling, default 'reflect'. */
  padding?: BlurPadding;
}

export const GAUSSIAN_BLUR_DEFAULTS = { sigma: [0.1, 2.0] as [number, number], p: 0.5, truncate: 4, padding: 'reflect' as const };

/** Kernel radius for sigma (0 for sigma <= 0). */
export function gaussianRadius(sigma: number, truncate: number): number {
  return sigma > 0 ? Math.floor(truncate * sigma + 0.5) : 0;
}

/** Normalised 1-D Gaussian taps w_{-r..r} for sigma and radius r (a delta for sigma <= 0). */
export function gaussianKernel1d(sigma: number, radius: number): Float64Array {
  const w = new Float64Array(2 * radius + 1);
  if (!(sigma > 0)) { w[radius] = 1; return w; }
  let s = 0;
  for (let k = -radius; k <= radius; k++) { w[k + radius] = Math.exp(-(k * k) / (2 * sigma * sigma)); s += w[k + radius]; }
  for (let i = 0; i < w.length; i++) w[i] /= s;
  return w;
}

function edgePad(x: tf.Tensor4D, r: number, axis: 1 | 2): tf.Tensor4D {
  const n = x.shape[axis];
  const first = axis === 1 ? tf.slice(x, [0, 0, 0, 0], [-1, 1, -1, -1]) : tf.slice(x, [0, 0, 0, 0], [-1, -1, 1, -1]);
  const last = axis === 1 ? tf.slice(x, [0, n - 1, 0, 0], [-1, 1, -1, -1]) : tf.slice(x, [0, 0, n - 1, 0], [-1, -1, 1, -1]);
  const reps: [number, number, number, number] = axis === 1 ? [1, r, 1, 1] : [1, 1, r, 1];
  return tf.concat([tf.tile(first, reps), x, tf.tile(last, reps)], axis);
}

/**
 * Blur sample b of `x` ([B, H, W, C] float32) with sigmas[b] pixels (0 = unchanged); the
 * deterministic core of `gaussianBlur`.
 */
export function blurWithSigmas(x: tf.Tensor4D, sigmas: number[], truncate = 4, padding: BlurPadding = 'reflect'): tf.Tensor4D {
  checkBatch(x, 'gaussianBlur');
  const [B, H, W, C] = x.shape;
  if (sigmas.length !== B) throw new Error(`gaussianBlur.sigmas: expected ${B} values (one per sample), got ${sigmas.length}`);
  const limit = padding === 'reflect' ? Math.min(H, W) - 1 : padding === 'symmetric' ? Math.min(H, W) : Infinity;
  const radii = sigmas.map((s) => Math.min(gaussianRadius(s, truncate), limit));
  const R = Math.max(0, ...radii);
  if (R === 0) return x.clone();
  const K = 2 * R + 1, BC = B * C;
  const taps = new Float32Array(K * BC); // layout [tap][b * C + c], shared by both filter shapes
  for (let b = 0; b < B; b++) {
    const w = gaussianKernel1d(sigmas[b], radii[b]);
    for (let k = 0; k < w.length; k++) for (let c = 0; c < C; c++) taps[(k + R - radii[b]) * BC + b * C + c] = w[k];
  }
  return tf.tidy(() => {
    let p: tf.Tensor4D;
    if (padding === 'edge') p = edgePad(edgePad(x, R, 1), R, 2);
    else p = tf.mirrorPad(x, [[0, 0], [R, R], [R, R], [0, 0]], padding);
    const folded = tf.reshape(tf.transpose(p, [1, 2, 0, 3]), [1, H + 2 * R, W + 2 * R, BC]) as tf.Tensor4D;
    const v = tf.depthwiseConv2d(folded, tf.tensor4d(taps, [K, 1, BC, 1]), 1, 'valid');
    const hz = tf.depthwiseConv2d(v, tf.tensor4d(taps, [1, K, BC, 1]), 1, 'valid');
    return tf.transpose(tf.reshape(hz, [H, W, B, C]), [2, 0, 1, 3]) as tf.Tensor4D;
  });
}

/** Blur each image of `x` ([B, H, W, C] float32) with probability p and a random sigma. */
export function gaussianBlur(x: tf.Tensor4D, rng: Rng, opts: GaussianBlurOptions = {}): tf.Tensor4D {
  checkBatch(x, 'gaussianBlur');
  const sigma = checkRange('gaussianBlur.sigma', opts.sigma ?? GAUSSIAN_BLUR_DEFAULTS.sigma, 0, Infinity);
  const p = checkProb('gaussianBlur.p', opts.p ?? GAUSSIAN_BLUR_DEFAULTS.p);
  const truncate = opts.truncate ?? GAUSSIAN_BLUR_DEFAULTS.truncate;
  if (!(truncate > 0) || !Number.isFinite(truncate)) throw new Error(`gaussianBlur.truncate: expected a finite number > 0, got ${truncate}`);
  const padding = opts.padding ?? GAUSSIAN_BLUR_DEFAULTS.padding;
  if (!['reflect', 'symmetric', 'edge'].includes(padding)) {
    throw new Error(`gaussianBlur.padding: expected one of reflect|symmetric|edge, got ${JSON.stringify(padding)}`);
  }
  const sigmas: number[] = [];
  for (let b = 0; b < x.shape[0]; b++) {
    const apply = rng.random() < p;
    const s = rng.uniform(sigma[0], sigma[1]);
    sigmas.push(apply ? s : 0);
  }
  return blurWithSigmas(x, sigmas, truncate, padding);
}
