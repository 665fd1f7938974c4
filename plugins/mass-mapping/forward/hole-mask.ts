import type { Rng } from '../../../core/index.js';

/**
 * A survey mask with `holes` circular holes (bright stars, bad fields) of radius `radius`
 * pixels, centres uniform over the n × n map (periodic distances, matching the periodic
 * forward model). Returns 1 for observed pixels, 0 for masked ones (row-major).
 * @param n map side in pixels (integer >= 1)
 * @param holes number of holes (integer >= 0)
 * @param radius hole radius in pixels (> 0)
 * @param rng seeded stream for the centres (2 uniforms per hole)
 */
export function circularHoleMask(n: number, holes: number, radius: number, rng: Rng): Uint8Array {
  if (!Number.isInteger(n) || n < 1) throw new Error(`n: expected an integer >= 1, got ${n}`);
  if (!Number.isInteger(holes) || holes < 0) throw new Error(`maskHoles: expected an integer >= 0, got ${holes}`);
  if (!(Number.isFinite(radius) && radius > 0)) throw new Error(`maskHoleRadius: expected a number > 0 (pixels), got ${radius}`);
  const m = new Uint8Array(n * n).fill(1);
  for (let h = 0; h < holes; h++) {
    const cy = rng.uniform(0, n), cx = rng.uniform(0, n);
    for (let i = 0; i < n; i++) {
      const dy = Math.min(Math.abs(i + 0.5 - cy), n - Math.abs(i + 0.5 - cy));
      for (let j = 0; j < n; j++) {
        const dx = Math.min(Math.abs(j + 0.5 - cx), n - Math.abs(j + 0.5 - cx));
        if (dx * dx + dy * dy <= radius * radius) m[i * n + j] = 0;
      }
    }
  }
  return m;
}
