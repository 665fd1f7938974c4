import { LensforgeError } from '../../../core/index.js';

/**
 * Training stability as reported by the GAN methods: the (population) variance of the per-step
 * generator losses of the last epochs, `epochs` being a list of per-step loss arrays, oldest
 * first. Only the trailing `window` epochs that share one loss (from `firstEpoch` on) count,
 * so that a loss switch does not mix two loss scales. Returns NaN when no step qualifies.
 */
export function lossVariance(epochs: readonly (readonly number[])[], window: number, firstEpoch = 0): number {
  const start = Math.max(firstEpoch, epochs.length - window, 0);
  const xs = epochs.slice(start).flat();
  if (xs.length === 0) return NaN;
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length;
}

/** Median of a list (NaN when empty). */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const h = Math.floor(s.length / 2);
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}

/**
 * The per-step generator losses of the last `keep` epochs, collected by the training loop's
 * hooks (`afterStep` reads the step's `gLoss`, `afterEpoch` closes the epoch) and saved as a
 * stateful part, so the loss variance of a resumed run is the uninterrupted run's.
 */
export class GeneratorLossWindow {
  private epochs: number[][] = [];
  private current: number[] = [];

  constructor(private readonly keep: number) {}

  afterStep(_info: unknown, losses: Readonly<Record<string, number>>): void { this.current.push(losses.gLoss); }

  afterEpoch(): void {
    this.epochs.push(this.current);
    this.current = [];
    if (this.epochs.length > this.keep) this.epochs.splice(0, this.epochs.length - this.keep);
  }

  save(): number[][] { return this.epochs.map((e) => e.slice()); }

  load(state: unknown): void {
    if (!Array.isArray(state) || !state.every((e) => Array.isArray(e) && e.every((v) => typeof v === 'number'))) {
      throw new LensforgeError(`checkpoint state: the generator-loss window of gan/dcgan: expected a list of per-epoch loss lists, got ${JSON.stringify(state)?.slice(0, 80)}`);
    }
    this.epochs = (state as number[][]).map((e) => e.slice());
    this.current = [];
  }

  /**
   * `lossVariance` over the kept epochs, `completed` epochs having been trained in all and the
   * final loss used from epoch `firstOfFinalLoss` on.
   */
  variance(completed: number, firstOfFinalLoss: number): number {
    return lossVariance(this.epochs, this.keep, firstOfFinalLoss - (completed - this.epochs.length));
  }
}
