import { fft2d, fftfreq, ifft2d, type ComplexArray } from '../../../core/index.js';
import { type NumericArray, toFloat64 } from '../../../core/index.js';

/** A shear field: the two components on an n × n grid, row-major (row = y). */
export interface ShearField {
  gamma1: Float64Array;
  gamma2: Float64Array;
}

/** E- and B-mode convergence from {@link kaiserSquiresInverse}. */
export interface KaiserSquiresMaps {
  kappaE: Float64Array;
  kappaB: Float64Array;
}

/** p1 = k1² - k2², p2 = 2 k1 k2 and 1/|k|² (0 at k = 0) on numpy's fftfreq grid. */
function kernels(n: number): { p1: Float64Array; p2: Float64Array; invK2: Float64Array } {
  const f = fftfreq(n);
  const p1 = new Float64Array(n * n), p2 = new Float64Array(n * n), invK2 = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const k2 = f[i];                                   // axis 0 (y)
    for (let j = 0; j < n; j++) {
      const k1 = f[j];                                 // axis 1 (x)
      const o = i * n + j;
      p1[o] = k1 * k1 - k2 * k2;
      p2[o] = 2 * k1 * k2;
      const ksq = k1 * k1 + k2 * k2;
      invK2[o] = ksq > 0 ? 1 / ksq : 0;
    }
  }
  return { p1, p2, invK2 };
}

function readMap(x: NumericArray, n: number, field: string): Float64Array {
  if (!Number.isInteger(n) || n < 1) throw new Error(`n: expected an integer >= 1, got ${String(n)}`);
  return toFloat64(x, field, n * n);
}

/** Re ifft2(w · X) for a real weight w. */
function filteredReal(X: ComplexArray, w: Float64Array, n: number): Float64Array {
  const re = new Float64Array(n * n), im = new Float64Array(n * n);
  for (let i = 0; i < re.length; i++) { re[i] = w[i] * X.re[i]; im[i] = w[i] * X.im[i]; }
  return ifft2d(re, im, n).re;
}

/**
 * Kaiser & Squires (1993) forward model: the shear of a convergence map on a periodic grid,
 * γ̂(k) = D(k) κ̂(k) with D = ((k1² - k2²) + 2i k1 k2) / |k|², D(0) = 0, using the conventions
 * of core/testing/fixtures/kaiser_squires.json (lenspack's ks93inv): k1 = fftfreq(n) along axis 1 (x),
 * k2 = fftfreq(n) along axis 0 (y), and each component takes the real part separately,
 * γ1 = Re ifft2(p1/|k|² κ̂), γ2 = Re ifft2(p2/|k|² κ̂) (this differs from Re/Im of
 * ifft2(D κ̂) only on the Nyquist row/column of even n). The mean of κ does not enter.
 * @param kappa n × n convergence, row-major (row = y)
 * @param n side length (any n >= 1)
 * @returns γ1, γ2 (float64)
 */
export function kaiserSquiresForward(kappa: NumericArray, n: number): ShearField {
  const k = readMap(kappa, n, 'kappa');
  const { p1, p2, invK2 } = kernels(n);
  const K = fft2d(k, null, n);
  const w1 = p1.map((v, i) => v * invK2[i]);
  const w2 = p2.map((v, i) => v * invK2[i]);
  return { gamma1: filteredReal(K, w1, n), gamma2: filteredReal(K, w2, n) };
}

/**
 * Kaiser & Squires (1993) inversion (lenspack's ks93): κ̂_E = (p1 γ̂1 + p2 γ̂2)/|k|²,
 * κ̂_B = -(p2 γ̂1 - p1 γ̂2)/|k|² (i.e. conj(D) γ̂ split into real and imaginary parts), the k = 0
 * mode set to 0, κ_E = Re ifft2(κ̂_E), κ_B = Re ifft2(κ̂_B). Both maps have zero mean (mass-sheet
 * degeneracy); for the shear of a pure convergence field κ_B ≈ 0 and κ_E = κ - mean(κ)
 * (exactly for odd n; up to the Nyquist modes for even n).
 * @param gamma1 first shear component, n × n row-major
 * @param gamma2 second shear component
 * @param n side length
 */
export function kaiserSquiresInverse(gamma1: NumericArray, gamma2: NumericArray, n: number): KaiserSquiresMaps {
  const g1 = readMap(gamma1, n, 'gamma1');
  const g2 = readMap(gamma2, n, 'gamma2');
  const { p1, p2, invK2 } = kernels(n);
  const G1 = fft2d(g1, null, n);
  const G2 = fft2d(g2, null, n);
  const eRe = new Float64Array(n * n), eIm = new Float64Array(n * n);
  const bRe = new Float64Array(n * n), bIm = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) {
    const a = p1[i] * invK2[i], b = p2[i] * invK2[i];
    eRe[i] = a * G1.re[i] + b * G2.re[i];
    eIm[i] = a * G1.im[i] + b * G2.im[i];
    bRe[i] = a * G2.re[i] - b * G1.re[i];
    bIm[i] = a * G2.im[i] - b * G1.im[i];
  }
  return { kappaE: ifft2d(eRe, eIm, n).re, kappaB: ifft2d(bRe, bIm, n).re };
}
