/**
 * A small convolutional feature extractor for tests and quick runs: three conv-BN-ReLU
 * units (3x3; strides 1, 2, 2; widths w, 2w, 4w) and global average pooling, so the output is
 * `[batch, 4 * width]`. Same conventions as the ResNet (PyTorch padding, no conv bias before BN,
 * Kaiming fan-out kernels, BN momentum 0.1 / eps 1e-5, all kernels seeded from `rng`).
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../../core/index.js';
import { convBn } from './conv-bn.js';
import { checkInt } from './init.js';
import type { EncoderNet } from './resnet.js';

export interface SmallCnnOptions {
  /** Input channels. */
  inChannels: number;
  /** Input height = width in pixels. */
  inputSize: number;
  /** Base width w, default 16; featureDim = 4w. */
  width?: number;
  rng: Rng;
  /** Model name and layer prefix, default 'small_cnn'. */
  name?: string;
}

/** Build the small CNN; returns the model (`[B, S, S, C] -> [B, 4w]`) and featureDim = 4w. */
export function buildSmallCnn(opts: SmallCnnOptions): EncoderNet {
  const inChannels = checkInt('smallCnn.inChannels', opts.inChannels);
  const inputSize = checkInt('smallCnn.inputSize', opts.inputSize);
  const width = checkInt('smallCnn.width', opts.width ?? 16);
  if (!opts.rng) throw new Error('smallCnn.rng: expected an Rng, got ' + String(opts.rng));
  const name = opts.name ?? 'small_cnn';
  const input = tf.input({ shape: [inputSize, inputSize, inChannels], name: `${name}_input` });
  let h = convBn(input, { filters: width, kernel: 3, stride: 1, name: `${name}_c1`, rng: opts.rng });
  h = convBn(h, { filters: 2 * width, kernel: 3, stride: 2, name: `${name}_c2`, rng: opts.rng });
  h = convBn(h, { filters: 4 * width, kernel: 3, stride: 2, name: `${name}_c3`, rng: opts.rng });
  const out = tf.layers.globalAveragePooling2d({ name: `${name}_pool` }).apply(h) as tf.SymbolicTensor;
  return { model: tf.model({ inputs: input, outputs: out, name }), featureDim: 4 * width };
}
