/** Small training helpers shared by the phases of `band-pretext/richness`. */
import * as tf from '@tensorflow/tfjs';

/** One optimisation step of `loss` over `vars`; returns the loss value (the caller's tensor scope releases the rest). */
export function minimizeLoss(opt: tf.Optimizer, vars: tf.Variable[], loss: () => tf.Scalar): number {
  const cost = opt.minimize(loss, true, vars) as tf.Scalar | null;
  return cost ? cost.dataSync()[0] : NaN;
}

/** Row-wise argmax of [n, k] logits held in a flat array. */
export function argmaxRows(values: ArrayLike<number>, n: number, k: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let j = 1; j < k; j++) if (values[i * k + j] > values[i * k + best]) best = j;
    out.push(best);
  }
  return out;
}
