import * as tf from '@tensorflow/tfjs';
import { batchNormalization, type Rng } from '../../../core/index.js';
import { VirtualBatchNorm, type VbnStatistics } from './virtual-batch-norm.js';

/** Architecture of {@link buildDcganGenerator}. */
export interface DcganGeneratorConfig {
  /** Latent dimension; z ~ N(0, I). Paper: 64. */
  latentDim: number;
  /** Output side N in pixels (square maps); must be divisible by 2^channels.length. */
  outputSize: number;
  /** Output channels (1 for convergence maps). */
  outputChannels: number;
  /** Feature channels after the dense layer and after each hidden transposed conv; the dense
   *  layer outputs channels[0] maps of N/2^L pixels, L = channels.length. Paper: [512, 256, 128, 64]. */
  channels: number[];
  /** Normalisation after the dense layer and each hidden transposed conv. */
  norm: 'vbn' | 'bn' | 'none';
  /** m, the reference batch size (VBN only). */
  referenceSize: number;
  /** VBN statistics (see VirtualBatchNorm). */
  vbnStatistics: VbnStatistics;
  /** Kernel size of the transposed convolutions. Paper: 5. */
  kernelSize: number;
  /**
   * How each stage doubles the resolution. 'transposed' (paper, DCGAN): a stride-2 transposed
   * conv. 'nearest': nearest-neighbour ×2 upsampling, then a stride-1 conv of the same kernel
   * ("resize-convolution", Odena, Dumoulin & Olah 2016), which avoids the checkerboard pattern of
   * uneven kernel overlap and the excess small-scale power it adds. Default 'transposed'.
   */
  upsample?: 'transposed' | 'nearest';
}

/** A built generator: the tfjs model and, for VBN, its fixed reference latents. */
export interface DcganGenerator {
  readonly config: DcganGeneratorConfig;
  /** Maps [rows, latentDim] to [rows, N, N, C]; for VBN the first `referenceSize` rows must be the reference latents. */
  readonly model: tf.LayersModel;
  /** The reference batch's latents (VBN), fixed when the generator is built; else null. */
  readonly referenceLatents: tf.Tensor2D | null;
  /** G(z) for a batch z [B, latentDim] → [B, N, N, C] in (−1, 1); prepends/strips the reference rows for VBN. */
  generate(z: tf.Tensor2D, training: boolean): tf.Tensor4D;
  dispose(): void;
}

/** Check a generator config; throws naming the field. */
export function checkGeneratorConfig(c: DcganGeneratorConfig, path = 'generator'): void {
  const L = c.channels.length;
  if (L < 1 || c.channels.some((v) => !(Number.isInteger(v) && v >= 1))) throw new Error(`${path}.channels: expected a non-empty list of positive integers, got ${JSON.stringify(c.channels)}`);
  const s0 = c.outputSize / 2 ** L;
  if (!(Number.isInteger(s0) && s0 >= 1)) throw new Error(`${path}.channels: ${L} upsamplings need an output size divisible by ${2 ** L}, got ${c.outputSize}`);
  if (!(Number.isInteger(c.latentDim) && c.latentDim >= 1)) throw new Error(`${path}.latentDim: expected an integer >= 1, got ${c.latentDim}`);
  if (c.norm === 'vbn' && !(Number.isInteger(c.referenceSize) && c.referenceSize >= 1)) throw new Error(`${path}.referenceSize: expected an integer >= 1, got ${c.referenceSize}`);
}

/**
 * DCGAN generator (Radford et al. 2015; the paper's §5.2.1 and Table 1): z (latentDim, N(0, 1))
 * → dense → reshape to channels[0] × s0 × s0 (s0 = N / 2^L) → norm → ReLU → for each further
 * entry of `channels`: kernel×kernel transposed conv, stride 2 → norm → ReLU → a last
 * transposed conv, stride 2, to `outputChannels` with tanh (with `upsample: 'nearest'` each
 * transposed conv is a ×2 nearest-neighbour upsampling followed by a stride-1 conv). Weights ~ N(0, 0.02) (DCGAN), seeded
 * from `rng`. With norm 'vbn' the reference latents (m × latentDim standard normals) are drawn
 * from `rng.derive('vbn-reference')` once, here, and kept fixed.
 * Paper preset: 64 → 512×16×16 → 256×32² → 128×64² → 64×128² → 1×256², VBN.
 */
export function buildDcganGenerator(config: DcganGeneratorConfig, rng: Rng): DcganGenerator {
  checkGeneratorConfig(config);
  const { latentDim, outputSize, channels, norm, kernelSize } = config;
  const L = channels.length;
  const s0 = outputSize / 2 ** L;
  const init = () => tf.initializers.randomNormal({ mean: 0, stddev: 0.02, seed: rng.tfSeed() });
  const normLayer = (name: string): tf.layers.Layer | null => {
    if (norm === 'vbn') return new VirtualBatchNorm({ referenceSize: config.referenceSize, statistics: config.vbnStatistics, name });
    if (norm === 'bn') return batchNormalization({ momentum: 0.9, epsilon: 1e-5, name });
    return null;
  };
  const input = tf.input({ shape: [latentDim], name: 'z' });
  let x = tf.layers.dense({ units: s0 * s0 * channels[0], kernelInitializer: init(), name: 'g_dense' }).apply(input) as tf.SymbolicTensor;
  x = tf.layers.reshape({ targetShape: [s0, s0, channels[0]], name: 'g_reshape' }).apply(x) as tf.SymbolicTensor;
  const block = (y: tf.SymbolicTensor, i: number): tf.SymbolicTensor => {
    const nl = normLayer(`g_norm${i}`);
    const z = nl ? (nl.apply(y) as tf.SymbolicTensor) : y;
    return tf.layers.reLU({ name: `g_relu${i}` }).apply(z) as tf.SymbolicTensor;
  };
  x = block(x, 0);
  const resize = (config.upsample ?? 'transposed') === 'nearest';
  const up = (y: tf.SymbolicTensor, i: number, filters: number, useBias: boolean, activation?: 'tanh'): tf.SymbolicTensor => {
    if (!resize) {
      return tf.layers.conv2dTranspose({ filters, kernelSize, strides: 2, padding: 'same', useBias, activation, kernelInitializer: init(), name: `g_tconv${i}` }).apply(y) as tf.SymbolicTensor;
    }
    const u = tf.layers.upSampling2d({ size: [2, 2], name: `g_up${i}` }).apply(y) as tf.SymbolicTensor;
    return tf.layers.conv2d({ filters, kernelSize, strides: 1, padding: 'same', useBias, activation, kernelInitializer: init(), name: `g_conv${i}` }).apply(u) as tf.SymbolicTensor;
  };
  for (let i = 1; i < L; i++) x = block(up(x, i, channels[i], norm === 'none'), i);
  const out = up(x, L, config.outputChannels, true, 'tanh');
  const model = tf.model({ inputs: input, outputs: out, name: 'dcgan_generator' });
  const m = config.referenceSize;
  const referenceLatents = norm === 'vbn' ? tf.tensor2d(rng.derive('vbn-reference').normalArray(m * latentDim), [m, latentDim]) : null;
  return {
    config, model, referenceLatents,
    generate(z: tf.Tensor2D, training: boolean): tf.Tensor4D {
      if (z.rank !== 2 || z.shape[1] !== latentDim) throw new Error(`generator: expected latents of shape [B, ${latentDim}], got [${z.shape}]`);
      return tf.tidy(() => {
        if (!referenceLatents) return model.apply(z, { training }) as tf.Tensor4D;
        const y = model.apply(tf.concat([referenceLatents, z], 0), { training }) as tf.Tensor4D;
        return tf.slice(y, m, z.shape[0]);
      });
    },
    dispose(): void { model.dispose(); referenceLatents?.dispose(); },
  };
}
