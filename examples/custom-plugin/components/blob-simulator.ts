import { component, inject, Rng, TOKENS, z, type Sample, type Simulator } from 'lensforge';

export const BlobOptions = z.strictObject({
  size: z.number().int().min(8).max(256).default(16).describe('image side in pixels'),
  noise: z.number().min(0).default(0.05).describe('Gaussian noise rms'),
  sigmaRange: z.tuple([z.number().positive(), z.number().positive()]).default([1, 3]).describe('blob width range (pixels)'),
  count: z.number().int().min(1).default(256).describe('number of samples'),
});
type Options = z.output<typeof BlobOptions>;

/**
 * A Gaussian blob at a random position with random width and amplitude plus white noise.
 * Labels: amplitude, x, y (pixels from the centre), sigma.
 */
@component({ kind: 'simulator', name: 'example/blobs', description: 'Gaussian blobs with noise (tutorial plugin)', options: BlobOptions })
export class BlobSimulator implements Simulator {
  readonly imageShape: readonly [number, number, number];
  readonly labelNames = ['amplitude', 'x', 'y', 'sigma'] as const;
  readonly size: number;

  constructor(@inject(TOKENS.Options) private readonly opts: Options, @inject(TOKENS.Rng) private readonly rng: Rng) {
    this.imageShape = [opts.size, opts.size, 1];
    this.size = opts.count;
  }

  sample(index: number, split = 'train'): Sample {
    const r = this.rng.derive(`${split}:${index}`);
    const n = this.opts.size;
    const amplitude = r.uniform(0.5, 1.5);
    const x = r.uniform(-n / 4, n / 4), y = r.uniform(-n / 4, n / 4);
    const sigma = r.uniform(this.opts.sigmaRange[0], this.opts.sigmaRange[1]);
    const image = new Float32Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const dx = j - (n - 1) / 2 - x, dy = i - (n - 1) / 2 - y;
        image[i * n + j] = amplitude * Math.exp(-(dx * dx + dy * dy) / (2 * sigma * sigma)) + r.normal(0, this.opts.noise);
      }
    }
    return { image, labels: { amplitude, x, y, sigma } };
  }
}
