/**
 * Discrete Fourier transforms of any length, 1-D and 2-D, in float64, with numpy.fft's
 * conventions: forward X_k = Σ_j x_j exp(-2πi jk/n) (unnormalised), inverse with 1/n.
 *
 * Power-of-two lengths use fft.js (radix-4). fft.js only supports powers of two, so other
 * lengths (odd or even map sizes) use Bluestein's chirp-z algorithm (Bluestein 1970, "A linear
 * filtering approach to the computation of the discrete Fourier transform"), which rewrites the
 * DFT as a circular convolution of power-of-two length M >= 2n - 1, computed with fft.js.
 * Plans (twiddles, chirps) are cached per length.
 */
import FFT from 'fft.js';
import { checkInteger, type NumericArray, toFloat64 } from '../stats/numeric-input.js';

/** A complex array as separate real and imaginary parts. */
export interface ComplexArray {
  re: Float64Array;
  im: Float64Array;
}

function isPowerOfTwo(n: number): boolean {
  return n >= 2 && (n & (n - 1)) === 0;
}

/** A reusable transform of one length, operating on interleaved [re0, im0, re1, im1, ...]. */
class FftPlan {
  private readonly fft: FFT | null = null;
  // Bluestein state (non-power-of-two lengths).
  private readonly conv: FFT | null = null;
  private readonly chirpRe: Float64Array | null = null;   // w_k = exp(-iπ k²/n)
  private readonly chirpIm: Float64Array | null = null;
  private readonly kernelHat: Float64Array | null = null; // FFT of conj(w) laid out circularly
  private readonly bufA: Float64Array | null = null;
  private readonly bufB: Float64Array | null = null;
  private readonly scratchIn: Float64Array;
  private readonly scratchOut: Float64Array;

  constructor(readonly n: number) {
    this.scratchIn = new Float64Array(2 * n);
    this.scratchOut = new Float64Array(2 * n);
    if (n === 1) return;
    if (isPowerOfTwo(n)) {
      this.fft = new FFT(n);
      return;
    }
    let m = 2;
    while (m < 2 * n - 1) m *= 2;
    this.conv = new FFT(m);
    this.chirpRe = new Float64Array(n);
    this.chirpIm = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      // k² mod 2n keeps the angle small and exact for large k.
      const angle = (Math.PI * ((k * k) % (2 * n))) / n;
      this.chirpRe[k] = Math.cos(angle);
      this.chirpIm[k] = -Math.sin(angle);
    }
    const kernel = new Float64Array(2 * m);
    for (let k = 0; k < n; k++) {
      kernel[2 * k] = this.chirpRe[k];
      kernel[2 * k + 1] = -this.chirpIm[k];
      if (k > 0) {
        kernel[2 * (m - k)] = this.chirpRe[k];
        kernel[2 * (m - k) + 1] = -this.chirpIm[k];
      }
    }
    this.kernelHat = new Float64Array(2 * m);
    this.conv.transform(this.kernelHat, kernel);
    this.bufA = new Float64Array(2 * m);
    this.bufB = new Float64Array(2 * m);
  }

  /** Forward (inverse = false, unnormalised) or inverse (1/n) DFT of `data` into `out`. */
  run(out: Float64Array, data: Float64Array, inverse: boolean): void {
    const n = this.n;
    if (n === 1) { out[0] = data[0]; out[1] = data[1]; return; }
    if (this.fft) {
      if (inverse) this.fft.inverseTransform(out, data); else this.fft.transform(out, data);
      return;
    }
    // Inverse via conjugation: ifft(x) = conj(fft(conj(x))) / n.
    const sign = inverse ? -1 : 1;
    const a = this.bufA!, b = this.bufB!, cr = this.chirpRe!, ci = this.chirpIm!;
    a.fill(0);
    for (let k = 0; k < n; k++) {
      const xr = data[2 * k], xi = sign * data[2 * k + 1];
      a[2 * k] = xr * cr[k] - xi * ci[k];
      a[2 * k + 1] = xr * ci[k] + xi * cr[k];
    }
    this.conv!.transform(b, a);
    const kh = this.kernelHat!;
    for (let k = 0; k < b.length; k += 2) {
      const br = b[k], bi = b[k + 1];
      b[k] = br * kh[k] - bi * kh[k + 1];
      b[k + 1] = br * kh[k + 1] + bi * kh[k];
    }
    this.conv!.inverseTransform(a, b);
    const scale = inverse ? 1 / n : 1;
    for (let k = 0; k < n; k++) {
      const yr = a[2 * k], yi = a[2 * k + 1];
      out[2 * k] = scale * (yr * cr[k] - yi * ci[k]);
      out[2 * k + 1] = sign * scale * (yr * ci[k] + yi * cr[k]);
    }
  }

  /** Transform in place the n entries re/im[offset + k·stride], k = 0..n-1. */
  runStrided(re: Float64Array, im: Float64Array, offset: number, stride: number, inverse: boolean): void {
    const n = this.n, buf = this.scratchIn, tmp = this.scratchOut;
    for (let k = 0; k < n; k++) { buf[2 * k] = re[offset + k * stride]; buf[2 * k + 1] = im[offset + k * stride]; }
    this.run(tmp, buf, inverse);
    for (let k = 0; k < n; k++) { re[offset + k * stride] = tmp[2 * k]; im[offset + k * stride] = tmp[2 * k + 1]; }
  }
}

const plans = new Map<number, FftPlan>();
function plan(n: number): FftPlan {
  let p = plans.get(n);
  if (!p) { p = new FftPlan(n); plans.set(n, p); }
  return p;
}

function complexInput(re: NumericArray, im: NumericArray | null | undefined, length: number): ComplexArray {
  return {
    re: toFloat64(re, 're', length),
    im: im == null ? new Float64Array(length) : toFloat64(im, 'im', length),
  };
}

function transform1d(re: NumericArray, im: NumericArray | null | undefined, inverse: boolean): ComplexArray {
  const n = (re as ArrayLike<number>).length;
  checkInteger(n, 're.length', 1);
  const x = complexInput(re, im, n);
  plan(n).runStrided(x.re, x.im, 0, 1, inverse);
  return x;
}

/**
 * 1-D DFT of any length n >= 1 (numpy.fft.fft): X_k = Σ_j x_j exp(-2πi jk/n), unnormalised.
 * @param re real part, length n
 * @param im imaginary part (default 0)
 */
export function fft(re: NumericArray, im?: NumericArray | null): ComplexArray {
  return transform1d(re, im, false);
}

/** 1-D inverse DFT of any length (numpy.fft.ifft): x_j = (1/n) Σ_k X_k exp(+2πi jk/n). */
export function ifft(re: NumericArray, im?: NumericArray | null): ComplexArray {
  return transform1d(re, im, true);
}

function transform2d(re: NumericArray, im: NumericArray | null | undefined, rows: number, cols: number, inverse: boolean): ComplexArray {
  checkInteger(rows, 'rows', 1);
  checkInteger(cols, 'cols', 1);
  const x = complexInput(re, im, rows * cols);
  const pr = plan(cols), pc = plan(rows);
  for (let r = 0; r < rows; r++) pr.runStrided(x.re, x.im, r * cols, 1, inverse);
  for (let c = 0; c < cols; c++) pc.runStrided(x.re, x.im, c, cols, inverse);
  return x;
}

/**
 * 2-D DFT of a rows × cols row-major array (numpy.fft.fft2): unnormalised, any sizes.
 * Axis 0 (rows, y) and axis 1 (columns, x) use numpy's frequency layout (see {@link fftfreq}).
 * @param re real part, length rows*cols
 * @param im imaginary part, or null for a real input
 * @param rows number of rows
 * @param cols number of columns (default rows)
 */
export function fft2d(re: NumericArray, im: NumericArray | null, rows: number, cols = rows): ComplexArray {
  return transform2d(re, im, rows, cols, false);
}

/** 2-D inverse DFT (numpy.fft.ifft2), normalised by 1/(rows·cols). */
export function ifft2d(re: NumericArray, im: NumericArray | null, rows: number, cols = rows): ComplexArray {
  return transform2d(re, im, rows, cols, true);
}

/**
 * Sample frequencies of a length-n DFT in cycles per unit of `d` (numpy.fft.fftfreq):
 * [0, 1, ..., ⌈n/2⌉-1, -⌊n/2⌋, ..., -1] / (d·n). For even n the Nyquist entry is -1/(2d).
 */
export function fftfreq(n: number, d = 1): Float64Array {
  checkInteger(n, 'n', 1);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = (i <= (n - 1) / 2 ? i : i - n) / (d * n);
  return out;
}
