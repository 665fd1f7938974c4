import { fft2d, fftfreq, ifft2d } from '../../../core/index.js';

/** A source of standard normal draws, e.g. core's seeded `Rng`. */
export interface NormalSource {
  normal(mean?: number, std?: number): number;
}

/** Result of {@link gaussianRandomField}. */
export interface GaussianRandomField {
  /** n × n real field, row-major, float64. */
  field: Float64Array;
  /** Its expected pixel variance σ² = (1/n²) Σ_k P(|k|) (exact for the discrete grid). */
  variance: number;
}

/**
 * A stationary, periodic Gaussian random field on an n × n grid with power spectrum P:
 * white noise w (n² standard normals drawn from `rng` in row-major order) is filtered in Fourier
 * space, g = Re ifft2(√P(|k|) · fft2(w)), with |k| from numpy's fftfreq grid in cycles/pixel.
 * Because √P depends on |k| only, the filtered spectrum is Hermitian and g is real. Each mode
 * then has E|fft2(g)(k)|² / n² = P(|k|), the normalisation of core/signal's radialPowerSpectrum,
 * and the pixel variance is σ² = (1/n²) Σ_k P(|k|). Reproducible for a seeded `rng`.
 * @param n grid side in pixels, integer >= 2 (any size; non-powers of two use Bluestein FFTs)
 * @param power P(k) >= 0 for k in cycles/pixel (P(0) is the mean's variance; use 0 for a zero-mean field)
 * @param rng source of standard normals
 */
export function gaussianRandomField(n: number, power: (k: number) => number, rng: NormalSource): GaussianRandomField {
  if (!Number.isInteger(n) || n < 2) throw new Error(`n: expected an integer >= 2, got ${String(n)}`);
  const f = fftfreq(n);
  const amp = new Float64Array(n * n);
  let sumP = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const p = power(Math.sqrt(f[i] * f[i] + f[j] * f[j]));
      if (!(p >= 0 && Number.isFinite(p))) {
        throw new Error(`power: expected P(k) to be a finite number >= 0, got ${p} at k=(${f[j]}, ${f[i]})`);
      }
      amp[i * n + j] = Math.sqrt(p);
      sumP += p;
    }
  }
  const white = new Float64Array(n * n);
  for (let i = 0; i < white.length; i++) white[i] = rng.normal();
  const W = fft2d(white, null, n);
  for (let i = 0; i < amp.length; i++) { W.re[i] *= amp[i]; W.im[i] *= amp[i]; }
  const g = ifft2d(W.re, W.im, n);
  return { field: g.re, variance: sumP / (n * n) };
}
