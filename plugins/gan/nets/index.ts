/** GAN building blocks: DCGAN generator/discriminator, VBN, minibatch discrimination, presets. */
export { VirtualBatchNorm, type VirtualBatchNormArgs, type VbnStatistics } from './virtual-batch-norm.js';
export { MinibatchDiscrimination, minibatchSimilarity, type MinibatchDiscriminationArgs } from './minibatch-discrimination.js';
export { buildDcganGenerator, checkGeneratorConfig, type DcganGenerator, type DcganGeneratorConfig } from './dcgan-generator.js';
export { buildDcganDiscriminator, checkDiscriminatorConfig, type DcganDiscriminatorConfig, type MinibatchConfig } from './dcgan-discriminator.js';
export { GAN_PRESETS, type GanPreset } from './presets.js';
