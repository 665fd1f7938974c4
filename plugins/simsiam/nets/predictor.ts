/**
 * SimSiam prediction MLP h (Chen & He 2021, Sec. 4): a bottleneck
 *   Linear(dim, bottleneck, no bias) - BN - ReLU - Linear(bottleneck, dim, with bias),
 * with no BN on the output. Input and output `[batch, dim]`. Default bottleneck 512
 * (the paper's 2048 -> 512 -> 2048).
 */
import * as tf from '@tensorflow/tfjs';
import { batchNormalization, type Rng } from '../../../core/index.js';
import { BN_EPSILON, BN_MOMENTUM, checkInt, linearInit } from './mlp-init.js';

export interface PredictorOptions {
  /** Hidden (bottleneck) width, default 512. */
  bottleneck?: number;
  rng: Rng;
  /** Model name and layer prefix, default 'predictor'. */
  name?: string;
}

/** Build the prediction MLP; the returned model maps `[B, dim]` to `[B, dim]`. */
export function buildPredictor(dim: number, opts: PredictorOptions): tf.LayersModel {
  checkInt('predictor.dim', dim);
  const bottleneck = checkInt('predictor.bottleneck', opts.bottleneck ?? 512);
  if (!opts.rng) throw new Error('predictor.rng: expected an Rng, got ' + String(opts.rng));
  const name = opts.name ?? 'predictor';
  const input = tf.input({ shape: [dim], name: `${name}_input` });
  let h = tf.layers.dense({ units: bottleneck, useBias: false, kernelInitializer: linearInit(opts.rng, dim), name: `${name}_fc0` })
    .apply(input) as tf.SymbolicTensor;
  h = batchNormalization({ momentum: BN_MOMENTUM, epsilon: BN_EPSILON, name: `${name}_bn0` }).apply(h) as tf.SymbolicTensor;
  h = tf.layers.reLU({ name: `${name}_relu0` }).apply(h) as tf.SymbolicTensor;
  h = tf.layers.dense({
    units: dim, useBias: true, kernelInitializer: linearInit(opts.rng, bottleneck),
    biasInitializer: linearInit(opts.rng, bottleneck), name: `${name}_fc1`,
  }).apply(h) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: h, name });
}
