/**
 * The rcGAN regulariser (Bendel, Ahmad & Schniter 2023, "A regularized conditional GAN for
 * posterior sampling in image recovery problems", NeurIPS; used for mass mapping by Whitney et
 * al. 2024, backup slide "Regulariser"):
 *
 *   L_{1,SD,P}(θ, β_SD) = L_{1,P}(θ) − β_SD · L_{SD,P}(θ),
 *   L_{1,P}  = E ‖x − x̂_(P)‖₁,            x̂_(P) = (1/P) Σ_i x̂_i  (mean of P samples),
 *   L_{SD,P} = sqrt(π / (2 P (P − 1))) · Σ_{i=1..P} E ‖x̂_i − x̂_(P)‖₁.
 *
 * ‖·‖₁ is taken as the MEAN absolute value over pixels and batch (as torch's F.l1_loss in the
 * reference code); this rescales both terms by the same constant and leaves the minimiser as is.
 * For P i.i.d. Gaussian samples of std σ per pixel, E|x̂_i − x̂_(P)| = σ sqrt(2(P−1)/(πP)), so
 * L_{SD,P} is an unbiased estimate of σ: the second term rewards spread, the first accuracy of
 * the P-sample mean.
 */
import * as tf from '@tensorflow/tfjs';

/** The three numbers of the regulariser (scalars; the caller disposes them). */
export interface RcganRegulariserTerms {
  /** L_{1,P} − β_SD · L_{SD,P}: the quantity to minimise. */
  loss: tf.Scalar;
  /** L_{1,P}: mean |x − x̂_(P)|. */
  l1: tf.Scalar;
  /** L_{SD,P}: the standard-deviation reward (an estimate of the per-pixel posterior std). */
  sd: tf.Scalar;
}

/** sqrt(π / (2 P (P − 1))), the normalisation of L_{SD,P}; P >= 2. */
export function sdNormalisation(p: number): number {
  if (!Number.isInteger(p) || p < 2) throw new Error(`P: expected an integer >= 2 (samples per conditioning input), got ${p}`);
  return Math.sqrt(Math.PI / (2 * p * (p - 1)));
}

/**
 * Evaluate the rcGAN regulariser (differentiable; call inside an optimizer's closure).
 * @param x true images [B, ...]
 * @param samples P generated samples per conditioning input, [P, B, ...] (sample-major)
 * @param betaSD weight β_SD of the spread reward (>= 0; rcGAN starts at 1 and tunes it)
 */
export function rcganRegulariser(x: tf.Tensor, samples: tf.Tensor, betaSD: number): RcganRegulariserTerms {
  if (!(Number.isFinite(betaSD) && betaSD >= 0)) throw new Error(`betaSD: expected a number >= 0, got ${betaSD}`);
  if (samples.rank !== x.rank + 1 || samples.shape.slice(1).join(',') !== x.shape.join(',')) {
    throw new Error(`samples: expected shape [P, ${x.shape.join(', ')}] (P samples of x's shape), got [${samples.shape.join(', ')}]`);
  }
  const p = samples.shape[0];
  const c = sdNormalisation(p);
  return tf.tidy(() => {
    const mean = tf.mean(samples, 0);
    const l1 = tf.mean(tf.abs(tf.sub(x, mean))) as tf.Scalar;
    // Σ_i mean|x̂_i − x̂_(P)| = P · mean over (i, pixels)
    const sd = tf.mul(c * p, tf.mean(tf.abs(tf.sub(samples, tf.expandDims(mean, 0))))) as tf.Scalar;
    const loss = tf.sub(l1, tf.mul(betaSD, sd)) as tf.Scalar;
    return { loss, l1, sd };
  });
}
