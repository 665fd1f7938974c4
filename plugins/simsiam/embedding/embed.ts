import * as tf from '@tensorflow/tfjs';
import { stackSamples, type Sample } from '../../../core/index.js';

/** Run `model` in inference mode over samples in batches; returns n x dim features. */
export function embedSamples(model: tf.LayersModel, samples: readonly Sample[], shape: readonly [number, number, number], batch = 64): { features: Float32Array; dim: number } {
  let dim = 0;
  let out = new Float32Array(0);
  for (let i = 0; i < samples.length; i += batch) {
    const x = stackSamples(samples.slice(i, i + batch), shape);
    const y = model.predict(x) as tf.Tensor2D;
    const vals = y.dataSync() as Float32Array;
    if (i === 0) { dim = y.shape[1]; out = new Float32Array(samples.length * dim); }
    out.set(vals, i * dim);
    tf.dispose([x, y]);
  }
  return { features: out, dim };
}

/** Labels of samples as one Float32Array per name. */
export function labelColumns(samples: readonly Sample[], names: readonly string[]): Record<string, Float32Array> {
  return Object.fromEntries(names.map((n) => [n, Float32Array.from(samples, (s) => s.labels[n])]));
}
