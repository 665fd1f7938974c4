/**
 * The default SimSiam view generator adapted to astronomical images (Chen & He 2021, Sec. A:
 * RandomResizedCrop(scale 0.2-1), ColorJitter(p 0.8), RandomGrayscale(p 0.2),
 * GaussianBlur(p 0.5), HorizontalFlip): here crop -> brightness/contrast jitter -> Gaussian
 * blur -> horizontal+vertical flips -> quarter-turn rotation. Grayscale, saturation and hue are
 * dropped (they mix bands); flips in both axes and 90-degree rotations are added (sky images
 * have no preferred orientation). Set any step to `false` to skip it.
 * All randomness comes from `rng`, consumed in that order, so two calls with the same `rng`
 * object give two different views (the usual way to make a positive pair).
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../../core/index.js';
import { brightnessContrastJitter, type BrightnessContrastOptions } from './brightness-contrast.js';
import { gaussianBlur, type GaussianBlurOptions } from './gaussian-blur.js';
import { randomFlip, type RandomFlipOptions } from './random-flip.js';
import { randomResizedCrop, type RandomResizedCropOptions } from './random-resized-crop.js';
import { randomRot90, type RandomRot90Options } from './random-rot90.js';

export interface SimSiamAugmentOptions {
  crop?: RandomResizedCropOptions | false;
  jitter?: BrightnessContrastOptions | false;
  blur?: GaussianBlurOptions | false;
  flip?: RandomFlipOptions | false;
  rot90?: RandomRot90Options | false;
}

/** Apply the enabled augmentations (all on by default, with their own defaults) to `x`. */
export function simsiamAugment(x: tf.Tensor4D, rng: Rng, opts: SimSiamAugmentOptions = {}): tf.Tensor4D {
  const steps: [((x: tf.Tensor4D, rng: Rng, o: never) => tf.Tensor4D), object | false | undefined][] = [
    [randomResizedCrop, opts.crop], [brightnessContrastJitter, opts.jitter], [gaussianBlur, opts.blur],
    [randomFlip, opts.flip], [randomRot90, opts.rot90],
  ];
  let out = x.clone();
  for (const [fn, o] of steps) {
    if (o === false) continue;
    const next = fn(out, rng, (o ?? {}) as never);
    out.dispose();
    out = next;
  }
  return out;
}
