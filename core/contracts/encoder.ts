import type * as tf from '@tensorflow/tfjs';
import type { Rng } from '../tensor/rng.js';

export interface BuiltEncoder {
  /** Maps [B, H, W, C] images to [B, featureDim] features. */
  model: tf.LayersModel;
  /** Feature dimension, for whoever builds a head on the backbone. */
  featureDim: number;
}

/** A network factory: the input shape is known only once the data are. */
export interface Encoder {
  build(inputShape: readonly [number, number, number], rng: Rng): BuiltEncoder;
}
