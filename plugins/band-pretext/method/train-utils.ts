/** Small training helpers shared by the phases of `band-pretext/richness`. */
import * as tf from '@tensorflow/tfjs';
import { makeOptimizer, type LegacyOptimizerConfig as OptimizerConfig } from '../../../core/index.js';

/** The trainable tf.Variables of some models. */
export function trainableVariables(...models: tf.LayersModel[]): tf.Variable[] {
  return models.flatMap((m) => m.trainableWeights.map((w) => w.read() as tf.Variable));
}

/** wd/2 * sum of squared multi-dimensional weights (kernels; biases and BN vectors excluded); 0 when wd = 0. */
export function l2Penalty(vars: readonly tf.Variable[], wd: number): tf.Scalar | null {
  if (!(wd > 0)) return null;
  const kernels = vars.filter((v) => v.rank > 1);
  if (kernels.length === 0) return null;
  return tf.mul(wd / 2, tf.addN(kernels.map((v) => tf.sum(tf.square(v))))) as tf.Scalar;
}

/** One optimisation step of `loss` over `vars` (+ the L2 penalty); returns the loss value without the penalty. */
export function optimise(opt: tf.Optimizer, vars: tf.Variable[], wd: number, loss: () => tf.Scalar): number {
  let kept: tf.Tensor | undefined;
  const cost = opt.minimize(() => {
    const l = loss();
    kept = tf.keep(tf.clone(l));
    const pen = l2Penalty(vars, wd);
    return pen ? (tf.add(l, pen) as tf.Scalar) : l;
  }, true, vars) as tf.Scalar | null;
  cost?.dispose();
  const value = kept ? kept.dataSync()[0] : NaN;
  kept?.dispose();
  return value;
}

/** An optimizer from (name, lr, momentum) with tfjs' default Adam betas. */
export function simpleOptimizer(name: 'sgd' | 'adam', lr: number, momentum: number): tf.Optimizer {
  const cfg: OptimizerConfig = { name, lr, momentum, weightDecay: 0, beta1: 0.9, beta2: 0.999, scaleLrByBatch: false };
  return makeOptimizer(cfg, lr);
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
