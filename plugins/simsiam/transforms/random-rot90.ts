/**
 * Random rotation by a multiple of 90 degrees per sample (an exact symmetry of sky images, no
 * interpolation). k quarter turns follow numpy's `np.rot90(img, k, axes=(0, 1))` on the (row,
 * column) array: out[i][j] = in[j][W-1-i] for k = 1, i.e. counter-clockwise as displayed with
 * row 0 at the top. Odd k needs square images (H = W).
 * Random draws per sample, in batch order: k = ks[rng.int(0, ks.length)].
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../../core/index.js';
import { checkBatch } from './check.js';
import { selectPerSample } from './select.js';

export interface RandomRot90Options {
  /** Allowed numbers of quarter turns, drawn uniformly; default [0, 1, 2, 3]. */
  ks?: number[];
}

export const RANDOM_ROT90_DEFAULTS: Required<RandomRot90Options> = { ks: [0, 1, 2, 3] };

/** Rotate a batch by k quarter turns (same k for every sample); k is taken modulo 4. */
export function rot90(x: tf.Tensor4D, k: number): tf.Tensor4D {
  const q = ((k % 4) + 4) % 4;
  return tf.tidy(() => {
    if (q === 0) return x.clone();
    if (q === 2) return tf.reverse(x, [1, 2]);
    const t = tf.transpose(x, [0, 2, 1, 3]);
    return q === 1 ? tf.reverse(t, 1) : tf.reverse(t, 2);
  });
}

/** Rotate each image of `x` ([B, H, W, C] float32) by a random multiple of 90 degrees. */
export function randomRot90(x: tf.Tensor4D, rng: Rng, opts: RandomRot90Options = {}): tf.Tensor4D {
  checkBatch(x, 'randomRot90');
  const ks = opts.ks ?? RANDOM_ROT90_DEFAULTS.ks;
  if (!Array.isArray(ks) || ks.length === 0 || !ks.every((k) => Number.isInteger(k))) {
    throw new Error(`randomRot90.ks: expected a non-empty list of integers, got ${JSON.stringify(ks)}`);
  }
  const quarter = ks.map((k) => ((k % 4) + 4) % 4);
  if (x.shape[1] !== x.shape[2] && quarter.some((k) => k % 2 === 1)) {
    throw new Error(`randomRot90.ks: odd quarter turns need square images, got H=${x.shape[1]} W=${x.shape[2]} with ks ${JSON.stringify(ks)}`);
  }
  const choice: number[] = [];
  for (let b = 0; b < x.shape[0]; b++) choice.push(quarter[rng.int(0, quarter.length)]);
  return tf.tidy(() => selectPerSample([0, 1, 2, 3].map((k) => (choice.includes(k) ? rot90(x, k) : x)), choice));
}
