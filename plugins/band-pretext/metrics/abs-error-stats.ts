/**
 * The richness metrics of Liang et al. 2021 (§3.2): the mean absolute error (MAE) and the
 * intrinsic scatter "Sigma" = std(|Y - Ŷ|), the standard deviation of the absolute errors.
 * `ddof` = 1 (default) is the unbiased sample std, PyTorch's `torch.std` default (the paper's
 * code base); ddof = 0 is the population std.
 */

/** MAE and Sigma of predictions `yPred` against targets `yTrue` (same length >= 1). */
export function absErrorStats(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, ddof = 1): { mae: number; sigma: number } {
  const n = yTrue.length;
  if (n === 0) throw new Error('predictions.yTrue: expected at least 1 value, got 0');
  if (yPred.length !== n) throw new Error(`predictions.yPred: expected ${n} values (as yTrue), got ${yPred.length}`);
  if (ddof !== 0 && ddof !== 1) throw new Error(`ddof: expected 0 or 1, got ${ddof}`);
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.abs(yTrue[i] - yPred[i]);
  const mae = s / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (Math.abs(yTrue[i] - yPred[i]) - mae) ** 2;
  const sigma = n - ddof > 0 ? Math.sqrt(ss / (n - ddof)) : 0;
  return { mae, sigma };
}
