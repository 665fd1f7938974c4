/**
 * Pixelised PSF kernel (lenstronomy psf_type='PIXEL'), applied like lenstronomy's
 * `PixelKernelConvolution` (scipy.signal.fftconvolve(image, kernel, mode='same')): a true 2-D
 * convolution with zero padding outside the image, output the size of the image.
 *
 * The kernel must be square with an odd side, finite, and sum to 1 within `tolerance`
 * (default 1e-3) unless `normalize: true` asks to rescale it. It knows its pixel scale and its
 * supersampling factor relative to the image pixels: a kernel with supersampling 1 is applied to
 * the image after down-sampling; a kernel with supersampling s equal to the render
 * supersampling is applied on the supersampled grid before down-sampling (lenstronomy's
 * supersampling_convolution=True).
 */
import { describeValue } from '../profiles/describe-value.js';
import { SpecValidationError } from '../profiles/spec-validation-error.js';

/** Kernel input: square nested array, or a flat row-major array whose length is an odd square. */
export type PixelKernelInput = ArrayLike<number> | ArrayLike<ArrayLike<number>>;

/** Options of {@link PixelPsf}. */
export interface PixelPsfOptions {
  /** Rescale the kernel to sum 1 instead of rejecting it (default false). */
  normalize?: boolean;
  /** Allowed |sum - 1| when not normalising (default 1e-3). */
  tolerance?: number;
  /** Kernel pixel size [arcsec]; checked against the render grid when given. */
  pixelScale?: number;
  /** Kernel pixels per image pixel and axis (default 1). */
  supersampling?: number;
}

/** Default allowed deviation of the kernel sum from 1. */
export const PIXEL_KERNEL_SUM_TOLERANCE = 1e-3;

/**
 * Checks and flattens a kernel; returns the row-major kernel (rescaled if asked) and every problem
 * found, each prefixed with `path`.
 */
export function validatePixelKernel(
  input: unknown, path: string, options: Pick<PixelPsfOptions, 'normalize' | 'tolerance'> = {},
): { kernel?: Float64Array; size?: number; errors: string[] } {
  const errors: string[] = [];
  let flat: Float64Array | undefined;
  let size = 0;
  const isNumArray = (a: unknown): a is ArrayLike<number> =>
    ArrayBuffer.isView(a) || (Array.isArray(a) && a.every((v) => typeof v === 'number'));
  if (Array.isArray(input) && input.length > 0 && Array.isArray(input[0])) {
    size = input.length;
    const rows = input as unknown[];
    if (!rows.every((row) => Array.isArray(row) && row.length === size && row.every((v) => typeof v === 'number'))) {
      errors.push(`${path}: expected a square array of numbers (${size} rows of ${size} numbers)`);
      return { errors };
    }
    flat = new Float64Array(size * size);
    rows.forEach((row, i) => (row as number[]).forEach((v, j) => { flat![i * size + j] = v; }));
  } else if (isNumArray(input) && !(input instanceof DataView)) {
    const len = input.length;
    size = Math.round(Math.sqrt(len));
    if (size * size !== len || len === 0) {
      errors.push(`${path}: expected a square kernel (flat length an odd square such as 9, 25, 49), got length ${len}`);
      return { errors };
    }
    flat = Float64Array.from(input);
  } else {
    errors.push(`${path}: expected a square odd-sized kernel (number[][] or a flat Float32Array/Float64Array), got ${describeValue(input)}`);
    return { errors };
  }
  if (size % 2 === 0) errors.push(`${path}: expected an odd kernel size, got ${size}x${size}`);
  let sum = 0;
  for (let i = 0; i < flat.length; i++) {
    if (!Number.isFinite(flat[i])) { errors.push(`${path}: expected finite numbers, got ${flat[i]} at index ${i}`); return { errors }; }
    sum += flat[i];
  }
  const tol = options.tolerance ?? PIXEL_KERNEL_SUM_TOLERANCE;
  if (options.normalize) {
    if (!(sum > 0)) errors.push(`${path}: cannot normalise a kernel whose sum is ${sum}; expected a positive sum`);
    else for (let i = 0; i < flat.length; i++) flat[i] /= sum;
  } else if (!(Math.abs(sum - 1) <= tol)) {
    errors.push(`${path}: expected the kernel to sum to 1 (within ${tol}), got ${Number(sum.toPrecision(7))}; set normalize: true to rescale it`);
  }
  return errors.length ? { errors } : { kernel: flat, size, errors };
}

/**
 * 'same'-size 2-D convolution with zero padding: out[i, j] = sum_{a,b} K[a, b] img[i + c - a, j + c - b],
 * c = (size - 1)/2. `out` must not alias `image`.
 */
export function convolveSameZero(
  image: Float64Array, rows: number, cols: number, kernel: Float64Array, size: number, out: Float64Array,
): void {
  const c = (size - 1) >> 1;
  out.fill(0, 0, rows * cols);
  for (let a = 0; a < size; a++) {
    const di = c - a;
    const i0 = Math.max(0, -di), i1 = Math.min(rows, rows - di);
    for (let b = 0; b < size; b++) {
      const kv = kernel[a * size + b];
      if (kv === 0) continue;
      const dj = c - b;
      const j0 = Math.max(0, -dj), j1 = Math.min(cols, cols - dj);
      for (let i = i0; i < i1; i++) {
        const o = i * cols, s = (i + di) * cols + dj;
        for (let j = j0; j < j1; j++) out[o + j] += kv * image[s + j];
      }
    }
  }
}

/** A validated pixel PSF kernel. */
export class PixelPsf {
  /** Row-major kernel summing to 1. */
  readonly kernel: Float64Array;
  /** Side length (odd). */
  readonly size: number;
  /** Kernel pixels per image pixel and axis. */
  readonly supersampling: number;
  /** Kernel pixel size [arcsec], when known. */
  readonly pixelScale?: number;
  private tmp = new Float64Array(0);

  /** @throws SpecValidationError naming every problem of the kernel */
  constructor(kernel: PixelKernelInput, options: PixelPsfOptions = {}) {
    const v = validatePixelKernel(kernel, 'psf.kernel', options);
    const s = options.supersampling ?? 1;
    if (!(Number.isInteger(s) && s >= 1 && s <= 16)) v.errors.push(`psf.supersampling: expected an integer in [1, 16], got ${describeValue(s)}`);
    if (options.pixelScale !== undefined && !(typeof options.pixelScale === 'number' && options.pixelScale > 0 && Number.isFinite(options.pixelScale))) {
      v.errors.push(`psf.pixelScale: expected a positive number [arcsec], got ${describeValue(options.pixelScale)}`);
    }
    if (v.errors.length || !v.kernel || !v.size) throw new SpecValidationError('PIXEL psf', v.errors);
    this.kernel = v.kernel;
    this.size = v.size;
    this.supersampling = s;
    this.pixelScale = options.pixelScale;
  }

  /** Convolves a rows x cols image into `out` (may alias `image`). */
  convolve(image: Float64Array, rows: number, cols: number, out: Float64Array = image): Float64Array {
    if (this.tmp.length < rows * cols) this.tmp = new Float64Array(rows * cols);
    convolveSameZero(image, rows, cols, this.kernel, this.size, this.tmp);
    out.set(this.tmp.subarray(0, rows * cols));
    return out;
  }
}
