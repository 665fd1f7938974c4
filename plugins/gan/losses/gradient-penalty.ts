import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../../core/index.js';

const COMPARISONS = ['Greater', 'GreaterEqual', 'Less', 'LessEqual', 'Equal', 'NotEqual'] as const;

/**
 * tfjs 4.22 registers no gradient for comparison ops, so a second derivative through LeakyReLU
 * (whose gradient is where(x > 0, dy, α·dy)) fails with "gradient function not found for
 * Greater". A comparison is piecewise constant, so its derivative is 0 wherever it exists; this
 * registers that zero gradient for the comparison kernels that lack one (idempotent). Called by
 * {@link gradientPenalty}.
 */
export function registerComparisonGradients(): void {
  for (const kernelName of COMPARISONS) {
    if (tf.getGradient(kernelName)) continue;
    tf.registerGradient({
      kernelName, inputsToSave: ['a', 'b'],
      gradFunc: (_dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => ({ a: () => tf.zerosLike(saved[0]), b: () => tf.zerosLike(saved[1]) }),
    });
  }
}

/** A critic as a function of its image input only; conditional critics close over their condition. */
export type CriticFn = (x: tf.Tensor) => tf.Tensor;

/** Options of {@link gradientPenalty}. */
export interface GradientPenaltyOptions {
  /** λ, the penalty weight. Default 10 (Gulrajani et al. 2017). */
  weight?: number;
  /** Target gradient norm. Default 1 (1-Lipschitz critic). */
  center?: number;
}

/**
 * WGAN-GP gradient penalty (Gulrajani et al. 2017, "Improved Training of Wasserstein GANs",
 * Algorithm 1):  λ · E[(‖∇_x̂ C(x̂)‖₂ − c)²],  x̂ = ε·x_real + (1 − ε)·x_fake,  ε ~ U[0, 1]
 * drawn once per sample from `rng` (so the penalty is reproducible). The gradient is taken with
 * a nested `tf.grad`, so the result is differentiable w.r.t. the critic's weights (double
 * back-propagation); call it inside the critic's `optimizer.minimize` closure.
 * Conditional critics D(x, γ) (e.g. mass mapping) pass `x => D([x, γ])`: only x is interpolated.
 * @param critic maps a batch [B, ...] to critic outputs [B] or [B, 1]
 * @param real real samples [B, ...] (treated as constants)
 * @param fake generated samples, same shape as `real` (treated as constants)
 * @param rng seeded stream for ε (B uniform draws are consumed)
 * @returns a scalar ≥ 0
 */
export function gradientPenalty(critic: CriticFn, real: tf.Tensor, fake: tf.Tensor, rng: Rng, options: GradientPenaltyOptions = {}): tf.Scalar {
  const weight = options.weight ?? 10;
  const center = options.center ?? 1;
  if (!(Number.isFinite(weight) && weight >= 0)) throw new Error(`gradientPenalty.weight: expected a number >= 0, got ${weight}`);
  if (!Number.isFinite(center)) throw new Error(`gradientPenalty.center: expected a finite number, got ${center}`);
  if (real.shape.length < 1 || real.shape.join(',') !== fake.shape.join(',')) {
    throw new Error(`gradientPenalty: expected real and fake of the same shape [B, ...], got [${real.shape}] and [${fake.shape}]`);
  }
  registerComparisonGradients();
  const b = real.shape[0];
  const eps = Float32Array.from({ length: b }, () => rng.random());
  return tf.tidy(() => {
    const e = tf.tensor(eps, [b, ...real.shape.slice(1).map(() => 1)]);
    const xHat = tf.add(tf.mul(e, real), tf.mul(tf.sub(1, e), fake));
    const g = tf.grad((x: tf.Tensor) => tf.sum(critic(x)))(xHat);
    const axes = g.shape.map((_, i) => i).slice(1);
    const norm = tf.sqrt(tf.add(axes.length ? tf.sum(tf.square(g), axes) : tf.square(g), 1e-12));
    return tf.mul(weight, tf.mean(tf.square(tf.sub(norm, center)))) as tf.Scalar;
  });
}
