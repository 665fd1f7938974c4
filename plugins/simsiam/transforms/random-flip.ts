/**
 * Random horizontal and vertical flips, drawn independently per sample (SimSiam/BYOL use a
 * horizontal flip with p = 0.5; sky images have no preferred orientation, so vertical flips
 * are on by default as well). Horizontal mirrors the W axis (column j -> W-1-j), vertical the
 * H axis (row i -> H-1-i). Channels are untouched.
 * Random draws per sample, in batch order: horizontal (rng.random() < horizontal), then
 * vertical (rng.random() < vertical).
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../../core/index.js';
import { checkBatch, checkProb } from './check.js';
import { selectPerSample } from './select.js';

export interface RandomFlipOptions {
  /** Probability of a horizontal (left-right) flip, default 0.5. */
  horizontal?: number;
  /** Probability of a vertical (up-down) flip, default 0.5. */
  vertical?: number;
}

export const RANDOM_FLIP_DEFAULTS: Required<RandomFlipOptions> = { horizontal: 0.5, vertical: 0.5 };

/** Flip each image of `x` ([B, H, W, C] float32) at random; returns a new tensor. */
export function randomFlip(x: tf.Tensor4D, rng: Rng, opts: RandomFlipOptions = {}): tf.Tensor4D {
  checkBatch(x, 'randomFlip');
  const ph = checkProb('randomFlip.horizontal', opts.horizontal ?? RANDOM_FLIP_DEFAULTS.horizontal);
  const pv = checkProb('randomFlip.vertical', opts.vertical ?? RANDOM_FLIP_DEFAULTS.vertical);
  const hFlip: number[] = [], vFlip: number[] = [];
  for (let b = 0; b < x.shape[0]; b++) {
    hFlip.push(rng.random() < ph ? 1 : 0);
    vFlip.push(rng.random() < pv ? 1 : 0);
  }
  return tf.tidy(() => {
    let out: tf.Tensor4D = x;
    if (hFlip.some(Boolean)) out = selectPerSample([out, tf.reverse(out, 2)], hFlip);
    if (vFlip.some(Boolean)) out = selectPerSample([out, tf.reverse(out, 1)], vFlip);
    return out === x ? x.clone() : out;
  });
}
