import type * as tf from '@tensorflow/tfjs';
import type { Rng } from '../tensor/rng.js';
import type { Sample } from './sample.js';
import type { Simulator } from './simulator.js';

/** A batch: the stacked images (NHWC) with the samples they came from. */
export interface Batch {
  images: tf.Tensor4D;
  samples: Sample[];
  simulator: Simulator;
}

/**
 * Makes one new view of every element of a batch; a Siamese method calls it twice.
 * Image-space augmenters transform `batch.images`; physics-aware ones re-render `samples[i].scene`.
 * The caller owns (and disposes) the returned tensor.
 */
export interface Augmenter {
  view(batch: Batch, rng: Rng): tf.Tensor4D;
  /**
   * Optional: make the two views of a positive pair at once (e.g. pick two different stored
   * views of the same object). Methods use it when present, else call `view` twice.
   */
  pair?(batch: Batch, rng: Rng): [tf.Tensor4D, tf.Tensor4D];
}

/** Two views of a batch: `augmenter.pair` when it has one, else two calls of `view`. */
export function makePair(aug: Augmenter, batch: Batch, rng: Rng): [tf.Tensor4D, tf.Tensor4D] {
  return aug.pair ? aug.pair(batch, rng) : [aug.view(batch, rng), aug.view(batch, rng)];
}
