import * as tf from '@tensorflow/tfjs';
import { component, inject, TOKENS, z, type RegressionLoss } from '../../../core/index.js';

export const MseStdLossOptions = z.strictObject({
  alpha: z.number().min(0).default(1).describe('weight of the scatter term (the paper does not state its value)'),
  ddof: z.union([z.literal(0), z.literal(1)]).default(1).describe('1: sample std (torch.std default); 0: population std'),
});

/**
 * Eq. 1 of Liang et al. 2021: loss = mean((y - ŷ)^2) + alpha * std(|Y - Ŷ|) over a batch.
 * `yTrue`, `yPred`: [B] or [B, 1] tensors of the same size. The std uses `ddof` (default 1,
 * PyTorch's default); with B <= ddof the scatter term is 0. A 1e-12 floor inside the square
 * root keeps the gradient finite when all absolute errors are equal. Returns a scalar.
 */
export function mseStdLoss(yTrue: tf.Tensor, yPred: tf.Tensor, alpha = 1, ddof: 0 | 1 = 1): tf.Scalar {
  if (yTrue.size !== yPred.size) throw new Error(`band-pretext/mse-std: yPred: expected ${yTrue.size} values (as yTrue), got ${yPred.size}`);
  return tf.tidy(() => {
    const diff = tf.sub(tf.reshape(yPred, [-1]), tf.reshape(yTrue, [-1]));
    const mse = tf.mean(tf.square(diff));
    const n = yTrue.size;
    if (alpha === 0 || n - ddof <= 0) return mse as tf.Scalar;
    const a = tf.abs(diff);
    const dev = tf.sub(a, tf.mean(a));
    const std = tf.sqrt(tf.add(tf.div(tf.sum(tf.square(dev)), n - ddof), 1e-12));
    return tf.add(mse, tf.mul(alpha, std)) as tf.Scalar;
  });
}

/** Registered form of {@link mseStdLoss} (regression family). */
@component({ kind: 'loss', name: 'band-pretext/mse-std', description: 'MSE + alpha * std(|y - ŷ|) (Liang et al. 2021 Eq. 1)', options: MseStdLossOptions })
export class MseStdLoss implements RegressionLoss {
  readonly family = 'regression' as const;
  constructor(@inject(TOKENS.Options) readonly opts: z.output<typeof MseStdLossOptions>) {}

  compute(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Scalar {
    return mseStdLoss(yTrue, yPred, this.opts.alpha, this.opts.ddof);
  }
}
