import * as tf from '@tensorflow/tfjs';
import { component, inject, TOKENS, z, type Augmenter, type Batch, type Rng, type Sample } from '../../../core/index.js';

export const LensPairOptions = z.strictObject({
  useStoredViews: z.boolean().default(true)
    .describe('use the views stored with the samples (a dataset written by `lensforge simulate` with views >= 2) when present; false: always re-render'),
});
type Options = z.output<typeof LensPairOptions>;

/**
 * The LenSiam lens augmentation (Chang et al. 2023, section 2.2): a positive pair is two images of
 * ONE lens mass model whose source galaxy, lens light, PSF and noise are drawn independently.
 * Simple image transforms (crop, zoom) would change the lens parameters, so the views are
 * re-rendered by the simulator (`simulator.renderView(sample, rng)`, e.g. `lensing/strong-lens`)
 * or taken from the views stored with a dataset on disk.
 *
 * - `view(batch, rng)`: one new rendering of every sample's lens (a random stored view when the
 *   samples come from disk without a scene).
 * - `pair(batch, rng)`, per sample: its stored views 0 and 1 when it has at least two (two distinct
 *   random ones when it has more), otherwise two independent re-renders.
 * Labels travel with the samples for evaluation but are never read here.
 * Output: NHWC float32 tensors shaped like `batch.images`; the caller disposes them.
 */
@component({
  kind: 'augmenter',
  name: 'lensing/lens-pair',
  description: 'LenSiam lens augmentation: two renderings of the same lens with independent source, lens light, PSF and noise',
  options: LensPairOptions,
})
export class LensPairAugmenter implements Augmenter {
  constructor(@inject(TOKENS.Options) private readonly opts: Options) {}

  private storedViews(s: Sample): Float32Array[] | undefined {
    return this.opts.useStoredViews && s.views && s.views.length >= 2 ? s.views : undefined;
  }

  /** A fresh rendering of sample i, or a stored view; throws a clear error when neither is possible. */
  private oneView(batch: Batch, i: number, rng: Rng): Float32Array {
    const s = batch.samples[i];
    const sim = batch.simulator;
    if (s.scene !== undefined && typeof sim.renderView === 'function') return sim.renderView(s, rng);
    const stored = this.storedViews(s);
    if (stored) return stored[rng.int(0, stored.length)];
    const name = sim.constructor?.name ?? 'the simulator';
    if (typeof sim.renderView !== 'function') {
      throw new Error(`augment: lensing/lens-pair cannot make a new view of sample ${i}: ${name} has no renderView and the sample has fewer than 2 stored views; use data: lensing/strong-lens, or a dataset written by \`lensforge simulate\` with simulate.views >= 2`);
    }
    throw new Error(`augment: lensing/lens-pair cannot re-render sample ${i}: it has no scene (samples from disk carry none)${this.opts.useStoredViews ? ' and fewer than 2 stored views' : '; set augment.useStoredViews: true to use its stored views'}`);
  }

  private toTensor(batch: Batch, images: Float32Array[]): tf.Tensor4D {
    const [b, h, w, c] = batch.images.shape;
    const per = h * w * c;
    const buf = new Float32Array(b * per);
    images.forEach((img, i) => {
      if (img.length !== per) throw new Error(`augment: lensing/lens-pair got a view of ${img.length} values for sample ${i}; expected ${per} (${h}x${w}x${c})`);
      buf.set(img, i * per);
    });
    return tf.tensor4d(buf, [b, h, w, c]);
  }

  view(batch: Batch, rng: Rng): tf.Tensor4D {
    return this.toTensor(batch, batch.samples.map((_, i) => this.oneView(batch, i, rng.derive(`view:${i}`))));
  }

  pair(batch: Batch, rng: Rng): [tf.Tensor4D, tf.Tensor4D] {
    const a: Float32Array[] = [], b: Float32Array[] = [];
    batch.samples.forEach((s, i) => {
      const stored = this.storedViews(s);
      if (stored) {
        let j = 0, k = 1;
        if (stored.length > 2) {
          const r = rng.derive(`pick:${i}`);
          j = r.int(0, stored.length);
          k = r.int(0, stored.length - 1);
          if (k >= j) k++;
        }
        a.push(stored[j]);
        b.push(stored[k]);
      } else {
        a.push(this.oneView(batch, i, rng.derive(`a:${i}`)));
        b.push(this.oneView(batch, i, rng.derive(`b:${i}`)));
      }
    });
    return [this.toTensor(batch, a), this.toTensor(batch, b)];
  }
}
