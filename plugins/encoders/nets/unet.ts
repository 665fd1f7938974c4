/**
 * U-Net (Ronneberger et al. 2015) image-to-image generator for the mass-mapping cGAN
 * (Whitney et al., "Generative modelling for mass-mapping with fast uncertainty
 * quantification": "UNET: Encoder & Decoder, 4 layers each. 5 residual blocks"; rcGAN of
 * Bendel et al. 2023). Latent noise is not built in: the caller concatenates it to the
 * condition as extra input channels.
 *
 * Architecture, with f = baseFilters and L = levels:
 * - encoder level l = 0..L-1: two 3x3 conv-BN-act units with f*2^l filters (kept as skip l),
 *   then 2x2 max pooling;
 * - bottleneck: one 3x3 conv-BN-act with f*2^L filters, then `residualBlocks` residual
 *   blocks x + BN(conv(act(BN(conv(x))))) (He et al. 2016, no activation after the sum);
 * - decoder level l = L-1..0: 2x nearest upsampling + 3x3 conv-BN-act to f*2^l filters,
 *   concatenation with skip l, two 3x3 conv-BN-act units;
 * - a 1x1 conv (with bias) to `outChannels` and the output activation.
 * Upsampling + conv is used instead of conv2dTranspose: it avoids checkerboard artefacts
 * (Odena et al. 2016, "Deconvolution and checkerboard artifacts") and keeps to kernels that
 * are fast on the wasm backend (transposed conv runs on the slow Conv2DBackpropInput kernel).
 * `inputSize` must be divisible by 2^L. Output: `[batch, inputSize, inputSize, outChannels]`.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../../core/index.js';
import { applyActivation, convBn, type Activation } from './conv-bn.js';
import { checkInt, checkOneOf, convKernelInit } from './init.js';

export type UNetOutputActivation = 'linear' | 'tanh' | 'sigmoid' | 'relu';

export interface UNetOptions {
  /** Input channels (condition channels + latent-noise channels). */
  inChannels: number;
  /** Output channels. */
  outChannels: number;
  /** Input height = width in pixels; must be divisible by 2^levels. */
  inputSize: number;
  /** Encoder/decoder depth, default 4. */
  levels?: number;
  /** Filters of the first level f (level l has f*2^l), default 32. */
  baseFilters?: number;
  /** Residual blocks at the bottleneck, default 5; 0 allowed. */
  residualBlocks?: number;
  /** Hidden activation, default 'leakyRelu' (slope 0.2). */
  activation?: Exclude<Activation, 'none'>;
  /** Batch norm after every hidden conv, default true (false: convs get a bias instead). */
  batchNorm?: boolean;
  /** Output activation, default 'linear'. */
  outputActivation?: UNetOutputActivation;
  rng: Rng;
  /** Model name and layer prefix, default 'unet'. */
  name?: string;
}

/** Build the U-Net generator described in the module comment. */
export function buildUNet(opts: UNetOptions): tf.LayersModel {
  const inChannels = checkInt('unet.inChannels', opts.inChannels);
  const outChannels = checkInt('unet.outChannels', opts.outChannels);
  const inputSize = checkInt('unet.inputSize', opts.inputSize);
  const levels = checkInt('unet.levels', opts.levels ?? 4);
  const f = checkInt('unet.baseFilters', opts.baseFilters ?? 32);
  const nRes = checkInt('unet.residualBlocks', opts.residualBlocks ?? 5, 0);
  const act = checkOneOf('unet.activation', opts.activation ?? 'leakyRelu', ['relu', 'leakyRelu'] as const);
  const outAct = checkOneOf('unet.outputActivation', opts.outputActivation ?? 'linear', ['linear', 'tanh', 'sigmoid', 'relu'] as const);
  const batchNorm = opts.batchNorm ?? true;
  if (!opts.rng) throw new Error('unet.rng: expected an Rng, got ' + String(opts.rng));
  if (inputSize % 2 ** levels !== 0) {
    throw new Error(`unet.inputSize: expected a multiple of 2^levels = ${2 ** levels}, got ${inputSize}`);
  }
  const rng = opts.rng;
  const name = opts.name ?? 'unet';
  const unit = (x: tf.SymbolicTensor, filters: number, n: string, a: Activation = act) =>
    convBn(x, { filters, kernel: 3, activation: a, batchNorm, name: n, rng });

  const input = tf.input({ shape: [inputSize, inputSize, inChannels], name: `${name}_input` });
  const skips: tf.SymbolicTensor[] = [];
  let h: tf.SymbolicTensor = input;
  for (let l = 0; l < levels; l++) {
    h = unit(h, f * 2 ** l, `${name}_enc${l}_a`);
    h = unit(h, f * 2 ** l, `${name}_enc${l}_b`);
    skips.push(h);
    h = tf.layers.maxPooling2d({ poolSize: 2, strides: 2, name: `${name}_enc${l}_pool` }).apply(h) as tf.SymbolicTensor;
  }
  const fb = f * 2 ** levels;
  h = unit(h, fb, `${name}_bottleneck`);
  for (let r = 0; r < nRes; r++) {
    const y = unit(unit(h, fb, `${name}_res${r}_a`), fb, `${name}_res${r}_b`, 'none');
    h = tf.layers.add({ name: `${name}_res${r}_add` }).apply([h, y]) as tf.SymbolicTensor;
  }
  for (let l = levels - 1; l >= 0; l--) {
    h = tf.layers.upSampling2d({ size: [2, 2], name: `${name}_dec${l}_up` }).apply(h) as tf.SymbolicTensor;
    h = unit(h, f * 2 ** l, `${name}_dec${l}_upconv`);
    h = tf.layers.concatenate({ axis: -1, name: `${name}_dec${l}_concat` }).apply([h, skips[l]]) as tf.SymbolicTensor;
    h = unit(h, f * 2 ** l, `${name}_dec${l}_a`);
    h = unit(h, f * 2 ** l, `${name}_dec${l}_b`);
  }
  h = tf.layers.conv2d({
    filters: outChannels, kernelSize: 1, useBias: true, name: `${name}_out_conv`,
    kernelInitializer: convKernelInit(rng, 1, 1, outChannels), biasInitializer: 'zeros',
  }).apply(h) as tf.SymbolicTensor;
  if (outAct !== 'linear') {
    if (outAct === 'relu') h = applyActivation(h, 'relu', `${name}_out_act`);
    else h = tf.layers.activation({ activation: outAct, name: `${name}_out_act` }).apply(h) as tf.SymbolicTensor;
  }
  return tf.model({ inputs: input, outputs: h, name });
}
