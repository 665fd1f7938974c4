import { checkInteger, checkNumber, type NumericArray, toFloat64 } from '../stats/numeric-input.js';

/** How the map is extended beyond its edges (scipy.ndimage names). */
export type BoundaryMode = 'reflect' | 'mirror' | 'nearest' | 'wrap' | 'constant';

/** Options of {@link gaussianSmooth}. */
export interface GaussianSmoothOptions {
  /** Boundary extension (default 'reflect': d c b a | a b c d | d c b a). 'wrap' is periodic. */
  mode?: BoundaryMode;
  /** Kernel half-width in units of sigma (default 4.0); radius = ⌊truncate·sigma + 0.5⌋. */
  truncate?: number;
  /** Value outside the map for mode 'constant' (default 0). */
  cval?: number;
}

const MODES: BoundaryMode[] = ['reflect', 'mirror', 'nearest', 'wrap', 'constant'];

/** Map an out-of-range index onto [0, n) for the given mode; -1 means "use cval". */
function extendIndex(i: number, n: number, mode: BoundaryMode): number {
  if (i >= 0 && i < n) return i;
  switch (mode) {
    case 'nearest': return i < 0 ? 0 : n - 1;
    case 'wrap': return ((i % n) + n) % n;
    case 'constant': return -1;
    case 'reflect': {
      const p = 2 * n;
      const r = ((i % p) + p) % p;
      return r < n ? r : p - 1 - r;
    }
    case 'mirror': {
      if (n === 1) return 0;
      const p = 2 * n - 2;
      const r = ((i % p) + p) % p;
      return r < n ? r : p - r;
    }
  }
}

/**
 * The normalised, point-sampled 1-D Gaussian kernel of scipy.ndimage.gaussian_filter1d: taps
 * w_k ∝ exp(-k² / (2σ²)) for k = -r..r summing to 1, with radius r = ⌊truncate·σ + 0.5⌋ (scipy's
 * rule) unless `radius` is given. σ <= 0 gives a delta (r taps of 0 either side of a 1). The one
 * Gaussian kernel of the project: smoothing, the SimSiam blur and the Gaussian PSF use it.
 */
export function gaussianKernel1d(sigma: number, truncate = 4.0, radius?: number): Float64Array {
  const r = radius ?? (sigma > 0 ? Math.floor(truncate * sigma + 0.5) : 0);
  if (!Number.isInteger(r) || r < 0) throw new Error(`gaussianKernel1d radius: expected an integer >= 0, got ${r}`);
  const w = new Float64Array(2 * r + 1);
  if (!(sigma > 0)) { w[r] = 1; return w; }
  let s = 0;
  for (let x = -r; x <= r; x++) {
    const v = Math.exp((-0.5 * x * x) / (sigma * sigma));
    w[x + r] = v;
    s += v;
  }
  for (let i = 0; i < w.length; i++) w[i] /= s;
  return w;
}

function smoothLines(src: Float64Array, dst: Float64Array, count: number, len: number, lineStride: number,
  step: number, w: Float64Array, mode: BoundaryMode, cval: number): void {
  const radius = (w.length - 1) / 2;
  const line = new Float64Array(len + 2 * radius);
  for (let l = 0; l < count; l++) {
    const base = l * lineStride;
    for (let t = -radius; t < len + radius; t++) {
      const e = extendIndex(t, len, mode);
      line[t + radius] = e < 0 ? cval : src[base + e * step];
    }
    for (let t = 0; t < len; t++) {
      let s = 0;
      for (let q = 0; q < w.length; q++) s += w[q] * line[t + q];
      dst[base + t * step] = s;
    }
  }
}

/**
 * Gaussian smoothing of a 2-D map with a separable, point-sampled kernel, matching
 * scipy.ndimage.gaussian_filter(map, sigma, mode=mode, truncate=truncate, cval=cval): weights
 * exp(-x²/(2σ²)) for |x| <= ⌊truncate·σ + 0.5⌋, normalised to sum 1, applied along rows then
 * columns with the chosen boundary extension. Float64; O(rows·cols·σ).
 * @param map rows × cols values, row-major
 * @param rows number of rows
 * @param cols number of columns
 * @param sigma standard deviation in pixels, >= 0 (0 returns a copy)
 * @param options boundary mode (default 'reflect'), truncate (default 4), cval (default 0)
 */
export function gaussianSmooth(map: NumericArray, rows: number, cols: number, sigma: number, options: GaussianSmoothOptions = {}): Float64Array {
  checkInteger(rows, 'rows', 1);
  checkInteger(cols, 'cols', 1);
  checkNumber(sigma, 'sigma', (v) => v >= 0, 'a number >= 0 (pixels)');
  const mode = options.mode ?? 'reflect';
  if (!MODES.includes(mode)) throw new Error(`mode: expected one of ${MODES.join('|')}, got ${JSON.stringify(mode)}`);
  const truncate = checkNumber(options.truncate ?? 4.0, 'truncate', (v) => v > 0, 'a number > 0');
  const cval = checkNumber(options.cval ?? 0, 'cval', () => true, 'a finite number');
  const x = toFloat64(map, 'map', rows * cols);
  if (sigma === 0) return x;
  const w = gaussianKernel1d(sigma, truncate);
  const tmp = new Float64Array(rows * cols);
  const out = new Float64Array(rows * cols);
  // scipy filters axis 0 first, then axis 1; the order only changes rounding.
  smoothLines(x, tmp, cols, rows, 1, cols, w, mode, cval);
  smoothLines(tmp, out, rows, cols, cols, 1, w, mode, cval);
  return out;
}
