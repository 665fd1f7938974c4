import type * as tf from '@tensorflow/tfjs';

/** Losses come in families; a method states which family it needs and checks it. */
export type LossFamily = 'siamese' | 'gan' | 'regression' | 'classification' | 'regulariser';

export interface LossBase { readonly family: LossFamily }

/** Siamese (SimSiam-style) loss on predictions p and targets z of two views. */
export interface SiameseLoss extends LossBase {
  readonly family: 'siamese';
  compute(p1: tf.Tensor2D, p2: tf.Tensor2D, z1: tf.Tensor2D, z2: tf.Tensor2D): tf.Scalar;
}

/** GAN loss on critic outputs for real and generated data. */
export interface GanLoss extends LossBase {
  readonly family: 'gan';
  discriminator(realLogits: tf.Tensor, fakeLogits: tf.Tensor): tf.Scalar;
  generator(realLogits: tf.Tensor, fakeLogits: tf.Tensor): tf.Scalar;
}

/** Regression loss on targets and predictions ([B] or [B, k]). */
export interface RegressionLoss extends LossBase {
  readonly family: 'regression';
  compute(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Scalar;
}

export type Loss = SiameseLoss | GanLoss | RegressionLoss | (LossBase & Record<string, unknown>);

export function expectLossFamily<F extends LossFamily>(loss: LossBase | undefined, family: F, path = 'loss'): asserts loss is Extract<Loss, { family: F }> {
  if (!loss) throw new Error(`${path}: this method needs a ${family} loss; add \`${path}: { use: ... }\` to the config`);
  if (loss.family !== family) throw new Error(`${path}: expected a ${family} loss, got a ${loss.family} loss`);
}
