/**
 * The GAN losses as registered components (family 'gan'), usable by any GAN method. Each is a
 * thin wrapper around the pure functions of ./gan-loss-functions.ts; inputs are critic outputs
 * (logits) of real and generated batches, outputs are scalars to minimise.
 */
import type * as tf from '@tensorflow/tfjs';
import { component, inject, TOKENS, z, type Rng } from '../../../core/index.js';
import type { PenalizedGanLoss } from '../losses/gan-loss-types.js';
import {
  hingeD, hingeG, nonSaturatingD, nonSaturatingG, relativisticAverageD, relativisticAverageG,
  relativisticD, relativisticG, wassersteinD, wassersteinG,
} from '../losses/gan-loss-functions.js';
import { gradientPenalty, type CriticFn } from '../losses/gradient-penalty.js';

const NoOptions = z.strictObject({});

/** Standard GAN loss with the non-saturating generator objective (Goodfellow et al. 2014). No options. */
@component({ kind: 'loss', name: 'gan/non-saturating', description: 'standard GAN loss, non-saturating generator (Goodfellow et al. 2014)', options: NoOptions })
export class NonSaturatingLoss implements PenalizedGanLoss {
  readonly family = 'gan' as const;
  readonly generatorUsesReal = false;
  discriminator(real: tf.Tensor, fake: tf.Tensor): tf.Scalar { return nonSaturatingD(real, fake); }
  generator(real: tf.Tensor, fake: tf.Tensor): tf.Scalar { return nonSaturatingG(real, fake); }
}

/** Geometric-GAN hinge loss (Lim & Ye 2017; the paper's §5.1.1). No options. */
@component({ kind: 'loss', name: 'gan/hinge', description: 'geometric GAN hinge loss (Lim & Ye 2017)', options: NoOptions })
export class HingeLoss implements PenalizedGanLoss {
  readonly family = 'gan' as const;
  readonly generatorUsesReal = false;
  discriminator(real: tf.Tensor, fake: tf.Tensor): tf.Scalar { return hingeD(real, fake); }
  generator(real: tf.Tensor, fake: tf.Tensor): tf.Scalar { return hingeG(real, fake); }
}

/** Relativistic standard GAN, RSGAN (Jolicoeur-Martineau 2018). No options. */
@component({ kind: 'loss', name: 'gan/relativistic', description: 'relativistic standard GAN, RSGAN (Jolicoeur-Martineau 2018)', options: NoOptions })
export class RelativisticLoss implements PenalizedGanLoss {
  readonly family = 'gan' as const;
  readonly generatorUsesReal = true;
  discriminator(real: tf.Tensor, fake: tf.Tensor): tf.Scalar { return relativisticD(real, fake); }
  generator(real: tf.Tensor, fake: tf.Tensor): tf.Scalar { return relativisticG(real, fake); }
}

/** Relativistic average standard GAN, RaSGAN (Jolicoeur-Martineau 2018). No options. */
@component({ kind: 'loss', name: 'gan/relativistic-average', description: 'relativistic average GAN, RaSGAN (Jolicoeur-Martineau 2018)', options: NoOptions })
export class RelativisticAverageLoss implements PenalizedGanLoss {
  readonly family = 'gan' as const;
  readonly generatorUsesReal = true;
  discriminator(real: tf.Tensor, fake: tf.Tensor): tf.Scalar { return relativisticAverageD(real, fake); }
  generator(real: tf.Tensor, fake: tf.Tensor): tf.Scalar { return relativisticAverageG(real, fake); }
}

export const WganGpOptions = z.strictObject({
  weight: z.number().min(0).default(10).describe('λ, weight of the gradient penalty'),
  center: z.number().default(1).describe('target norm of the critic gradient'),
});

/**
 * Wasserstein loss with gradient penalty, WGAN-GP (Gulrajani et al. 2017):
 * L_D = E[C(G(z))] − E[C(x)] + λ E[(‖∇C(x̂)‖ − 1)²], L_G = −E[C(G(z))]. `discriminator` returns
 * the Wasserstein part; methods add `gradientPenalty(critic, real, fake, rng)`.
 * Options: weight λ (default 10), center (default 1).
 */
@component({ kind: 'loss', name: 'gan/wgan-gp', description: 'Wasserstein loss with gradient penalty (Gulrajani et al. 2017)', options: WganGpOptions })
export class WganGpLoss implements PenalizedGanLoss {
  readonly family = 'gan' as const;
  readonly generatorUsesReal = false;
  constructor(@inject(TOKENS.Options) private readonly opts: z.output<typeof WganGpOptions>) {}
  discriminator(real: tf.Tensor, fake: tf.Tensor): tf.Scalar { return wassersteinD(real, fake); }
  generator(real: tf.Tensor, fake: tf.Tensor): tf.Scalar { return wassersteinG(real, fake); }
  gradientPenalty(critic: CriticFn, real: tf.Tensor, fake: tf.Tensor, rng: Rng): tf.Scalar {
    return gradientPenalty(critic, real, fake, rng, { weight: this.opts.weight, center: this.opts.center });
  }
}
