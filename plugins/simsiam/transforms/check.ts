/** Option and input checks shared by the augmentations; every message names the field. */
import type * as tf from '@tensorflow/tfjs';

/** Throws unless `x` is a float32 `[batch, H, W, C]` tensor. */
export function checkBatch(x: tf.Tensor, where: string): void {
  if (x.rank !== 4) throw new Error(`${where}.x: expected a [batch, H, W, C] tensor, got shape [${x.shape}]`);
  if (x.dtype !== 'float32') throw new Error(`${where}.x: expected dtype float32, got ${x.dtype}`);
}

/** Throws unless p is a probability. */
export function checkProb(field: string, p: unknown): number {
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw new Error(`${field}: expected a probability in [0, 1], got ${String(p)}`);
  return p;
}

/** Throws unless r is [lo, hi] with min <= lo <= hi <= max (min < lo when minExclusive). */
export function checkRange(field: string, r: unknown, min: number, max: number, minExclusive = false): [number, number] {
  if (!Array.isArray(r) || r.length !== 2 || typeof r[0] !== 'number' || typeof r[1] !== 'number'
      || !((minExclusive ? r[0] > min : r[0] >= min) && r[1] <= max && r[0] <= r[1])) {
    const lower = Number.isFinite(min) ? `${min} ${minExclusive ? '<' : '<='} ` : '';
    const bounds = `${lower}lo <= hi${Number.isFinite(max) ? ` <= ${max}` : ''}`;
    throw new Error(`${field}: expected [lo, hi] with ${bounds}, got ${JSON.stringify(r)}`);
  }
  return [r[0], r[1]];
}

/** Throws unless v is an integer >= min. */
export function checkInt(field: string, v: unknown, min = 1): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new Error(`${field}: expected an integer >= ${min}, got ${String(v)}`);
  return v;
}
