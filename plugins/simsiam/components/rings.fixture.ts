/**
 * Test fixtures of the SimSiam tests: a tiny ring simulator (the label `radius` stands in for a
 * lens's Einstein radius) and a LenSiam-style pair augmenter that renders two views of the same
 * ring (same radius) with independent nuisances, as `lensing/lens-pair` renders two views of one
 * lens with independent sources, PSFs and noise.
 */
import * as tf from '@tensorflow/tfjs';
import { component, definePlugin, inject, TOKENS, z, type Augmenter, type Batch, type Rng, type Sample, type Simulator } from '../../../core/index.js';

/** A ring of `radius` pixels and brightness `amplitude` centred at (centre + dx, centre + dy), plus Gaussian noise. */
export function renderRing(n: number, p: { radius: number; amplitude: number; dx: number; dy: number; noise: number }, rng: Rng): Float32Array {
  const img = new Float32Array(n * n);
  for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) {
    const d = Math.hypot(x - (n - 1) / 2 - p.dx, y - (n - 1) / 2 - p.dy) - p.radius;
    img[y * n + x] = p.amplitude * Math.exp(-d * d) + rng.normal(0, p.noise);
  }
  return img;
}

/** Nuisances of one image: brightness x0.5..2 and a shift of up to 2 pixels when `jitter`, else none; noise sigma 0.01..0.2. */
function nuisances(r: Rng, jitter: boolean): { amplitude: number; dx: number; dy: number; noise: number } {
  const noise = r.uniform(0.01, 0.2);
  return jitter ? { noise, amplitude: r.uniform(0.5, 2), dx: r.uniform(-2, 2), dy: r.uniform(-2, 2) } : { noise, amplitude: 1, dx: 0, dy: 0 };
}

export const RingOptions = z.strictObject({
  size: z.number().int().min(8).default(16),
  jitter: z.boolean().default(false).describe('random brightness and position (nuisances the label does not depend on)'),
});

/** Rings of random radius (2..6 pixels, the label) as a pure function of the seed, split and index. */
@component({ kind: 'simulator', name: 'test/rings', description: 'rings of random radius (test fixture)', options: RingOptions })
export class RingSimulator implements Simulator {
  readonly imageShape: readonly [number, number, number];
  readonly labelNames = ['radius', 'noise'];
  readonly size = 10000;
  constructor(@inject(TOKENS.Options) private readonly o: z.output<typeof RingOptions>, @inject(TOKENS.Rng) private readonly rng: Rng) {
    this.imageShape = [o.size, o.size, 1];
  }

  sample(i: number, split = 'train'): Sample {
    const r = this.rng.derive(`${split}:${i}`);
    const radius = r.uniform(2, 6);
    const nu = nuisances(r, this.o.jitter);
    return { image: renderRing(this.o.size, { radius, ...nu }, r), labels: { radius, noise: nu.noise } };
  }
}

/** Two views of each ring: its radius, new brightness, position and noise for each view. */
@component({ kind: 'augmenter', name: 'test/ring-pair', description: 'two renderings of the same ring (test fixture)', options: z.strictObject({}) })
export class RingPairAugmenter implements Augmenter {
  view(batch: Batch, rng: Rng): tf.Tensor4D {
    const [, h, w, c] = batch.images.shape;
    const data = new Float32Array(batch.samples.length * h * w * c);
    batch.samples.forEach((s, k) => data.set(renderRing(h, { radius: s.labels.radius, ...nuisances(rng, true) }, rng), k * h * w));
    return tf.tensor4d(data, [batch.samples.length, h, w, c]);
  }
}

export const ringsPlugin = definePlugin({ name: 'test', components: [RingSimulator, RingPairAugmenter] });

/** The manifest as a plugin file exports it, for configs run by the real CLI (`plugins: [<this file>]`). */
export default ringsPlugin;
