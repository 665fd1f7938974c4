/**
 * Brightness/contrast jitter per image, the astronomy-safe part of SimSiam's colour jitter
 * (Chen & He 2021 use torchvision ColorJitter(0.4, 0.4, 0.4, 0.1) with p = 0.8). Saturation and
 * hue jitter are left out: they mix bands and would change colours (physical flux ratios).
 * One affine map per image, the same for all channels, about the image mean mu (over H, W, C):
 *   'scale' mode (default):  y = ((x - mu) * c + mu) * beta      (beta: flux scaling)
 *   'shift' mode:            y =  (x - mu) * c + mu + delta * sd  (sd: image std over H, W, C)
 * c ~ U(contrast range), beta ~ U(brightness range) or delta ~ U(brightness range), applied with
 * probability p (other images are copied exactly).
 * A number b for brightness/contrast means the factor range [max(0, 1 - b), 1 + b] (shift
 * mode: delta in [-b, b]); a pair gives the range directly. Defaults: brightness 0.4,
 * contrast 0.4, p 0.8, mode 'scale'.
 * Random draws per sample, in batch order: apply (rng.random() < p), c, then beta/delta.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../../core/index.js';
import { checkBatch, checkProb, checkRange } from './check.js';
import { selectPerSample } from './select.js';

export interface BrightnessContrastOptions {
  /** Brightness jitter strength or range, default 0.4. */
  brightness?: number | [number, number];
  /** Contrast jitter strength or factor range, default 0.4. */
  contrast?: number | [number, number];
  /** Probability of jittering an image, default 0.8. */
  p?: number;
  /** 'scale' (multiplicative brightness, default) or 'shift' (additive, in units of the image std). */
  mode?: 'scale' | 'shift';
}

export const BRIGHTNESS_CONTRAST_DEFAULTS = { brightness: 0.4, contrast: 0.4, p: 0.8, mode: 'scale' as const };

function factorRange(field: string, v: number | [number, number], additive: boolean): [number, number] {
  if (typeof v === 'number') {
    if (!(v >= 0) || !Number.isFinite(v)) throw new Error(`${field}: expected a number >= 0 or a [lo, hi] range, got ${v}`);
    return additive ? [-v, v] : [Math.max(0, 1 - v), 1 + v];
  }
  return checkRange(field, v, additive ? -Infinity : 0, Infinity);
}

/** Jitter brightness and contrast of each image of `x` ([B, H, W, C] float32). */
export function brightnessContrastJitter(x: tf.Tensor4D, rng: Rng, opts: BrightnessContrastOptions = {}): tf.Tensor4D {
  checkBatch(x, 'brightnessContrastJitter');
  const mode = opts.mode ?? BRIGHTNESS_CONTRAST_DEFAULTS.mode;
  if (mode !== 'scale' && mode !== 'shift') throw new Error(`brightnessContrastJitter.mode: expected one of scale|shift, got ${JSON.stringify(mode)}`);
  const bRange = factorRange('brightnessContrastJitter.brightness', opts.brightness ?? BRIGHTNESS_CONTRAST_DEFAULTS.brightness, mode === 'shift');
  const cRange = factorRange('brightnessContrastJitter.contrast', opts.contrast ?? BRIGHTNESS_CONTRAST_DEFAULTS.contrast, false);
  const p = checkProb('brightnessContrastJitter.p', opts.p ?? BRIGHTNESS_CONTRAST_DEFAULTS.p);
  const B = x.shape[0];
  const apply: number[] = [], c = new Float32Array(B), bb = new Float32Array(B);
  for (let i = 0; i < B; i++) {
    apply.push(rng.random() < p ? 1 : 0);
    c[i] = rng.uniform(cRange[0], cRange[1]);
    bb[i] = rng.uniform(bRange[0], bRange[1]);
  }
  if (!apply.some(Boolean)) return x.clone();
  return tf.tidy(() => {
    const mu = tf.mean(x, [1, 2, 3], true);
    const ct = tf.tensor4d(c, [B, 1, 1, 1]);
    const bt = tf.tensor4d(bb, [B, 1, 1, 1]);
    const contrasted = tf.add(tf.mul(tf.sub(x, mu), ct), mu);
    let y: tf.Tensor4D;
    if (mode === 'scale') y = tf.mul(contrasted, bt);
    else {
      const sd = tf.sqrt(tf.mean(tf.square(tf.sub(x, mu)), [1, 2, 3], true));
      y = tf.add(contrasted, tf.mul(bt, sd));
    }
    return selectPerSample([x, y], apply);
  });
}
