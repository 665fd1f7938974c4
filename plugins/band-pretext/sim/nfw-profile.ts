/**
 * Projected NFW profile (Navarro, Frenk & White 1997; projected form from Bartelmann 1996 and
 * Wright & Brainerd 2000), used to place cluster members around the centre.
 *
 * With X = R / r_s:
 *   F(X) = arccosh(1/X) / sqrt(1 - X^2)  (X < 1),  arccos(1/X) / sqrt(X^2 - 1)  (X > 1),  1 (X = 1)
 *   surface density  Sigma(X) ∝ (1 - F(X)) / (X^2 - 1)          (1/3 at X = 1)
 *   enclosed projected mass  g(X) = ln(X / 2) + F(X),  with g(X) = ∫_0^X X' Sigma(X') dX'
 * Members within the truncation radius X_max = c (the concentration) follow the CDF g(X)/g(c).
 */
import type { Rng } from '../../../core/index.js';

/** F(X) of the projected NFW profile (dimensionless); X > 0. */
export function nfwF(x: number): number {
  if (!(x > 0)) throw new Error(`nfwF: expected X > 0, got ${x}`);
  if (Math.abs(x - 1) < 1e-6) return 1 - (2 / 3) * (x - 1); // first-order expansion around X = 1
  if (x < 1) return Math.acosh(1 / x) / Math.sqrt(1 - x * x);
  return Math.acos(1 / x) / Math.sqrt(x * x - 1);
}

/** Projected NFW surface density shape (1 - F(X)) / (X^2 - 1), unnormalised; X > 0. */
export function nfwSigma(x: number): number {
  if (Math.abs(x - 1) < 1e-4) return 1 / 3 - 0.4 * (x - 1); // series around X = 1
  return (1 - nfwF(x)) / (x * x - 1);
}

/** Enclosed projected "mass" g(X) = ln(X/2) + F(X) = ∫_0^X X' Sigma(X') dX'; X > 0. */
export function nfwEnclosed(x: number): number {
  if (x < 1e-4) return (x * x / 4) * (2 * Math.log(2 / x) - 1); // small-X limit of ln(X/2) + F(X)
  return Math.log(x / 2) + nfwF(x);
}

/**
 * Sampler of projected radii X = R/r_s in [0, c] from the truncated projected NFW profile,
 * by inverting a tabulated CDF g(X)/g(c) (`points` log-spaced nodes, linear interpolation).
 */
export class ProjectedNfwSampler {
  private readonly xs: Float64Array;
  private readonly cdf: Float64Array;

  /** `concentration` c = R_trunc / r_s (> 0); `points` table nodes (default 512). */
  constructor(readonly concentration: number, points = 512) {
    if (!(concentration > 0) || !Number.isFinite(concentration)) {
      throw new Error(`concentration: expected a finite number > 0, got ${concentration}`);
    }
    const lo = Math.min(1e-5, concentration * 1e-5);
    this.xs = new Float64Array(points + 1);
    this.cdf = new Float64Array(points + 1);
    const gMax = nfwEnclosed(concentration);
    for (let k = 1; k <= points; k++) {
      const x = lo * Math.pow(concentration / lo, (k - 1) / (points - 1));
      this.xs[k] = x;
      this.cdf[k] = nfwEnclosed(x) / gMax;
    }
    this.cdf[points] = 1;
  }

  /** CDF of X: fraction of members within X (0 below 0, 1 beyond c). */
  cdfAt(x: number): number {
    if (x <= 0) return 0;
    if (x >= this.concentration) return 1;
    return nfwEnclosed(x) / nfwEnclosed(this.concentration);
  }

  /** The radius X with CDF(X) = u, u in [0, 1]. */
  quantile(u: number): number {
    const { xs, cdf } = this;
    let lo = 0, hi = cdf.length - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] < u) lo = mid; else hi = mid;
    }
    const span = cdf[hi] - cdf[lo];
    const f = span > 0 ? (u - cdf[lo]) / span : 0;
    return xs[lo] + f * (xs[hi] - xs[lo]);
  }

  /** One radius X drawn from the truncated profile. */
  sample(rng: Rng): number {
    return this.quantile(rng.random());
  }
}
