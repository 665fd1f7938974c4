/**
 * Survival function of the limiting Kolmogorov distribution (scipy.special.kolmogorov,
 * scipy.stats.kstwobign.sf): the limit of P(√n D_n ≥ y) as n → ∞ (Kolmogorov 1933),
 *
 *   Q(y) = 2 Σ_{k≥1} (-1)^{k-1} exp(-2 k² y²)                       (fast for large y)
 *   1 - Q(y) = √(2π)/y Σ_{k≥1} exp(-(2k-1)² π² / (8 y²))          (fast for small y)
 *
 * The second (Jacobi theta) form is used for y <= 0.82, the alternating series above it,
 * each summed until the terms stop changing the result.
 * @param y the scaled statistic √n · D, >= 0
 * @returns Q(y) in [0, 1]
 */
export function kolmogorovSf(y: number): number {
  if (Number.isNaN(y)) throw new Error('kolmogorovSf: y: expected a number, got NaN');
  if (y <= 0) return 1;
  if (y <= 0.82) {
    const a = -(Math.PI * Math.PI) / (8 * y * y);
    let cdf = 0;
    for (let k = 1; k < 100; k++) {
      const m = 2 * k - 1;
      const term = Math.exp(a * m * m);
      cdf += term;
      if (term <= 1e-17 * cdf) break;
    }
    cdf *= Math.sqrt(2 * Math.PI) / y;
    return Math.min(1, Math.max(0, 1 - cdf));
  }
  let sf = 0;
  for (let k = 1; k < 100; k++) {
    const term = Math.exp(-2 * k * k * y * y);
    sf += (k % 2 === 1 ? 1 : -1) * term;
    if (term <= 1e-17 * Math.abs(sf)) break;
  }
  return Math.min(1, Math.max(0, 2 * sf));
}
