import * as tf from '@tensorflow/tfjs';
import type { Sample } from '../contracts/sample.js';

/** Stack sample images (or view `view` of each) into an NHWC float32 tensor. */
export function stackSamples(samples: readonly Sample[], shape: readonly [number, number, number], view = 0): tf.Tensor4D {
  const [h, w, c] = shape;
  const per = h * w * c;
  const buf = new Float32Array(samples.length * per);
  samples.forEach((s, i) => {
    const img = view === 0 ? s.image : s.views?.[view];
    if (!img) throw new Error(`sample ${i} has no view ${view}`);
    if (img.length !== per) throw new Error(`sample ${i}: image has ${img.length} values, expected ${per} (${h}x${w}x${c})`);
    buf.set(img, i * per);
  });
  return tf.tensor4d(buf, [samples.length, h, w, c]);
}

/** Labels of `names` as a [B, k] float32 tensor. */
export function stackLabels(samples: readonly Sample[], names: readonly string[]): tf.Tensor2D {
  const buf = new Float32Array(samples.length * names.length);
  samples.forEach((s, i) => names.forEach((n, j) => {
    const v = s.labels[n];
    if (v === undefined) throw new Error(`sample ${i} has no label "${n}" (labels: ${Object.keys(s.labels).join(', ')})`);
    buf[i * names.length + j] = v;
  }));
  return tf.tensor2d(buf, [samples.length, names.length]);
}
