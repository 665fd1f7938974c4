/**
 * Seeded PyTorch-default initialisers for the SimSiam MLP heads: `nn.Linear` draws kernel and
 * bias from U(-1/sqrt(fanIn), 1/sqrt(fanIn)); batch norm starts at gamma 1, beta 0 with PyTorch
 * momentum 0.1 (tfjs decay 0.9) and epsilon 1e-5.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../../core/index.js';

export const BN_MOMENTUM = 0.9;
export const BN_EPSILON = 1e-5;

/** U(-1/sqrt(fanIn), 1/sqrt(fanIn)) seeded from `rng`. */
export function linearInit(rng: Rng, fanIn: number): ReturnType<typeof tf.initializers.randomUniform> {
  const bound = 1 / Math.sqrt(Math.max(1, fanIn));
  return tf.initializers.randomUniform({ minval: -bound, maxval: bound, seed: rng.tfSeed() });
}

/** Throws unless `value` is an integer >= `min`; the message names `field`. */
export function checkInt(field: string, value: unknown, min = 1): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new Error(`${field}: expected an integer >= ${min}, got ${String(value)}`);
  }
  return value;
}
