import { checkInteger, checkNumber, type NumericArray, toFloat64 } from '../stats/numeric-input.js';
import { fft2d } from './fft.js';

/** Options of {@link radialPowerSpectrum}. */
export interface RadialPowerSpectrumOptions {
  /** 'round' (default): bin b holds modes with rint(|k|) = b; 'floor': ⌊|k|⌋ = b. */
  binning?: 'round' | 'floor';
  /**
   * Pixel size in any length or angle unit. When given, `k` is returned in cycles per that unit,
   * b / (n · pixelSize); otherwise `k` is the integer wavenumber b (cycles per map side).
   */
  pixelSize?: number;
}

/** Result of {@link radialPowerSpectrum}: one entry per bin b = 0..⌊n/2⌋. */
export interface RadialPowerSpectrum {
  /** Bin centre: b, or b / (n · pixelSize) when pixelSize is given. */
  k: Float64Array;
  /** Mean of P2D = |FFT(map)|² / n² over the modes in the bin (NaN for an empty bin). */
  power: Float64Array;
  /** Number of 2-D modes in each bin. */
  counts: Int32Array;
}

/**
 * Azimuthally averaged power spectrum of a square map, with the conventions of
 * core/testing/fixtures/kaiser_squires.json (`conventions.power_spectrum`), i.e. what numpy gives for
 * F = numpy.fft.fft2(map): P2D = |F|² / n²; integer wavenumbers kx = fftfreq(n)·n along axis 1,
 * ky = fftfreq(n)·n along axis 0, |k| = √(kx² + ky²); all n² modes (both halves) count once;
 * bins b = 0..⌊n/2⌋ by rint(|k|) ('round') or ⌊|k|⌋ ('floor'); modes beyond the last bin (the
 * corners) are dropped; P(b) is the arithmetic mean of P2D in the bin. P(0) = (Σ map)² / n².
 * Works for any n (odd or even) through {@link fft2d}.
 * @param map n × n values, row-major (row = y = axis 0)
 * @param n side length in pixels
 * @param options binning and optional pixel size for physical k
 */
export function radialPowerSpectrum(map: NumericArray, n: number, options: RadialPowerSpectrumOptions = {}): RadialPowerSpectrum {
  checkInteger(n, 'n', 1);
  const binning = options.binning ?? 'round';
  if (binning !== 'round' && binning !== 'floor') {
    throw new Error(`binning: expected one of 'round'|'floor', got ${JSON.stringify(binning)}`);
  }
  if (options.pixelSize !== undefined) checkNumber(options.pixelSize, 'pixelSize', (v) => v > 0, 'a number > 0');
  const x = toFloat64(map, 'map', n * n);
  const F = fft2d(x, null, n);
  const nBins = Math.floor(n / 2) + 1;
  const sum = new Float64Array(nBins);
  const counts = new Int32Array(nBins);
  const norm = 1 / (n * n);
  for (let i = 0; i < n; i++) {
    const ky = i <= (n - 1) / 2 ? i : i - n;
    for (let j = 0; j < n; j++) {
      const kx = j <= (n - 1) / 2 ? j : j - n;
      const k = Math.sqrt(kx * kx + ky * ky);        // exact for perfect squares; no .5 ties exist
      const b = binning === 'round' ? Math.round(k) : Math.floor(k);
      if (b >= nBins) continue;
      const o = i * n + j;
      sum[b] += (F.re[o] * F.re[o] + F.im[o] * F.im[o]) * norm;
      counts[b]++;
    }
  }
  const power = new Float64Array(nBins);
  const k = new Float64Array(nBins);
  for (let b = 0; b < nBins; b++) {
    power[b] = counts[b] > 0 ? sum[b] / counts[b] : NaN;
    k[b] = options.pixelSize === undefined ? b : b / (n * options.pixelSize);
  }
  return { k, power, counts };
}
