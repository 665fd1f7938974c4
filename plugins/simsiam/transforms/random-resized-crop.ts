/**
 * Random resized crop (Szegedy et al. 2015; SimSiam's default with scale [0.2, 1], Chen & He
 * 2021 Sec. A): per sample, a box covering a random fraction `scale` of the image area with a
 * random aspect ratio (width / height) drawn log-uniformly in `ratio` is resized back to the
 * output size. Box sampling follows torchvision's `RandomResizedCrop.get_params`: up to 10
 * attempts, then a centre crop clamped to the ratio range.
 * Resampling uses `tf.image.cropAndResize` with the box's first and last pixel centres mapped
 * onto the output's corner pixel centres (TF's crop_and_resize convention; torchvision resizes
 * with half-pixel centres and antialiasing instead). A box the size of the output is copied
 * exactly; a constant image stays constant; bilinear keeps linear ramps linear.
 * Random draws per sample, in batch order: for each attempt, area fraction
 * rng.uniform(scale) and log-aspect rng.uniform(log ratio); on success top = rng.int, left = rng.int.
 * Note: this changes the apparent angular scale (e.g. a lens' Einstein radius), which is why
 * LenSiam replaces it with lens-model-preserving augmentation.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../../core/index.js';
import { checkBatch, checkInt, checkRange } from './check.js';

export interface RandomResizedCropOptions {
  /** Output size: a square side or [height, width]; default the input size. */
  size?: number | [number, number];
  /** Range of the crop's fraction of the image area, default [0.2, 1]. */
  scale?: [number, number];
  /** Range of the crop's aspect ratio width/height (log-uniform), default [3/4, 4/3]. */
  ratio?: [number, number];
  /** Resampling, default 'bilinear'. */
  method?: 'bilinear' | 'nearest';
}

export const RANDOM_RESIZED_CROP_DEFAULTS = { scale: [0.2, 1] as [number, number], ratio: [3 / 4, 4 / 3] as [number, number], method: 'bilinear' as const };

export interface CropBox { top: number; left: number; height: number; width: number }

/** Sample one crop box (integer pixels) in an H x W image, as torchvision's get_params. */
export function sampleCropBox(h: number, w: number, rng: Rng, scale: [number, number], ratio: [number, number]): CropBox {
  const area = h * w;
  const logR: [number, number] = [Math.log(ratio[0]), Math.log(ratio[1])];
  for (let attempt = 0; attempt < 10; attempt++) {
    const target = area * rng.uniform(scale[0], scale[1]);
    const aspect = Math.exp(rng.uniform(logR[0], logR[1]));
    const cw = Math.round(Math.sqrt(target * aspect));
    const ch = Math.round(Math.sqrt(target / aspect));
    if (cw > 0 && cw <= w && ch > 0 && ch <= h) {
      const top = rng.int(0, h - ch + 1);
      const left = rng.int(0, w - cw + 1);
      return { top, left, height: ch, width: cw };
    }
  }
  // Fallback: centre crop with the aspect ratio clamped to the allowed range.
  const inRatio = w / h;
  let cw: number, ch: number;
  if (inRatio < ratio[0]) { cw = w; ch = Math.round(w / ratio[0]); }
  else if (inRatio > ratio[1]) { ch = h; cw = Math.round(h * ratio[1]); }
  else { cw = w; ch = h; }
  return { top: Math.floor((h - ch) / 2), left: Math.floor((w - cw) / 2), height: ch, width: cw };
}

/** Crop a random box from each image of `x` ([B, H, W, C] float32) and resize it to `size`. */
export function randomResizedCrop(x: tf.Tensor4D, rng: Rng, opts: RandomResizedCropOptions = {}): tf.Tensor4D {
  checkBatch(x, 'randomResizedCrop');
  const [B, H, W] = x.shape;
  const scale = checkRange('randomResizedCrop.scale', opts.scale ?? RANDOM_RESIZED_CROP_DEFAULTS.scale, 0, 1, true);
  const ratio = checkRange('randomResizedCrop.ratio', opts.ratio ?? RANDOM_RESIZED_CROP_DEFAULTS.ratio, 0, Infinity, true);
  const method = opts.method ?? RANDOM_RESIZED_CROP_DEFAULTS.method;
  if (method !== 'bilinear' && method !== 'nearest') {
    throw new Error(`randomResizedCrop.method: expected one of bilinear|nearest, got ${JSON.stringify(method)}`);
  }
  const size = opts.size ?? [H, W];
  const [oh, ow] = typeof size === 'number' ? [size, size] : size;
  checkInt('randomResizedCrop.size', oh); checkInt('randomResizedCrop.size', ow);
  const boxes = new Float32Array(B * 4);
  const norm = (v: number, n: number) => (n > 1 ? v / (n - 1) : 0);
  for (let b = 0; b < B; b++) {
    const c = sampleCropBox(H, W, rng, scale, ratio);
    boxes.set([norm(c.top, H), norm(c.left, W), norm(c.top + c.height - 1, H), norm(c.left + c.width - 1, W)], 4 * b);
  }
  return tf.tidy(() => {
    const bt = tf.tensor2d(boxes, [B, 4]);
    const idx = tf.tensor1d(Array.from({ length: B }, (_, i) => i), 'int32');
    return tf.image.cropAndResize(x, bt, idx, [oh, ow], method);
  });
}
