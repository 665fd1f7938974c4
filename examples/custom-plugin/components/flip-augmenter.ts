import { component, tf, inject, TOKENS, z, type Augmenter, type Batch, type Rng } from 'lensforge';

export const FlipOptions = z.strictObject({ p: z.number().min(0).max(1).default(0.5).describe('flip probability per image') });

/** Mirror each image left-right with probability p. */
@component({ kind: 'augmenter', name: 'example/flip', description: 'random left-right flip (tutorial plugin)', options: FlipOptions })
export class FlipAugmenter implements Augmenter {
  constructor(@inject(TOKENS.Options) private readonly opts: z.output<typeof FlipOptions>) {}

  view(batch: Batch, rng: Rng): tf.Tensor4D {
    return tf.tidy(() => {
      const flipped = tf.reverse(batch.images, 2);
      const mask = tf.tensor(batch.samples.map(() => (rng.bernoulli(this.opts.p) ? 1 : 0)), [batch.samples.length, 1, 1, 1]);
      return tf.add(tf.mul(mask, flipped), tf.mul(tf.sub(1, mask), batch.images)) as tf.Tensor4D;
    });
  }
}
