/**
 * Input handling shared by the numerics in `core/stats` and `core/signal`: every public function
 * accepts `Float32Array | Float64Array | number[]`, works in float64, and rejects bad input with
 * an Error naming the field, the value and what was expected.
 */

/** The array types every numeric function accepts. */
export type NumericArray = Float32Array | Float64Array | readonly number[];

function describe(x: unknown): string {
  if (Array.isArray(x)) return `an array of length ${x.length}`;
  if (ArrayBuffer.isView(x)) return `a ${x.constructor.name} of length ${(x as unknown as { length: number }).length}`;
  if (x === null) return 'null';
  return typeof x === 'number' ? String(x) : typeof x;
}

/** True for the accepted array types. */
export function isNumericArray(x: unknown): x is NumericArray {
  return Array.isArray(x) || x instanceof Float64Array || x instanceof Float32Array;
}

/**
 * Copy `x` into a new Float64Array, checking that it is an accepted array type, optionally of
 * length `length`, and that every entry is finite.
 * @param x the input array
 * @param field the name used in error messages (e.g. `yTrue`)
 * @param length the required length, if any
 */
export function toFloat64(x: unknown, field: string, length?: number): Float64Array {
  if (!isNumericArray(x)) {
    throw new Error(`${field}: expected a Float32Array, Float64Array or number[], got ${describe(x)}`);
  }
  if (length !== undefined && x.length !== length) {
    throw new Error(`${field}: expected length ${length}, got length ${x.length}`);
  }
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new Error(`${field}[${i}]: expected a finite number, got ${String(v)}`);
    }
    out[i] = v;
  }
  return out;
}

/** Throw unless `v` is an integer in [lo, hi]. */
export function checkInteger(v: unknown, field: string, lo: number, hi = Number.MAX_SAFE_INTEGER): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) {
    const range = hi === Number.MAX_SAFE_INTEGER ? `>= ${lo}` : `in [${lo}, ${hi}]`;
    throw new Error(`${field}: expected an integer ${range}, got ${describe(v)}`);
  }
  return v;
}

/** Throw unless `v` is a finite number satisfying `ok`; `expected` describes the condition. */
export function checkNumber(v: unknown, field: string, ok: (v: number) => boolean, expected: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || !ok(v)) {
    throw new Error(`${field}: expected ${expected}, got ${describe(v)}`);
  }
  return v;
}
