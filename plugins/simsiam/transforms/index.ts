/** SimSiam default augmentations for NHWC float32 batches: (x, rng, opts) => new tensor. */
export { randomResizedCrop, sampleCropBox, RANDOM_RESIZED_CROP_DEFAULTS } from './random-resized-crop.js';
export type { RandomResizedCropOptions, CropBox } from './random-resized-crop.js';
export { randomFlip, RANDOM_FLIP_DEFAULTS } from './random-flip.js';
export type { RandomFlipOptions } from './random-flip.js';
export { randomRot90, rot90, RANDOM_ROT90_DEFAULTS } from './random-rot90.js';
export type { RandomRot90Options } from './random-rot90.js';
export { brightnessContrastJitter, BRIGHTNESS_CONTRAST_DEFAULTS } from './brightness-contrast.js';
export type { BrightnessContrastOptions } from './brightness-contrast.js';
export { gaussianBlur, blurWithSigmas, gaussianRadius, GAUSSIAN_BLUR_DEFAULTS } from './gaussian-blur.js';
export type { GaussianBlurOptions, BlurPadding } from './gaussian-blur.js';
export { simsiamAugment } from './simsiam-augment.js';
export type { SimSiamAugmentOptions } from './simsiam-augment.js';
