/**
 * Gaussian PSF for extended light exactly as lenstronomy 1.14.2 applies it
 * (`ImageModel` with psf_type='GAUSSIAN' calls
 * `scipy.ndimage.gaussian_filter(image, sigma, mode='nearest', truncate=truncation)`):
 * a separable, point-sampled kernel w[k] ~ exp(-k^2 / (2 sigma_pix^2)) for integer
 * k in [-r, r], r = int(truncation sigma_pix + 0.5), each 1-D kernel normalised to sum 1,
 * sigma_pix = fwhm / (2 sqrt(2 ln 2)) / deltaPix, and edge replication at the borders
 * (pixels outside the image take the value of the nearest edge pixel). The convolution acts on
 * the pixel grid, after down-sampling.
 */
import { gaussianKernel1d } from '../../../core/index.js';

/** sigma = fwhm / (2 sqrt(2 ln 2)). */
export function fwhmToSigma(fwhm: number): number {
  return fwhm / (2 * Math.sqrt(2 * Math.LN2));
}

/**
 * Normalised 1-D Gaussian weights of scipy's gaussian_filter.
 * @param fwhm full width at half maximum [arcsec]
 * @param deltaPix pixel size [arcsec]
 * @param truncation kernel half-width in sigmas (default 5, lenstronomy's default)
 * @returns weights w[0..2r], symmetric, summing to 1
 */
export function gaussianPsfKernel1d(fwhm: number, deltaPix: number, truncation = 5): Float64Array {
  return gaussianKernel1d(fwhmToSigma(fwhm) / deltaPix, truncation);
}

/** Largest kernel radius handled by the unrolled fast path of {@link convolveSeparableNearest}. */
export const UNROLLED_MAX_RADIUS = 8;

/**
 * Separable convolution of a rows x cols row-major image with a symmetric odd 1-D kernel along
 * both axes, replicating edge pixels ('nearest'). Allocation-free given the scratch buffers.
 * Radii up to 8 unroll the taps behind predictable `if (r >= k)` tests (about 2x faster in V8
 * than a loop over taps); larger radii use the generic loop.
 * @param image input (rows * cols)
 * @param out output (rows * cols); may alias `image`
 * @param tmp scratch of rows * cols
 * @param pad scratch of at least cols + 2r
 */
export function convolveSeparableNearest(
  image: Float64Array, rows: number, cols: number, w: Float64Array,
  out: Float64Array, tmp: Float64Array, pad: Float64Array,
): void {
  const r = (w.length - 1) >> 1;
  if (r > UNROLLED_MAX_RADIUS) { convolveSeparableNearestGeneric(image, rows, cols, w, out, tmp, pad); return; }
  const tap = (k: number): number => (k <= r ? w[r + k] : 0);
  const w0 = w[r], w1 = tap(1), w2 = tap(2), w3 = tap(3), w4 = tap(4), w5 = tap(5), w6 = tap(6), w7 = tap(7), w8 = tap(8);
  // pass 1: along x (within each row, through an edge-replicated copy) into tmp
  for (let i = 0; i < rows; i++) {
    const o = i * cols;
    const first = image[o], last = image[o + cols - 1];
    for (let k = 0; k < r; k++) { pad[k] = first; pad[r + cols + k] = last; }
    for (let j = 0; j < cols; j++) pad[r + j] = image[o + j];
    for (let j = 0; j < cols; j++) {
      const c = r + j;
      let s = w0 * pad[c];
      if (r >= 8) s += w8 * (pad[c - 8] + pad[c + 8]);
      if (r >= 7) s += w7 * (pad[c - 7] + pad[c + 7]);
      if (r >= 6) s += w6 * (pad[c - 6] + pad[c + 6]);
      if (r >= 5) s += w5 * (pad[c - 5] + pad[c + 5]);
      if (r >= 4) s += w4 * (pad[c - 4] + pad[c + 4]);
      if (r >= 3) s += w3 * (pad[c - 3] + pad[c + 3]);
      if (r >= 2) s += w2 * (pad[c - 2] + pad[c + 2]);
      if (r >= 1) s += w1 * (pad[c - 1] + pad[c + 1]);
      tmp[o + j] = s;
    }
  }
  // pass 2: along y (between rows, clamped row offsets) into out
  const row = (v: number): number => (v < 0 ? 0 : v >= rows ? rows - 1 : v) * cols;
  for (let i = 0; i < rows; i++) {
    const o = i * cols;
    const a1 = row(i - 1), b1 = row(i + 1), a2 = row(i - 2), b2 = row(i + 2), a3 = row(i - 3), b3 = row(i + 3);
    const a4 = row(i - 4), b4 = row(i + 4), a5 = row(i - 5), b5 = row(i + 5), a6 = row(i - 6), b6 = row(i + 6);
    const a7 = row(i - 7), b7 = row(i + 7), a8 = row(i - 8), b8 = row(i + 8);
    for (let j = 0; j < cols; j++) {
      let s = w0 * tmp[o + j];
      if (r >= 8) s += w8 * (tmp[a8 + j] + tmp[b8 + j]);
      if (r >= 7) s += w7 * (tmp[a7 + j] + tmp[b7 + j]);
      if (r >= 6) s += w6 * (tmp[a6 + j] + tmp[b6 + j]);
      if (r >= 5) s += w5 * (tmp[a5 + j] + tmp[b5 + j]);
      if (r >= 4) s += w4 * (tmp[a4 + j] + tmp[b4 + j]);
      if (r >= 3) s += w3 * (tmp[a3 + j] + tmp[b3 + j]);
      if (r >= 2) s += w2 * (tmp[a2 + j] + tmp[b2 + j]);
      if (r >= 1) s += w1 * (tmp[a1 + j] + tmp[b1 + j]);
      out[o + j] = s;
    }
  }
}

/** Same as {@link convolveSeparableNearest} for any radius (loop over taps). */
export function convolveSeparableNearestGeneric(
  image: Float64Array, rows: number, cols: number, w: Float64Array,
  out: Float64Array, tmp: Float64Array, pad: Float64Array,
): void {
  const r = (w.length - 1) >> 1;
  const w0 = w[r];
  for (let i = 0; i < rows; i++) {
    const o = i * cols;
    const first = image[o], last = image[o + cols - 1];
    for (let k = 0; k < r; k++) { pad[k] = first; pad[r + cols + k] = last; }
    for (let j = 0; j < cols; j++) pad[r + j] = image[o + j];
    for (let j = 0; j < cols; j++) tmp[o + j] = w0 * pad[r + j];
    for (let k = 1; k <= r; k++) {
      const wk = w[r + k];
      const lo = r - k, hi = r + k;
      for (let j = 0; j < cols; j++) tmp[o + j] += wk * (pad[lo + j] + pad[hi + j]);
    }
  }
  for (let i = 0; i < rows; i++) {
    const o = i * cols;
    for (let j = 0; j < cols; j++) out[o + j] = w0 * tmp[o + j];
    for (let k = 1; k <= r; k++) {
      const wk = w[r + k];
      const a = (i - k < 0 ? 0 : i - k) * cols;
      const b = (i + k >= rows ? rows - 1 : i + k) * cols;
      for (let j = 0; j < cols; j++) out[o + j] += wk * (tmp[a + j] + tmp[b + j]);
    }
  }
}

/** A Gaussian PSF bound to a pixel size, with its own scratch buffers. */
export class GaussianPsf {
  /** Normalised 1-D weights (length 2r + 1). */
  readonly weights: Float64Array;
  /** sigma in pixels. */
  readonly sigmaPix: number;
  private tmp = new Float64Array(0);
  private pad = new Float64Array(0);

  /**
   * @param fwhm full width at half maximum [arcsec]
   * @param deltaPix pixel size of the images it will convolve [arcsec]
   * @param truncation half-width in sigmas (default 5)
   */
  constructor(readonly fwhm: number, readonly deltaPix: number, readonly truncation = 5) {
    this.weights = gaussianPsfKernel1d(fwhm, deltaPix, truncation);
    this.sigmaPix = fwhmToSigma(fwhm) / deltaPix;
  }

  /** Kernel radius r in pixels. */
  get radius(): number { return (this.weights.length - 1) >> 1; }

  /** Convolves a rows x cols image into `out` (which may alias `image`). */
  convolve(image: Float64Array, rows: number, cols: number, out: Float64Array = image): Float64Array {
    if (this.tmp.length < rows * cols) this.tmp = new Float64Array(rows * cols);
    if (this.pad.length < cols + 2 * this.radius) this.pad = new Float64Array(cols + 2 * this.radius);
    convolveSeparableNearest(image, rows, cols, this.weights, out, this.tmp, this.pad);
    return out;
  }

  /** The 2-D kernel w w^T (size (2r+1)^2, row-major), summing to 1. */
  kernel2d(): Float64Array {
    const n = this.weights.length;
    const k = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) k[i * n + j] = this.weights[i] * this.weights[j];
    return k;
  }
}
