import { component, inject, TOKENS, z, type Rng, type Sample, type Simulator } from '../../../core/index.js';
import { DEFAULT_CONVERGENCE_MAP, simulateConvergenceMap, type ConvergenceMapParams } from '../numerics/index.js';

const D = DEFAULT_CONVERGENCE_MAP;

export const ConvergenceMapOptions = z.strictObject({
  size: z.union([z.literal(64), z.literal(128), z.literal(256)]).default(64).describe('map side in pixels: 64, 128 or 256'),
  count: z.number().int().min(1).default(16000).describe('number of maps per split (paper: 16,000)'),
  amplitude: z.number().positive().default(D.amplitude).describe('A of P(k) = A k^ns exp(-(k/k_c)^2), k in cycles/pixel'),
  spectralIndex: z.number().default(D.spectralIndex).describe('ns, the power-law index'),
  cutoff: z.number().positive().default(D.cutoff).describe('k_c, Gaussian cut-off in cycles/pixel'),
  shift: z.number().positive().default(D.shift).describe('λ of the lognormal transform (minimum convergence is -λ)'),
  field: z.enum(['lognormal', 'gaussian']).default(D.field).describe("'lognormal' (skewed, like N-body maps) or 'gaussian'"),
});
type Options = z.output<typeof ConvergenceMapOptions>;

/** Pixel standard deviation and skewness (population moments) of a map. */
export function mapMoments(map: ArrayLike<number>): { sigma: number; skewness: number } {
  const n = map.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += map[i];
  mean /= n;
  let m2 = 0, m3 = 0;
  for (let i = 0; i < n; i++) { const d = map[i] - mean; m2 += d * d; m3 += d * d * d; }
  m2 /= n; m3 /= n;
  return { sigma: Math.sqrt(m2), skewness: m2 > 0 ? m3 / m2 ** 1.5 : 0 };
}

/**
 * Simulated weak-lensing convergence maps (stand-in for the paper's N-body maps, which are not
 * available offline): a Gaussian random field with P(k) = A k^ns exp(−(k/k_c)²), made skewed by
 * the shifted lognormal transform κ = λ(exp(g − σ²/2) − 1) (plugins/cosmology/numerics,
 * `simulateConvergenceMap`). Defaults: A = 0.3, ns = −1, k_c = 0.15 cycles/pixel, λ = 0.05
 * (pixel std ≈ 0.027, skewness ≈ 1.7). Images: size × size × 1, float32, row-major (row = y).
 * Labels: sigma (pixel std of the map) and skewness (of its pixels). sample(i, split) is a pure
 * function of the component's seed, the split and i (`rng.derive(`${split}:${i}`)`).
 */
@component({ kind: 'simulator', name: 'cosmology/convergence-maps', description: 'lognormal Gaussian-random-field convergence maps (64/128/256 px)', options: ConvergenceMapOptions })
export class ConvergenceMapSimulator implements Simulator {
  readonly imageShape: readonly [number, number, number];
  readonly labelNames = ['sigma', 'skewness'] as const;
  readonly size: number;
  private readonly params: ConvergenceMapParams;

  constructor(@inject(TOKENS.Options) private readonly opts: Options, @inject(TOKENS.Rng) private readonly rng: Rng) {
    this.imageShape = [opts.size, opts.size, 1];
    this.size = opts.count;
    this.params = { amplitude: opts.amplitude, spectralIndex: opts.spectralIndex, cutoff: opts.cutoff, shift: opts.shift, field: opts.field };
  }

  sample(index: number, split = 'train'): Sample {
    if (!(Number.isInteger(index) && index >= 0 && index < this.size)) {
      throw new Error(`cosmology/convergence-maps: index: expected an integer in [0, ${this.size}), got ${index}`);
    }
    const image = simulateConvergenceMap(this.opts.size, this.params, this.rng.derive(`${split}:${index}`));
    return { image, labels: mapMoments(image) };
  }
}
