/**
 * The richness-regression head of Liang et al. 2021 (Table S2). The per-band features of a
 * cluster ([D] each, D = 512 in the paper) are stacked into a D x 5 x 1 "image" (height D,
 * width = the 5 bands), then:
 *   Conv1 1x1, 1 filter + BN + ReLU            -> D x 5 x 1
 *   Conv2 3x3, 16 filters (valid along D, zero-padded along the bands) + BN + ReLU -> (D-2) x 5 x 16
 *   Conv3 3x3, 64 filters (likewise) + BN + ReLU                                   -> (D-4) x 5 x 64
 *   flatten, FC 1024 + ReLU, FC 512 + ReLU, FC 1.
 * Filter counts and FC widths are options (defaults as the paper) so quick runs can shrink them.
 */
import * as tf from '@tensorflow/tfjs';
import { batchNormalization, type Rng } from '../../../core/index.js';
import { BN_EPSILON, BN_MOMENTUM, convKernelInit, linearInit } from '../../encoders/index.js';

export interface RichnessHeadOptions {
  /** Feature width D of the extractor (>= 5 so that two valid 3x3 convs fit). */
  featureDim: number;
  /** Number of bands (width of the stacked feature image), 5 for ugriz. */
  bands: number;
  /** Filters of Conv2 and Conv3 (paper: 16, 64). */
  conv2Filters: number;
  conv3Filters: number;
  /** Widths of the hidden FC layers (paper: [1024, 512]); a final FC 1 follows. */
  fc: number[];
  rng: Rng;
  name?: string;
}

function conv(x: tf.SymbolicTensor, filters: number, k: number, name: string, rng: Rng): tf.SymbolicTensor {
  let h = x;
  if (k > 1) h = tf.layers.zeroPadding2d({ padding: [[0, 0], [1, 1]], name: `${name}_pad` }).apply(h) as tf.SymbolicTensor;
  h = tf.layers.conv2d({ filters, kernelSize: k, padding: 'valid', useBias: false, name, kernelInitializer: convKernelInit(rng, k, k, filters) }).apply(h) as tf.SymbolicTensor;
  h = batchNormalization({ momentum: BN_MOMENTUM, epsilon: BN_EPSILON, name: `${name}_bn` }).apply(h) as tf.SymbolicTensor;
  return tf.layers.reLU({ name: `${name}_relu` }).apply(h) as tf.SymbolicTensor;
}

/** Build the Table S2 head: input [B, D, bands, 1], output [B, 1]. */
export function buildRichnessHead(o: RichnessHeadOptions): tf.LayersModel {
  if (!Number.isInteger(o.featureDim) || o.featureDim < 5) throw new Error(`extractor.featureDim: expected an integer >= 5 for the Table S2 head, got ${o.featureDim}`);
  for (const [k, v] of [['head.conv2Filters', o.conv2Filters], ['head.conv3Filters', o.conv3Filters]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new Error(`${k}: expected an integer >= 1, got ${v}`);
  }
  const name = o.name ?? 'richness_head';
  const input = tf.input({ shape: [o.featureDim, o.bands, 1], name: `${name}_input` });
  let h = conv(input, 1, 1, `${name}_conv1`, o.rng);
  h = conv(h, o.conv2Filters, 3, `${name}_conv2`, o.rng);
  h = conv(h, o.conv3Filters, 3, `${name}_conv3`, o.rng);
  h = tf.layers.flatten({ name: `${name}_flatten` }).apply(h) as tf.SymbolicTensor;
  let fanIn = (o.featureDim - 4) * o.bands * o.conv3Filters;
  o.fc.forEach((units, i) => {
    h = tf.layers.dense({ units, activation: 'relu', name: `${name}_fc${i + 1}`, kernelInitializer: linearInit(o.rng, fanIn), biasInitializer: linearInit(o.rng, fanIn) }).apply(h) as tf.SymbolicTensor;
    fanIn = units;
  });
  const out = tf.layers.dense({ units: 1, name: `${name}_fc${o.fc.length + 1}`, kernelInitializer: linearInit(o.rng, fanIn), biasInitializer: linearInit(o.rng, fanIn) }).apply(h) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out, name });
}

/** Stack per-band features [B, C, D] into the head's input [B, D, C, 1]. */
export function featuresToHeadInput(features: tf.Tensor3D): tf.Tensor4D {
  return tf.tidy(() => {
    const [b, c, d] = features.shape;
    return tf.reshape(tf.transpose(features, [0, 2, 1]), [b, d, c, 1]) as tf.Tensor4D;
  });
}
