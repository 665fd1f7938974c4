/**
 * Conv -> BatchNorm [-> activation] unit for the tfjs-layers functional API, with PyTorch's
 * padding semantics: a k x k conv pads floor(k/2) pixels on every side (explicit
 * `zeroPadding2d` + 'valid' for stride > 1, where tfjs' 'same' would pad asymmetrically),
 * no conv bias (BN's beta replaces it), Kaiming fan-out kernels (see init.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { batchNormalization, type Rng } from '../../../core/index.js';
import { BN_EPSILON, BN_MOMENTUM, convKernelInit } from './init.js';

export type Activation = 'relu' | 'leakyRelu' | 'none';

export interface ConvBnOptions {
  /** Number of output channels. */
  filters: number;
  /** Square kernel size (odd, or 1). */
  kernel: number;
  /** Stride, default 1. */
  stride?: number;
  /** Activation after BN, default 'relu'; leakyRelu uses slope 0.2. */
  activation?: Activation;
  /** Apply batch norm (default true). Without BN the conv gets a zero-initialised bias. */
  batchNorm?: boolean;
  /** Layer-name prefix; layers are `${name}_conv`/`${name}_bn` unless convName/bnName are given. */
  name: string;
  convName?: string;
  bnName?: string;
  rng: Rng;
}

/** Apply a symmetric-padded conv (no bias), BN and an activation to `x`; returns the output tensor. */
export function convBn(x: tf.SymbolicTensor, o: ConvBnOptions): tf.SymbolicTensor {
  const stride = o.stride ?? 1;
  const bn = o.batchNorm ?? true;
  let h = x;
  let padding: 'same' | 'valid' = 'valid';
  if (o.kernel > 1) {
    if (stride === 1) padding = 'same'; // symmetric for odd kernels
    else h = tf.layers.zeroPadding2d({ padding: Math.floor(o.kernel / 2), name: `${o.convName ?? o.name + '_conv'}_pad` }).apply(h) as tf.SymbolicTensor;
  }
  h = tf.layers.conv2d({
    filters: o.filters, kernelSize: o.kernel, strides: stride, padding, useBias: !bn,
    kernelInitializer: convKernelInit(o.rng, o.kernel, o.kernel, o.filters),
    name: o.convName ?? `${o.name}_conv`,
  }).apply(h) as tf.SymbolicTensor;
  if (bn) {
    h = batchNormalization({ momentum: BN_MOMENTUM, epsilon: BN_EPSILON, name: o.bnName ?? `${o.name}_bn` })
      .apply(h) as tf.SymbolicTensor;
  }
  return applyActivation(h, o.activation ?? 'relu', `${o.name}_act`);
}

/** ReLU, LeakyReLU (slope 0.2) or identity as a named layer. */
export function applyActivation(x: tf.SymbolicTensor, act: Activation, name: string): tf.SymbolicTensor {
  if (act === 'relu') return tf.layers.reLU({ name }).apply(x) as tf.SymbolicTensor;
  if (act === 'leakyRelu') return tf.layers.leakyReLU({ alpha: 0.2, name }).apply(x) as tf.SymbolicTensor;
  return x;
}
