/**
 * Per-image preprocessing of images read from files (H x W x C, channels last, float32), applied
 * in this order: NaN policy, centre crop/pad to size, normalisation.
 */
import { LensforgeError } from '../errors.js';

export type NanPolicy = 'error' | 'zero' | 'median';
export type Normalization = 'none' | 'max' | 'asinh' | 'zscore' | 'percentile';

/** Median of the finite values of `a` (NaN when there are none). */
export function finiteMedian(a: ArrayLike<number>): number {
  const v: number[] = [];
  for (let i = 0; i < a.length; i++) if (Number.isFinite(a[i])) v.push(a[i]);
  if (!v.length) return NaN;
  v.sort((x, y) => x - y);
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

/** Linear-interpolated percentile (0..100) of the finite values (numpy's default 'linear'). */
export function percentile(sorted: readonly number[], p: number): number {
  if (!sorted.length) return NaN;
  const x = (p / 100) * (sorted.length - 1);
  const i = Math.floor(x), f = x - i;
  return i + 1 < sorted.length ? sorted[i] + f * (sorted[i + 1] - sorted[i]) : sorted[i];
}

/**
 * Replace NaN and ±Inf pixels: 'error' throws (naming `where` and the count), 'zero' sets 0,
 * 'median' sets the median of the finite pixels of the same channel. Returns the number replaced.
 */
export function applyNanPolicy(img: Float32Array, channels: number, policy: NanPolicy, where: string): number {
  let bad = 0;
  for (let i = 0; i < img.length; i++) if (!Number.isFinite(img[i])) bad++;
  if (!bad) return 0;
  if (policy === 'error') throw new LensforgeError(`${where}: ${bad} of ${img.length} pixels are NaN or infinite (BLANK pixels included); set data.nan: zero | median to replace them`);
  for (let c = 0; c < channels; c++) {
    let fill = 0;
    if (policy === 'median') {
      const ch: number[] = [];
      for (let i = c; i < img.length; i += channels) ch.push(img[i]);
      fill = finiteMedian(ch);
      if (Number.isNaN(fill)) fill = 0;
    }
    for (let i = c; i < img.length; i += channels) if (!Number.isFinite(img[i])) img[i] = fill;
  }
  return bad;
}

/** Centre crop and/or zero-pad an H x W x C image to outH x outW (odd differences put the extra pixel after). */
export function cropPad(img: Float32Array, h: number, w: number, c: number, outH: number, outW: number): Float32Array {
  if (h === outH && w === outW) return img;
  const out = new Float32Array(outH * outW * c);
  const dy = Math.trunc((h - outH) / 2), dx = Math.trunc((w - outW) / 2);
  for (let y = 0; y < outH; y++) {
    const sy = y + dy;
    if (sy < 0 || sy >= h) continue;
    for (let x = 0; x < outW; x++) {
      const sx = x + dx;
      if (sx < 0 || sx >= w) continue;
      for (let k = 0; k < c; k++) out[(y * outW + x) * c + k] = img[(sy * w + sx) * c + k];
    }
  }
  return out;
}

export interface NormalizeOptions {
  mode: Normalization;
  /** asinh: y = asinh(x / softening). */
  softening: number;
  /** percentile: clip to [lo, hi] percentiles, then map to [0, 1]. */
  percentiles: readonly [number, number];
  /** Normalise each channel on its own (default: the whole image at once). */
  perChannel: boolean;
}

/**
 * Normalise in place. 'max': x / max(x) as in LenSiam (left unchanged when max ≤ 0); 'asinh':
 * asinh(x / softening); 'zscore': (x - mean) / std (std 0 → 1); 'percentile': clip to the two
 * percentiles and scale to [0, 1].
 */
export function normalizeImage(img: Float32Array, channels: number, o: NormalizeOptions): void {
  if (o.mode === 'none') return;
  const groups = o.perChannel ? Array.from({ length: channels }, (_, c) => c) : [-1];
  for (const g of groups) {
    const idx = (fn: (i: number) => void) => {
      if (g < 0) for (let i = 0; i < img.length; i++) fn(i);
      else for (let i = g; i < img.length; i += channels) fn(i);
    };
    if (o.mode === 'asinh') { idx((i) => { img[i] = Math.asinh(img[i] / o.softening); }); continue; }
    if (o.mode === 'max') {
      let m = -Infinity;
      idx((i) => { if (img[i] > m) m = img[i]; });
      if (m > 0 && Number.isFinite(m)) idx((i) => { img[i] = img[i] / m; });
      continue;
    }
    if (o.mode === 'zscore') {
      let s = 0, n = 0;
      idx((i) => { s += img[i]; n++; });
      const mean = s / n;
      let v = 0;
      idx((i) => { v += (img[i] - mean) ** 2; });
      const sd = Math.sqrt(v / n) || 1;
      idx((i) => { img[i] = (img[i] - mean) / sd; });
      continue;
    }
    const vals: number[] = [];
    idx((i) => { vals.push(img[i]); });
    vals.sort((a, b) => a - b);
    const lo = percentile(vals, o.percentiles[0]), hi = percentile(vals, o.percentiles[1]);
    const span = hi - lo;
    idx((i) => { img[i] = span > 0 ? (Math.min(hi, Math.max(lo, img[i])) - lo) / span : 0; });
  }
}
