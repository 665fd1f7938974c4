/**
 * Collapse monitor of SimSiam (Chen & He 2021, Sec. 4.1, Fig. 2 middle): the standard deviation
 * over the batch of the l2-normalised output z, averaged over the dimensions. For z with
 * i.i.d. Gaussian entries it is ~ 1/sqrt(dim); a collapsed (constant) output gives 0.
 * The std is the unbiased one (divisor batch - 1, as `torch.std`), so batch >= 2 is required.
 * Input `[batch, dim]`, output a plain number.
 */
import * as tf from '@tensorflow/tfjs';
import { l2Normalize } from './negative-cosine.js';

/** Mean over dims of the unbiased std over the batch of z / |z|. */
export function collapseStd(z: tf.Tensor2D): number {
  if (z.rank !== 2) throw new Error(`collapseStd.z: expected a [batch, dim] tensor, got shape [${z.shape}]`);
  const n = z.shape[0];
  if (n < 2) throw new Error(`collapseStd.z: expected a batch of at least 2 rows, got ${n}`);
  return tf.tidy(() => {
    const zn = l2Normalize(z);
    const dev = tf.sub(zn, tf.mean(zn, 0, true));
    const std = tf.sqrt(tf.div(tf.sum(tf.square(dev), 0), n - 1));
    return tf.mean(std).dataSync()[0];
  });
}
