import type * as tf from '@tensorflow/tfjs';
import { component, inject, TOKENS, z, type Augmenter, type Batch, type Rng } from '../../../core/index.js';
import { brightnessContrastJitter, gaussianBlur, randomFlip, randomResizedCrop, randomRot90, simsiamAugment } from '../transforms/index.js';

const range = (lo: number, hi: number) => z.tuple([z.number().min(lo).max(hi), z.number().min(lo).max(hi)]).refine(([a, b]) => a <= b, { message: 'expected [low, high] with low <= high' });

export const CropOptions = z.strictObject({
  scale: range(0.01, 1).default([0.2, 1]).describe('fraction of the image area kept'),
  ratio: range(0.1, 10).default([3 / 4, 4 / 3]).describe('aspect-ratio range of the crop'),
});
export const FlipOptions = z.strictObject({
  horizontal: z.number().min(0).max(1).default(0.5).describe('probability of a left-right flip'),
  vertical: z.number().min(0).max(1).default(0.5).describe('probability of an up-down flip'),
});
export const JitterOptions = z.strictObject({
  brightness: z.number().min(0).max(1).default(0.4).describe('max relative brightness change'),
  contrast: z.number().min(0).max(1).default(0.4).describe('max relative contrast change'),
  p: z.number().min(0).max(1).default(0.8).describe('probability of jittering an image'),
});
export const BlurOptions = z.strictObject({
  sigma: range(0.01, 20).default([0.1, 2]).describe('Gaussian sigma range in pixels'),
  p: z.number().min(0).max(1).default(0.5).describe('probability of blurring an image'),
});
export const Rot90Options = z.strictObject({});
export const DefaultAugmentOptions = z.strictObject({
  crop: z.union([CropOptions, z.literal(false)]).prefault({}),
  jitter: z.union([JitterOptions, z.literal(false)]).prefault({}),
  blur: z.union([BlurOptions, z.literal(false)]).prefault({}),
  flip: z.union([FlipOptions, z.literal(false)]).prefault({}),
  rot90: z.boolean().default(true),
});

/** Random resized crop, resized back to the input size (SimSiam/BYOL default: area 0.2-1). */
@component({ kind: 'augmenter', name: 'simsiam/random-resized-crop', description: 'random resized crop back to the input size', options: CropOptions })
export class RandomResizedCropAugmenter implements Augmenter {
  constructor(@inject(TOKENS.Options) private readonly o: z.output<typeof CropOptions>) {}
  view(b: Batch, rng: Rng): tf.Tensor4D { return randomResizedCrop(b.images, rng, { scale: this.o.scale, ratio: this.o.ratio }); }
}

/** Random horizontal and vertical flips (sky images have no preferred orientation). */
@component({ kind: 'augmenter', name: 'simsiam/flip', description: 'random horizontal/vertical flips', options: FlipOptions })
export class FlipAugmenter implements Augmenter {
  constructor(@inject(TOKENS.Options) private readonly o: z.output<typeof FlipOptions>) {}
  view(b: Batch, rng: Rng): tf.Tensor4D { return randomFlip(b.images, rng, this.o); }
}

/** Brightness/contrast jitter: one affine map per image, the same for every band. */
@component({ kind: 'augmenter', name: 'simsiam/jitter', description: 'brightness/contrast jitter, same for every band', options: JitterOptions })
export class JitterAugmenter implements Augmenter {
  constructor(@inject(TOKENS.Options) private readonly o: z.output<typeof JitterOptions>) {}
  view(b: Batch, rng: Rng): tf.Tensor4D { return brightnessContrastJitter(b.images, rng, this.o); }
}

/** Gaussian blur with a per-image sigma (reflective borders). */
@component({ kind: 'augmenter', name: 'simsiam/blur', description: 'Gaussian blur with random sigma per image', options: BlurOptions })
export class BlurAugmenter implements Augmenter {
  constructor(@inject(TOKENS.Options) private readonly o: z.output<typeof BlurOptions>) {}
  view(b: Batch, rng: Rng): tf.Tensor4D { return gaussianBlur(b.images, rng, { sigma: this.o.sigma, p: this.o.p }); }
}

/** Rotation by a random multiple of 90 degrees (square images). */
@component({ kind: 'augmenter', name: 'simsiam/rot90', description: 'rotation by a random multiple of 90 degrees', options: Rot90Options })
export class Rot90Augmenter implements Augmenter {
  view(b: Batch, rng: Rng): tf.Tensor4D { return randomRot90(b.images, rng); }
}

/**
 * The default SimSiam augmentation adapted to astronomical images: crop → brightness/contrast
 * jitter → blur → flips → 90° rotation; set a step to false to skip it.
 */
@component({ kind: 'augmenter', name: 'simsiam/default', description: 'SimSiam default augmentation (crop, jitter, blur, flips, rot90)', options: DefaultAugmentOptions })
export class DefaultAugmenter implements Augmenter {
  constructor(@inject(TOKENS.Options) private readonly o: z.output<typeof DefaultAugmentOptions>) {}
  view(b: Batch, rng: Rng): tf.Tensor4D {
    return simsiamAugment(b.images, rng, {
      crop: this.o.crop === false ? false : { scale: this.o.crop.scale, ratio: this.o.crop.ratio },
      jitter: this.o.jitter, blur: this.o.blur === false ? false : { sigma: this.o.blur.sigma, p: this.o.blur.p },
      flip: this.o.flip, rot90: this.o.rot90 ? {} : false,
    });
  }
}
