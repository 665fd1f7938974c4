import * as tf from '@tensorflow/tfjs';
import type { StepInfo, TrainingHooks } from '../../../core/index.js';

/**
 * Returns `update(t)`, which moves every weight of `avg` towards the same-named-position weight
 * of `src`: avg ← β_t·avg + (1 − β_t)·src with β_t = min(β, (1 + t)/(10 + t)). Non-trainable
 * weights (batch-norm moving statistics) are averaged too. The two models must have the same
 * architecture.
 */
export function makeEmaUpdate(src: tf.LayersModel, avg: tf.LayersModel, beta: number, path = 'ema.decay'): (t: number) => void {
  if (!(beta >= 0 && beta < 1)) throw new Error(`${path}: expected a number in [0, 1), got ${beta}`);
  const a = avg.weights.map((w) => w.read() as tf.Variable);
  const s = src.weights.map((w) => w.read() as tf.Variable);
  if (a.length !== s.length || a.some((v, i) => v.shape.join() !== s[i].shape.join())) {
    throw new Error('ema: the averaged model does not have the architecture of the trained one');
  }
  return (t: number) => {
    const b = Math.min(beta, (1 + t) / (10 + t));
    tf.tidy(() => a.forEach((v, i) => v.assign(tf.add(tf.mul(v, b), tf.mul(s[i], 1 - b)))));
  };
}

/**
 * Weight averaging as a training hook: after every step (t = the step's global index) the
 * averaged model `avg` moves towards `src` (`makeEmaUpdate`); `avg` starts as a copy of `src`.
 * Its weights are state: the loop checkpoints `avg` as one of its models.
 */
export function emaHook(src: tf.LayersModel, avg: tf.LayersModel, beta: number, path = 'ema.decay'): TrainingHooks {
  avg.setWeights(src.getWeights());
  const update = makeEmaUpdate(src, avg, beta, path);
  return { afterStep: (info: StepInfo) => update(info.globalStep) };
}
