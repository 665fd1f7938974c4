/**
 * Test helpers: loads the lenstronomy reference fixtures kept in the repository
 * (`core/testing/fixtures/`, see its README), and compares arrays with clear failure messages.
 */
import { loadReferenceFixture } from '../../../core/index.js';

/** Reads and parses the reference fixture `<name>` (e.g. `lens_models.json`). */
export function loadFixture<T = any>(name: string): T { // eslint-disable-line @typescript-eslint/no-explicit-any
  return loadReferenceFixture<T>(name);
}

/**
 * Largest |a - b| / max(|b|, floor) over two arrays; reports the index of the worst element.
 * The fixtures are rounded to 7 significant digits, so ~5e-7 is their resolution.
 */
export function maxRelativeError(a: ArrayLike<number>, b: ArrayLike<number>, floor = 1e-3): { err: number; at: number } {
  if (a.length !== b.length) throw new Error(`length mismatch: ${a.length} vs ${b.length}`);
  let err = 0, at = -1;
  for (let i = 0; i < a.length; i++) {
    const e = Math.abs(a[i] - b[i]) / Math.max(Math.abs(b[i]), floor);
    if (!(e <= err)) { err = e; at = i; }
  }
  return { err, at };
}

/** Largest |a - b|. */
export function maxAbsError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length mismatch: ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) { const e = Math.abs(a[i] - b[i]); if (!(e <= m)) m = e; }
  return m;
}
