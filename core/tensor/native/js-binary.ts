/**
 * JavaScript twins of the native binary ops for tiny same-shape operands (the addon call and, in
 * async mode, the queue round trip cost more than the loop). Whether a small op runs here or in
 * the addon depends on timing in async mode (native-async.ts: JavaScript may only read inputs
 * whose producing kernel has finished), so each twin must give the native kernel's float32
 * result bit for bit (src/elementwise.cc `bop`), or run-to-run results drift:
 * - Add, Sub, Multiply, RealDiv: one double operation on float32 inputs, rounded once to float32
 *   on store, equals the float32 operation (53 >= 2 x 24 + 2 bits: double rounding is exact);
 * - Maximum, Minimum: selections (NaN if either input is NaN), no rounding;
 * - SquaredDifference: the native kernel rounds the difference to float32 before squaring, so
 *   the twin does too (`Math.fround`); squaring that in double and rounding on store equals the
 *   float32 product. (The twin used to square the double difference, as the cpu backend does:
 *   it differed from native in about a third of random inputs, and async-mode runs differed
 *   from each other depending on which path each small op took.)
 * Pow has no twin: V8's Math.pow and the C library's powf round differently (measured: 32 in
 * 100,000 random inputs), so it always runs natively.
 */
import { BINARY } from './native-addon.js';

type BinaryName = keyof typeof BINARY;

/** Twin of each native binary op (by op code), or null where none is bit-identical. */
export const JS_BINARY: readonly (((a: number, b: number) => number) | null)[] = (() => {
  const byName: Record<BinaryName, ((a: number, b: number) => number) | null> = {
    Add: (a, b) => a + b,
    Sub: (a, b) => a - b,
    Multiply: (a, b) => a * b,
    RealDiv: (a, b) => a / b,
    Maximum: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : a > b ? a : b),
    Minimum: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : a < b ? a : b),
    SquaredDifference: (a, b) => { const d = Math.fround(a - b); return d * d; },
    Pow: null,
  };
  const table: (((a: number, b: number) => number) | null)[] = [];
  for (const [name, code] of Object.entries(BINARY)) table[code] = byName[name as BinaryName];
  return table;
})();
