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
