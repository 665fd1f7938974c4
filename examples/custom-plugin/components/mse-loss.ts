import { component, tf, z, type RegressionLoss } from 'lensforge';

/** Mean squared error. */
@component({ kind: 'loss', name: 'example/mse', description: 'mean squared error (tutorial plugin)', options: z.strictObject({}) })
export class MseLoss implements RegressionLoss {
  readonly family = 'regression' as const;
  compute(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Scalar { return tf.losses.meanSquaredError(yTrue, yPred) as tf.Scalar; }
}
