/**
 * The conditional critic D(x, γ) of the mass-mapping cGAN (Whitney et al. 2024, slide
 * "Discriminator": "Standard CNN. 6 layers + 1 fully connected. Outputs estimated Wasserstein
 * score"). The candidate map x [n, n, 1] and the observed shear γ [n, n, C] are concatenated
 * along channels; six 3x3 convolutions with LeakyReLU(0.2) and no normalisation (batch norm
 * would break the per-sample gradient penalty of WGAN-GP, Gulrajani et al. 2017 §4) follow,
 * with f, f, 2f, 4f, 8f, 8f filters and strides 1, 2, 2, 2, 2, 1 (so n → n/16); then flatten
 * and one dense unit (linear output: the critic score).
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../../core/index.js';
import { convBn, linearInit } from '../../encoders/index.js';

export interface CriticOptions {
  /** Map side n (pixels); must be divisible by 16. */
  size: number;
  /** Channels of the condition γ (2, or 3 with a mask channel). */
  condChannels: number;
  /** f, filters of the first conv (default 16). */
  baseFilters?: number;
  rng: Rng;
  name?: string;
}

const FILTER_MULT = [1, 1, 2, 4, 8, 8];
const STRIDES = [1, 2, 2, 2, 2, 1];

/** Build D(x, γ): inputs [x, γ], output [B, 1]. */
export function buildConditionalCritic(o: CriticOptions): tf.LayersModel {
  const f = o.baseFilters ?? 16;
  if (!Number.isInteger(o.size) || o.size < 16 || o.size % 16 !== 0) throw new Error(`critic.size: expected a multiple of 16, got ${o.size}`);
  if (!Number.isInteger(o.condChannels) || o.condChannels < 1) throw new Error(`critic.condChannels: expected an integer >= 1, got ${o.condChannels}`);
  if (!Number.isInteger(f) || f < 1) throw new Error(`critic.baseFilters: expected an integer >= 1, got ${f}`);
  const name = o.name ?? 'critic';
  const x = tf.input({ shape: [o.size, o.size, 1], name: `${name}_x` });
  const y = tf.input({ shape: [o.size, o.size, o.condChannels], name: `${name}_cond` });
  let h = tf.layers.concatenate({ axis: -1, name: `${name}_concat` }).apply([x, y]) as tf.SymbolicTensor;
  FILTER_MULT.forEach((m, l) => {
    h = convBn(h, { filters: f * m, kernel: 3, stride: STRIDES[l], activation: 'leakyRelu', batchNorm: false, name: `${name}_conv${l}`, rng: o.rng });
  });
  h = tf.layers.flatten({ name: `${name}_flatten` }).apply(h) as tf.SymbolicTensor;
  const fanIn = (o.size / 16) ** 2 * f * FILTER_MULT[5];
  const out = tf.layers.dense({
    units: 1, name: `${name}_fc`, kernelInitializer: linearInit(o.rng, fanIn), biasInitializer: linearInit(o.rng, fanIn),
  }).apply(h) as tf.SymbolicTensor;
  return tf.model({ inputs: [x, y], outputs: out, name });
}
