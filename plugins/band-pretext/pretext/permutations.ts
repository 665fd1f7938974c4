/**
 * Channel-order pretext task (Liang et al. 2021, supplement S1.1): shuffle the channels of a
 * multi-band image and predict the permutation. A permutation of n channels is labelled by its
 * rank in lexicographic order (Lehmer code), 0 .. n! - 1: the identity is 0 and the reversal
 * n! - 1. Convention: the shuffled image's channel k holds the original channel `perm[k]`.
 */

/** n! for 0 <= n <= 12 (exact in float64). */
export function factorial(n: number): number {
  if (!Number.isInteger(n) || n < 0 || n > 12) throw new Error(`factorial: expected an integer in [0, 12], got ${n}`);
  let f = 1;
  for (let k = 2; k <= n; k++) f *= k;
  return f;
}

/** Throws unless `perm` is a permutation of 0..n-1; the message names the field. */
export function checkPermutation(perm: readonly number[], field = 'perm'): void {
  const seen = new Set<number>();
  for (const p of perm) {
    if (!Number.isInteger(p) || p < 0 || p >= perm.length || seen.has(p)) {
      throw new Error(`${field}: expected a permutation of 0..${perm.length - 1}, got [${perm.join(', ')}]`);
    }
    seen.add(p);
  }
}

/** Lexicographic rank (0-based) of a permutation of 0..n-1. */
export function permutationIndex(perm: readonly number[]): number {
  checkPermutation(perm);
  const n = perm.length;
  let index = 0;
  for (let i = 0; i < n; i++) {
    let smaller = 0;
    for (let j = i + 1; j < n; j++) if (perm[j] < perm[i]) smaller++;
    index += smaller * factorial(n - 1 - i);
  }
  return index;
}

/** The permutation of 0..n-1 with lexicographic rank `index` (inverse of `permutationIndex`). */
export function permutationFromIndex(index: number, n: number): number[] {
  const total = factorial(n);
  if (!Number.isInteger(index) || index < 0 || index >= total) {
    throw new Error(`permutation index: expected an integer in [0, ${total - 1}], got ${index}`);
  }
  const pool = Array.from({ length: n }, (_, k) => k);
  const out: number[] = [];
  let rest = index;
  for (let i = n - 1; i >= 0; i--) {
    const f = factorial(i);
    const d = Math.floor(rest / f);
    rest -= d * f;
    out.push(pool.splice(d, 1)[0]);
  }
  return out;
}

/**
 * Shuffle the channels of an H x W x C image (channels last): output channel k = input channel
 * `perm[k]`. Returns a new array.
 */
export function permuteChannels(image: Float32Array, perm: readonly number[]): Float32Array {
  checkPermutation(perm);
  const c = perm.length;
  if (image.length % c !== 0) throw new Error(`image: expected a multiple of ${c} values (channels last), got ${image.length}`);
  const out = new Float32Array(image.length);
  for (let i = 0; i < image.length; i += c) for (let k = 0; k < c; k++) out[i + k] = image[i + perm[k]];
  return out;
}
