/**
 * The generator G(z, γ) of the mass-mapping cGAN (Whitney et al. 2024, slide "Generator":
 * "UNET: Encoder & Decoder, 4 layers each. 5 residual blocks"; rcGAN of Bendel et al. 2023):
 * the encoders plugin's U-Net (`buildUNet`) on the observed shear γ [n, n, C] with the latent
 * z ~ N(0, 1) [n, n, latentChannels] appended as extra input channels; output κ [n, n, 1]
 * (linear). Callers concatenate γ and z (see {@link generatorInput}).
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../../core/index.js';
import { buildUNet } from '../../encoders/index.js';

export interface GeneratorOptions {
  size: number;
  condChannels: number;
  /** Latent channels appended to γ (default 2). */
  latentChannels?: number;
  /** U-Net first-level filters (default 32). */
  baseFilters?: number;
  /** Encoder/decoder levels (default 4). */
  levels?: number;
  /** Residual blocks at the bottleneck (default 5). */
  residualBlocks?: number;
  /** Batch norm in the U-Net (default true). */
  batchNorm?: boolean;
  rng: Rng;
}

/** Build G: input [B, n, n, C + latentChannels], output [B, n, n, 1]. */
export function buildConditionalGenerator(o: GeneratorOptions): tf.LayersModel {
  const zc = o.latentChannels ?? 2;
  if (!Number.isInteger(zc) || zc < 1) throw new Error(`generator.latentChannels: expected an integer >= 1, got ${zc}`);
  return buildUNet({
    inChannels: o.condChannels + zc, outChannels: 1, inputSize: o.size, levels: o.levels ?? 4,
    baseFilters: o.baseFilters ?? 32, residualBlocks: o.residualBlocks ?? 5, batchNorm: o.batchNorm ?? true,
    outputActivation: 'linear', rng: o.rng, name: 'generator',
  });
}

/** [γ, z]: the condition [B, n, n, C] with `latentChannels` standard-normal channels drawn with tfjs seed `seed`. */
export function generatorInput(cond: tf.Tensor4D, latentChannels: number, seed: number): tf.Tensor4D {
  return tf.tidy(() => {
    const [b, h, w] = cond.shape;
    const z = tf.randomNormal([b, h, w, latentChannels], 0, 1, 'float32', seed);
    return tf.concat([cond, z], 3) as tf.Tensor4D;
  });
}
