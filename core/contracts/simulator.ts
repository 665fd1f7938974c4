import type { Rng } from '../tensor/rng.js';
import type { Sample } from './sample.js';

/**
 * Produces labelled images. `sample(i)` is a pure function of the component's seed and `i`, so
 * datasets are identical whatever the number of workers or the order of generation.
 */
export interface Simulator {
  /** [height, width, channels]. */
  readonly imageShape: readonly [number, number, number];
  /** Names of the labels every sample carries. */
  readonly labelNames: readonly string[];
  /** Number of samples available (Infinity for an unbounded generator). */
  readonly size: number;
  /** The `index`-th sample of the named `split` stream ('train' by default). */
  sample(index: number, split?: string): Sample;
  /** Render the same scene again with fresh nuisances (source, light, PSF, noise...). */
  renderView?(sample: Sample, rng: Rng): Float32Array;
}

export function isSimulator(x: unknown): x is Simulator {
  return !!x && typeof (x as Simulator).sample === 'function' && Array.isArray((x as Simulator).imageShape);
}
