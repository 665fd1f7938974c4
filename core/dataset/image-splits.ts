import { LensforgeError } from '../errors.js';
import { Rng } from '../tensor/rng.js';

/**
 * Divide items 0..n-1 into named splits by fractions: a seeded shuffle (Rng.fromSeed(seed)),
 * then consecutive runs of round(cumulative fraction × n) items; each split's indices sorted.
 * Disjoint; complete when the fractions sum to 1.
 */
export function splitByFraction(n: number, fractions: Record<string, number>, seed: number): Map<string, number[]> {
  const names = Object.keys(fractions);
  const sum = names.reduce((a, k) => a + fractions[k], 0);
  if (sum > 1 + 1e-9) throw new LensforgeError(`data.split.fractions: the fractions sum to ${sum}; expected at most 1`);
  const order = Rng.fromSeed(seed).derive('image-split').shuffle(Array.from({ length: n }, (_, i) => i));
  const out = new Map<string, number[]>();
  let cum = 0, start = 0;
  names.forEach((name, k) => {
    cum += fractions[name];
    const end = k === names.length - 1 && Math.abs(sum - 1) < 1e-9 ? n : Math.min(n, Math.round(cum * n));
    out.set(name, order.slice(start, end).sort((a, b) => a - b));
    start = end;
  });
  return out;
}
