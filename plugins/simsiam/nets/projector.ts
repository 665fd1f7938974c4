/**
 * SimSiam projection MLP (Chen & He 2021, "Exploring Simple Siamese Representation Learning",
 * Sec. 4 and the official code): with layers = 3,
 *   Linear(in, hidden, no bias) - BN - ReLU - Linear(hidden, hidden, no bias) - BN - ReLU -
 *   Linear(hidden, out, no bias) - BN(no affine),
 * i.e. BN on every layer including the output, no bias before a BN, and the output BN without
 * learnable scale/shift (as `nn.BatchNorm1d(dim, affine=False)` in facebookresearch/simsiam).
 * `layers = 2` drops the middle block (the paper's CIFAR variant). Input `[batch, inDim]`,
 * output `[batch, out]`. Defaults: hidden 2048, out 2048, layers 3, outputAffine false.
 */
import * as tf from '@tensorflow/tfjs';
import { batchNormalization, type Rng } from '../../../core/index.js';
import { BN_EPSILON, BN_MOMENTUM, checkInt, linearInit } from './mlp-init.js';

export interface ProjectorOptions {
  /** Hidden width, default 2048. */
  hidden?: number;
  /** Output dimension, default 2048. */
  out?: number;
  /** Number of linear layers, 1..; default 3. */
  layers?: number;
  /** Learnable gamma/beta in the output BN, default false (official SimSiam). */
  outputAffine?: boolean;
  rng: Rng;
  /** Model name and layer prefix, default 'projector'. */
  name?: string;
}

/** Build the projection MLP; the returned model maps `[B, inDim]` to `[B, out]`. */
export function buildProjector(inDim: number, opts: ProjectorOptions): tf.LayersModel {
  checkInt('projector.inDim', inDim);
  const hidden = checkInt('projector.hidden', opts.hidden ?? 2048);
  const out = checkInt('projector.out', opts.out ?? 2048);
  const layers = checkInt('projector.layers', opts.layers ?? 3);
  if (!opts.rng) throw new Error('projector.rng: expected an Rng, got ' + String(opts.rng));
  const affine = opts.outputAffine ?? false;
  const name = opts.name ?? 'projector';
  const input = tf.input({ shape: [inDim], name: `${name}_input` });
  let h: tf.SymbolicTensor = input;
  let fanIn = inDim;
  for (let i = 0; i < layers; i++) {
    const last = i === layers - 1;
    const units = last ? out : hidden;
    h = tf.layers.dense({ units, useBias: false, kernelInitializer: linearInit(opts.rng, fanIn), name: `${name}_fc${i}` })
      .apply(h) as tf.SymbolicTensor;
    // Output BN without affine: tfjs' BatchNormalization cannot run in training mode with
    // center/scale false, so it keeps gamma = 1, beta = 0 and is frozen (trainable: false; the
    // training flag still selects batch statistics and the moving averages still update).
    h = batchNormalization({
      momentum: BN_MOMENTUM, epsilon: BN_EPSILON, trainable: !last || affine, name: `${name}_bn${i}`,
    }).apply(h) as tf.SymbolicTensor;
    if (!last) h = tf.layers.reLU({ name: `${name}_relu${i}` }).apply(h) as tf.SymbolicTensor;
    fanIn = units;
  }
  return tf.model({ inputs: input, outputs: h, name });
}
