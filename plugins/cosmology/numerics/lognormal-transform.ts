/**
 * Shifted lognormal transform of a zero-mean Gaussian field g with pixel variance σ²:
 *
 *   κ = λ · (exp(g - σ²/2) - 1)
 *
 * Since E[exp(g)] = exp(σ²/2), E[κ] = 0; κ >= -λ (the "empty beam" minimum) and its pixel
 * distribution is skewed with a long positive tail, like weak-lensing convergence maps
 * (Hilbert, Hartlap & Schneider 2011, A&A 536, A85; Xavier et al. 2016, MNRAS 459, 3693).
 * Var κ = λ² (exp(σ²) - 1); skewness = (exp(σ²) + 2) √(exp(σ²) - 1). For small g, κ ≈ λ g.
 * @param g the Gaussian field (any length)
 * @param variance σ² of g (use the theoretical value, not the sample variance)
 * @param shift λ > 0, the shift parameter (dimensionless convergence)
 * @returns κ, float64, same length as g
 */
export function lognormalTransform(g: ArrayLike<number>, variance: number, shift: number): Float64Array {
  if (!(Number.isFinite(variance) && variance >= 0)) throw new Error(`variance: expected a number >= 0, got ${variance}`);
  if (!(Number.isFinite(shift) && shift > 0)) throw new Error(`shift: expected a number > 0, got ${shift}`);
  const out = new Float64Array(g.length);
  const half = variance / 2;
  for (let i = 0; i < g.length; i++) out[i] = shift * Math.expm1(g[i] - half);
  return out;
}
