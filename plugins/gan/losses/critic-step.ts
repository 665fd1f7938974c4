import * as tf from '@tensorflow/tfjs';
import type { GanLoss, Rng } from '../../../core/index.js';
import { hasGradientPenalty } from './gan-loss-types.js';

/** Numbers of one critic update: the optimised cost, mean critic outputs, and the gradient penalty when the loss has one. */
export interface CriticStepResult { loss: number; real: number; fake: number; gp?: number }

/**
 * One discriminator/critic update shared by GAN methods: `loss.discriminator(D(real), D(fake))`,
 * plus the loss's gradient penalty when it has one, plus an optional `extra(D(real))` term
 * (e.g. a WGAN drift penalty), minimised over `vars`.
 */
export function criticStep(
  opt: tf.Optimizer, vars: tf.Variable[], critic: (x: tf.Tensor) => tf.Tensor, loss: GanLoss,
  real: tf.Tensor, fake: tf.Tensor, gpRng: Rng, extra?: (realOut: tf.Tensor) => tf.Scalar,
): CriticStepResult {
  let kept: tf.Scalar[] = [];
  const cost = opt.minimize(() => {
    const dr = critic(real), df = critic(fake);
    let l = loss.discriminator(dr, df);
    kept = [tf.keep(tf.mean(dr) as tf.Scalar), tf.keep(tf.mean(df) as tf.Scalar)];
    if (hasGradientPenalty(loss)) {
      const pen = loss.gradientPenalty(critic, real, fake, gpRng);
      kept.push(tf.keep(tf.clone(pen)));
      l = tf.add(l, pen) as tf.Scalar;
    }
    if (extra) l = tf.add(l, extra(dr)) as tf.Scalar;
    return l;
  }, true, vars) as tf.Scalar;
  const out: CriticStepResult = { loss: cost.dataSync()[0], real: kept[0].dataSync()[0], fake: kept[1].dataSync()[0] };
  if (kept[2]) out.gp = kept[2].dataSync()[0];
  tf.dispose([cost, ...kept]);
  return out;
}
