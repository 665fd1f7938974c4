/**
 * Image-quality numbers for reconstructed convergence maps, as used to compare mass-mapping
 * methods (Whitney et al. 2024, MMGAN: RMSE, Pearson correlation, PSNR, SSIM; coverage of the
 * posterior credible intervals). Pure float64 functions of row-major maps; bad input throws an
 * Error naming the field. Pearson correlation is core's `pearson`.
 */
import { toFloat64, type NumericArray } from '../../../core/index.js';

function pair(truth: NumericArray, estimate: NumericArray): [Float64Array, Float64Array] {
  const t = toFloat64(truth, 'truth');
  if (t.length < 1) throw new Error('truth: expected at least 1 pixel, got an empty array');
  return [t, toFloat64(estimate, 'estimate', t.length)];
}

/**
 * Root-mean-square error sqrt(mean((truth - estimate)²)), in the units of the maps (κ is
 * dimensionless).
 */
export function rmse(truth: NumericArray, estimate: NumericArray): number {
  const [t, e] = pair(truth, estimate);
  let s = 0;
  for (let i = 0; i < t.length; i++) s += (t[i] - e[i]) ** 2;
  return Math.sqrt(s / t.length);
}

/** The peak-to-peak range max(truth) - min(truth): the default `dataRange` of PSNR and SSIM. */
export function dataRangeOf(truth: NumericArray): number {
  const t = toFloat64(truth, 'truth');
  let lo = Infinity, hi = -Infinity;
  for (const v of t) { if (v < lo) lo = v; if (v > hi) hi = v; }
  return hi - lo;
}

function checkRange(r: number): number {
  if (!(Number.isFinite(r) && r > 0)) throw new Error(`dataRange: expected a number > 0, got ${r}`);
  return r;
}

/**
 * Peak signal-to-noise ratio in dB, 10·log10(R² / MSE), as skimage.metrics.peak_signal_noise_ratio
 * with `data_range = R`. Default R = max(truth) - min(truth) (skimage's own default for float
 * images is the dtype range, meaningless for κ maps). MSE = 0 gives +Infinity.
 */
export function psnr(truth: NumericArray, estimate: NumericArray, dataRange?: number): number {
  const [t, e] = pair(truth, estimate);
  const r = checkRange(dataRange ?? dataRangeOf(t));
  let s = 0;
  for (let i = 0; i < t.length; i++) s += (t[i] - e[i]) ** 2;
  return 10 * Math.log10((r * r) / (s / t.length));
}

/** Options of {@link ssim}. */
export interface SsimOptions {
  /** R in C1 = (K1 R)², C2 = (K2 R)². Default max(truth) - min(truth). */
  dataRange?: number;
  /** Side of the square uniform window (odd, >= 3). Default 7. */
  winSize?: number;
  /** Default 0.01. */
  k1?: number;
  /** Default 0.03. */
  k2?: number;
}

/**
 * Mean structural similarity (Wang et al. 2004), with the defaults of
 * skimage.metrics.structural_similarity(truth, estimate, data_range=R) (gaussian_weights=False,
 * use_sample_covariance=True): local means, variances and covariance over a w × w uniform window
 * (w = 7), variances scaled by w²/(w² - 1), per-pixel
 *   S = (2 μx μy + C1)(2 σxy + C2) / ((μx² + μy² + C1)(σx² + σy² + C2)),
 * averaged over the pixels at least (w-1)/2 from the border (skimage crops that margin, so the
 * boundary mode of the filter never matters).
 * @param truth rows × cols reference map, row-major
 * @param estimate the map to score, same size
 * @param rows number of rows
 * @param cols number of columns (default `rows`)
 */
export function ssim(truth: NumericArray, estimate: NumericArray, rows: number, cols = rows, options: SsimOptions = {}): number {
  const [x, y] = pair(truth, estimate);
  if (!Number.isInteger(rows) || rows < 1 || !Number.isInteger(cols) || cols < 1 || rows * cols !== x.length) {
    throw new Error(`rows, cols: expected positive integers with rows·cols = ${x.length} pixels, got ${rows} x ${cols}`);
  }
  const w = options.winSize ?? 7;
  if (!Number.isInteger(w) || w < 3 || w % 2 === 0) throw new Error(`winSize: expected an odd integer >= 3, got ${w}`);
  if (rows < w || cols < w) throw new Error(`rows, cols: expected a map at least winSize = ${w} pixels on each side, got ${rows} x ${cols}`);
  const r = checkRange(options.dataRange ?? dataRangeOf(x));
  const c1 = ((options.k1 ?? 0.01) * r) ** 2, c2 = ((options.k2 ?? 0.03) * r) ** 2;
  const np = w * w, covNorm = np / (np - 1), pad = (w - 1) / 2;
  let sum = 0, count = 0;
  for (let i = pad; i < rows - pad; i++) {
    for (let j = pad; j < cols - pad; j++) {
      let mx = 0, my = 0, mxx = 0, myy = 0, mxy = 0;
      for (let a = -pad; a <= pad; a++) {
        const o = (i + a) * cols + j;
        for (let b = -pad; b <= pad; b++) {
          const u = x[o + b], v = y[o + b];
          mx += u; my += v; mxx += u * u; myy += v * v; mxy += u * v;
        }
      }
      mx /= np; my /= np; mxx /= np; myy /= np; mxy /= np;
      const vx = covNorm * (mxx - mx * mx), vy = covNorm * (myy - my * my), vxy = covNorm * (mxy - mx * my);
      sum += ((2 * mx * my + c1) * (2 * vxy + c2)) / ((mx * mx + my * my + c1) * (vx + vy + c2));
      count++;
    }
  }
  return sum / count;
}

/**
 * Empirical coverage of the ±kσ intervals of a posterior: the fraction of pixels whose true value
 * lies within [mean - k·std, mean + k·std] (inclusive). For a calibrated Gaussian posterior the
 * expectation is erf(k/√2): 0.683 at k = 1, 0.954 at k = 2.
 * @param truth true map
 * @param mean posterior mean, same size
 * @param std posterior standard deviation per pixel (>= 0), same size
 * @param k interval half-width in units of std (> 0)
 */
export function coverage(truth: NumericArray, mean: NumericArray, std: NumericArray, k: number): number {
  const [t, m] = pair(truth, mean);
  const s = toFloat64(std, 'std', t.length);
  if (!(Number.isFinite(k) && k > 0)) throw new Error(`k: expected a number > 0, got ${k}`);
  let inside = 0;
  for (let i = 0; i < t.length; i++) {
    if (s[i] < 0) throw new Error(`std[${i}]: expected a number >= 0, got ${s[i]}`);
    if (Math.abs(t[i] - m[i]) <= k * s[i]) inside++;
  }
  return inside / t.length;
}
