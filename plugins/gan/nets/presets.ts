import type { DcganDiscriminatorConfig } from './dcgan-discriminator.js';
import type { DcganGeneratorConfig } from './dcgan-generator.js';

/** Network settings of a preset (sizes come from the data: N, channels). */
export interface GanPreset {
  generator: Omit<DcganGeneratorConfig, 'outputSize' | 'outputChannels'>;
  discriminator: Omit<DcganDiscriminatorConfig, 'inputSize' | 'inputChannels'>;
}

/**
 * Architectures by name.
 * - `paper`: the 256×256 networks of the paper's Table 1 (Dellepère, Aggarwal & Ying):
 *   G 64 → dense 512×16×16 → VBN/ReLU → TConv5 256 → 128 → 64 (VBN, ReLU) → TConv5 1, tanh;
 *   D Conv5/2 64 (LReLU) → 128 → 256 → 512 (BN, LReLU 0.2) → minibatch discrimination
 *   (1 kernel × 160 per position: 513 channels) → Conv5 513 (BN, LReLU) → linear 1.
 *   VBN reference batch m = 64 (the paper's batch size).
 * - `quick`: the same layout scaled down for 64×64 maps on 2 CPU cores (wasm):
 *   G 64 → dense 64×4×4 → TConv5 32 → 16 → 8 → 1 (VBN m = 8); D Conv5/2 8 → 16 → 32 → 64,
 *   minibatch discrimination 4 kernels × 8 per position, no post conv. Sized from measured
 *   step times (see examples/cosmogan-quick.yaml).
 */
export const GAN_PRESETS: Readonly<Record<'quick' | 'paper', GanPreset>> = Object.freeze({
  paper: {
    generator: { latentDim: 64, channels: [512, 256, 128, 64], norm: 'vbn', referenceSize: 64, vbnStatistics: 'per-example', kernelSize: 5 },
    discriminator: {
      channels: [64, 128, 256, 512], batchNormFrom: 1, leakyAlpha: 0.2,
      minibatch: { kernels: 1, kernelDim: 160, initStddev: 0.05 }, postConv: true, kernelSize: 5,
    },
  },
  quick: {
    generator: { latentDim: 64, channels: [64, 32, 16, 8], norm: 'vbn', referenceSize: 8, vbnStatistics: 'per-example', kernelSize: 5 },
    discriminator: {
      channels: [8, 16, 32, 64], batchNormFrom: 1, leakyAlpha: 0.2,
      minibatch: { kernels: 4, kernelDim: 8, initStddev: 0.05 }, postConv: false, kernelSize: 5,
    },
  },
});
