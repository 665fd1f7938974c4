/**
 * Seeded weight initialisers and normalisation defaults shared by the encoder builders.
 *
 * The conventions mirror PyTorch so that a tfjs model and its torch twin start from the same
 * distributions:
 * - conv kernels: Kaiming normal, `mode='fan_out'`, ReLU gain, as torchvision's ResNet
 *   (He et al. 2015, "Delving deep into rectifiers"): N(0, 2 / (kh * kw * outChannels));
 * - dense kernels and biases: PyTorch's `nn.Linear` default, U(-1/sqrt(fanIn), 1/sqrt(fanIn));
 * - batch norm: gamma 1, beta 0, PyTorch momentum 0.1 (= tfjs decay 0.9), epsilon 1e-5.
 * Every random initialiser takes its seed from the caller's `Rng` (`rng.tfSeed()`), so the same
 * seed gives the same weights on every backend that implements tfjs' seeded random ops.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../../core/index.js';

/** tfjs-layers `batchNormalization` momentum (the decay of the moving averages; PyTorch 0.1). */
export const BN_MOMENTUM = 0.9;
/** Batch-norm epsilon, PyTorch's default. */
export const BN_EPSILON = 1e-5;

/** tfjs-layers' Initializer class (not exported by name from '@tensorflow/tfjs'). */
export type TfInitializer = ReturnType<typeof tf.initializers.randomNormal>;

/**
 * Kaiming-normal (fan-out, ReLU gain) initialiser for a conv kernel of size kh x kw with
 * `outChannels` filters: N(0, std = sqrt(2 / (kh * kw * outChannels))), seeded from `rng`.
 */
export function convKernelInit(rng: Rng, kh: number, kw: number, outChannels: number): TfInitializer {
  const std = Math.sqrt(2 / (kh * kw * outChannels));
  return tf.initializers.randomNormal({ mean: 0, stddev: std, seed: rng.tfSeed() });
}

/** PyTorch `nn.Linear` default initialiser for a kernel or bias: U(-1/sqrt(fanIn), 1/sqrt(fanIn)), seeded. */
export function linearInit(rng: Rng, fanIn: number): TfInitializer {
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

/** Throws unless `value` is one of `allowed`; the message names `field`. */
export function checkOneOf<T extends string | number>(field: string, value: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) {
    throw new Error(`${field}: expected one of ${allowed.join('|')}, got ${JSON.stringify(value)}`);
  }
  return value as T;
}
