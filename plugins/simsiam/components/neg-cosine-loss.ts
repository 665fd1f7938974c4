import type * as tf from '@tensorflow/tfjs';
import { component, z, type SiameseLoss } from '../../../core/index.js';
import { symmetricNegCosine } from '../losses/index.js';

/**
 * SimSiam's symmetric negative-cosine loss (Chen & He 2021, Eq. 2-4):
 * L = ½ D(p1, sg(z2)) + ½ D(p2, sg(z1)), D(p, z) = −mean cos(p, z); in [−1, 1].
 */
@component({ kind: 'loss', name: 'simsiam/neg-cosine', description: 'symmetric negative cosine with stop-gradient on z', options: z.strictObject({}) })
export class NegCosineLoss implements SiameseLoss {
  readonly family = 'siamese' as const;
  compute(p1: tf.Tensor2D, p2: tf.Tensor2D, z1: tf.Tensor2D, z2: tf.Tensor2D): tf.Scalar { return symmetricNegCosine(p1, p2, z1, z2); }
}
