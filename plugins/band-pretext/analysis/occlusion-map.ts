/**
 * Occlusion sensitivity (Zeiler & Fergus 2014), as used by Liang et al. 2021 (§3.4, Fig. 2):
 * slide a square patch over the image and record the classifier's probability of the correct
 * class with that part hidden; dark = the occluded part mattered.
 */
import * as tf from '@tensorflow/tfjs';

/** How to occlude. */
export interface OcclusionSettings {
  /** Patch side in pixels (>= 1, at most the image side). */
  patch: number;
  /** Step between patch positions in pixels (>= 1); the last position always touches the far edge. */
  stride: number;
  /** Value written into the patch, or 'mean' for the image's mean. */
  fill: number | 'mean';
  /** Occluded images per forward pass. */
  batchSize: number;
  /** Apply a softmax to the model's outputs (true when it outputs logits). */
  softmax: boolean;
}

/** A classifier: a tfjs model or a function from [B, H, W, C] images to [B, K] outputs. */
export type Classifier = tf.LayersModel | ((x: tf.Tensor4D) => tf.Tensor);

export interface OcclusionResult {
  height: number;
  width: number;
  /** Patch positions (top-left corners) along y and x. */
  ys: number[];
  xs: number[];
  /** P(target) with the patch at (ys[r], xs[c]): row-major, ys.length x xs.length. */
  map: Float32Array;
  /** Per pixel: mean P(target) over the patches covering it (height x width). */
  pixelMap: Float32Array;
  /** P(target) of the unoccluded image. */
  baseline: number;
}

function positions(n: number, patch: number, stride: number): number[] {
  const out: number[] = [];
  for (let p = 0; p <= n - patch; p += stride) out.push(p);
  if (out[out.length - 1] !== n - patch) out.push(n - patch);
  return out;
}

function probabilities(model: Classifier, x: tf.Tensor4D, softmax: boolean): Float32Array {
  return tf.tidy(() => {
    const out = typeof model === 'function' ? model(x) : (model.predict(x) as tf.Tensor);
    return (softmax ? tf.softmax(out) : out).dataSync() as Float32Array;
  });
}

/**
 * Occlusion map of `image` (H x W x C values, channels last) for class `target` of `model`.
 * Throws on a bad patch, stride, image size or target, naming the field.
 */
export function occlusionMap(model: Classifier, image: Float32Array, shape: readonly [number, number, number], target: number, s: OcclusionSettings): OcclusionResult {
  const [h, w, c] = shape;
  if (image.length !== h * w * c) throw new Error(`image: expected ${h * w * c} values (${h}x${w}x${c}), got ${image.length}`);
  if (!Number.isInteger(s.patch) || s.patch < 1 || s.patch > Math.min(h, w)) throw new Error(`patch: expected an integer in [1, ${Math.min(h, w)}], got ${s.patch}`);
  if (!Number.isInteger(s.stride) || s.stride < 1) throw new Error(`stride: expected an integer >= 1, got ${s.stride}`);
  if (!Number.isInteger(target) || target < 0) throw new Error(`target: expected a class index >= 0, got ${target}`);
  let fill = 0;
  if (s.fill === 'mean') { for (let i = 0; i < image.length; i++) fill += image[i]; fill /= image.length; } else fill = s.fill;
  const ys = positions(h, s.patch, s.stride), xs = positions(w, s.patch, s.stride);
  const per = h * w * c;
  const base = tf.tensor4d(image, [1, h, w, c]);
  const p0 = probabilities(model, base, s.softmax);
  base.dispose();
  const k = p0.length;
  if (target >= k) throw new Error(`target: expected a class index in [0, ${k - 1}], got ${target}`);
  const baseline = p0[target];
  const jobs: Array<[number, number]> = [];
  for (const y of ys) for (const x of xs) jobs.push([y, x]);
  const map = new Float32Array(jobs.length);
  const bs = Math.max(1, s.batchSize);
  for (let start = 0; start < jobs.length; start += bs) {
    const chunk = jobs.slice(start, start + bs);
    const buf = new Float32Array(chunk.length * per);
    chunk.forEach(([y0, x0], b) => {
      const off = b * per;
      buf.set(image, off);
      for (let y = y0; y < y0 + s.patch; y++) buf.fill(fill, off + (y * w + x0) * c, off + (y * w + x0 + s.patch) * c);
    });
    const t = tf.tensor4d(buf, [chunk.length, h, w, c]);
    const p = probabilities(model, t, s.softmax);
    t.dispose();
    for (let b = 0; b < chunk.length; b++) map[start + b] = p[b * k + target];
  }
  const sum = new Float64Array(h * w), cnt = new Uint32Array(h * w);
  jobs.forEach(([y0, x0], j) => {
    for (let y = y0; y < y0 + s.patch; y++) for (let x = x0; x < x0 + s.patch; x++) { sum[y * w + x] += map[j]; cnt[y * w + x]++; }
  });
  const pixelMap = new Float32Array(h * w);
  for (let i = 0; i < h * w; i++) pixelMap[i] = cnt[i] ? sum[i] / cnt[i] : baseline;
  return { height: h, width: w, ys, xs, map, pixelMap, baseline };
}
