import * as tf from '@tensorflow/tfjs';
import { batchNormalization, type Rng } from '../../../core/index.js';
import { MinibatchDiscrimination } from './minibatch-discrimination.js';

/** Minibatch-discrimination settings of the discriminator. */
export interface MinibatchConfig {
  /** B, kernels (extra features per position). Paper: 1. */
  kernels: number;
  /** C, projection dimension per kernel. Paper: 160 (T = 512 × 160 ≈ 82K). */
  kernelDim: number;
  /** Std of T's initialiser. */
  initStddev: number;
}

/** Architecture of {@link buildDcganDiscriminator}. */
export interface DcganDiscriminatorConfig {
  /** Input side N and channels. */
  inputSize: number;
  inputChannels: number;
  /** Channels of the stride-2 convolutions. Paper: [64, 128, 256, 512]. */
  channels: number[];
  /** Index of the first conv followed by batch norm (DCGAN: 1, no BN on the input layer). */
  batchNormFrom: number;
  /** LeakyReLU slope. Paper: 0.2. */
  leakyAlpha: number;
  /** Minibatch discrimination after the strided convs (null: none). */
  minibatch: MinibatchConfig | null;
  /** A 5×5 stride-1 conv + BN + LeakyReLU before the linear output (paper: yes, 513 channels). */
  postConv: boolean;
  /** Kernel size. Paper: 5. */
  kernelSize: number;
}

/** Check a discriminator config; throws naming the field. */
export function checkDiscriminatorConfig(c: DcganDiscriminatorConfig, path = 'discriminator'): void {
  const L = c.channels.length;
  if (L < 1 || c.channels.some((v) => !(Number.isInteger(v) && v >= 1))) throw new Error(`${path}.channels: expected a non-empty list of positive integers, got ${JSON.stringify(c.channels)}`);
  if (!(c.inputSize / 2 ** L >= 1)) throw new Error(`${path}.channels: ${L} stride-2 convolutions need an input of at least ${2 ** L} pixels, got ${c.inputSize}`);
  if (!(c.leakyAlpha >= 0 && c.leakyAlpha < 1)) throw new Error(`${path}.leakyAlpha: expected a number in [0, 1), got ${c.leakyAlpha}`);
}

/**
 * DCGAN discriminator (the paper's §5.2.2 and Table 1): `channels.length` kernel×kernel stride-2
 * convolutions, each followed by batch norm (from index `batchNormFrom`) and LeakyReLU(α);
 * optional minibatch discrimination per spatial position (adds `kernels` channels); optional
 * stride-1 conv + BN + LeakyReLU with as many channels as its input; flatten; linear → 1 logit.
 * Weights ~ N(0, 0.02), seeded from `rng`. Input [B, N, N, C] → [B, 1] (unbounded logits).
 * Paper preset: 1×256² → 64×128² → 128×64² → 256×32² → 512×16² → MBD → 513×16² → conv → 1.
 */
export function buildDcganDiscriminator(config: DcganDiscriminatorConfig, rng: Rng): tf.LayersModel {
  checkDiscriminatorConfig(config);
  const { channels, kernelSize, leakyAlpha } = config;
  const init = () => tf.initializers.randomNormal({ mean: 0, stddev: 0.02, seed: rng.tfSeed() });
  const input = tf.input({ shape: [config.inputSize, config.inputSize, config.inputChannels], name: 'x' });
  let x: tf.SymbolicTensor = input;
  channels.forEach((c, i) => {
    const bn = i >= config.batchNormFrom;
    x = tf.layers.conv2d({ filters: c, kernelSize, strides: 2, padding: 'same', useBias: !bn, kernelInitializer: init(), name: `d_conv${i}` }).apply(x) as tf.SymbolicTensor;
    if (bn) x = batchNormalization({ momentum: 0.9, epsilon: 1e-5, name: `d_bn${i}` }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.leakyReLU({ alpha: leakyAlpha, name: `d_lrelu${i}` }).apply(x) as tf.SymbolicTensor;
  });
  if (config.minibatch) {
    const mb = config.minibatch;
    x = new MinibatchDiscrimination({ kernels: mb.kernels, kernelDim: mb.kernelDim, initStddev: mb.initStddev, seed: rng.tfSeed(), name: 'd_minibatch' }).apply(x) as tf.SymbolicTensor;
  }
  if (config.postConv) {
    const c = x.shape[3] as number;
    x = tf.layers.conv2d({ filters: c, kernelSize, strides: 1, padding: 'same', useBias: false, kernelInitializer: init(), name: 'd_postconv' }).apply(x) as tf.SymbolicTensor;
    x = batchNormalization({ momentum: 0.9, epsilon: 1e-5, name: 'd_postbn' }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.leakyReLU({ alpha: leakyAlpha, name: 'd_postlrelu' }).apply(x) as tf.SymbolicTensor;
  }
  x = tf.layers.flatten({ name: 'd_flatten' }).apply(x) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 1, kernelInitializer: init(), name: 'd_logit' }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out, name: 'dcgan_discriminator' });
}
