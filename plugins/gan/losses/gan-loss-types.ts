import type * as tf from '@tensorflow/tfjs';
import type { GanLoss, Rng } from '../../../core/index.js';
import type { CriticFn } from './gradient-penalty.js';

/**
 * A GAN loss with the optional hooks the GAN methods of lensforge understand (a superset of the
 * core `GanLoss` contract, so any GAN method can use it):
 * - `gradientPenalty(critic, real, fake, rng)`: a regulariser added to the critic loss (WGAN-GP).
 *   The critic is a function of the image only, so conditional critics D(x, γ) pass a closure.
 * - `generatorUsesReal`: whether `generator(real, fake)` reads the real logits (relativistic
 *   losses); when false a method may skip the extra critic pass on real data for the G step.
 */
export interface PenalizedGanLoss extends GanLoss {
  readonly generatorUsesReal?: boolean;
  gradientPenalty?(critic: CriticFn, real: tf.Tensor, fake: tf.Tensor, rng: Rng): tf.Scalar;
}

/** True when the loss adds a gradient penalty to the critic objective. */
export function hasGradientPenalty(loss: GanLoss): loss is PenalizedGanLoss & Required<Pick<PenalizedGanLoss, 'gradientPenalty'>> {
  return typeof (loss as PenalizedGanLoss).gradientPenalty === 'function';
}

/** Whether the generator loss needs fresh critic outputs on real data (true unless the loss says otherwise). */
export function generatorUsesReal(loss: GanLoss): boolean {
  return (loss as PenalizedGanLoss).generatorUsesReal !== false;
}
