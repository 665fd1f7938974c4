import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { withBackend } from '../with-backend.js';
import { BINARY } from './native-addon.js';
import type { NativeBackend } from './native-backend.js';
import { JS_BINARY } from './js-binary.js';
import { TEST_SEED, randArray, requireNative, testRng, withSyncAddon } from './native-test-util.js';

/** Indices where the float32 bits differ (two NaNs count as equal: their payloads are not specified). */
function bitDiffs(a: Float32Array, b: Float32Array): number[] {
  const ua = new Uint32Array(a.buffer, a.byteOffset, a.length), ub = new Uint32Array(b.buffer, b.byteOffset, b.length);
  const out: number[] = [];
  for (let i = 0; i < a.length; i++) if (ua[i] !== ub[i] && !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) out.push(i);
  return out;
}


describe(`JavaScript twins of the native binary ops (seed ${TEST_SEED})`, function () {
  before(async function () { await requireNative(this); });

  it('every twin gives the native kernel\'s float32 bits; Pow has none (always native)', async () => {
    const rng = testRng('js-binary');
    const n = 20000;
    const a = randArray(rng, n), b = randArray(rng, n, [-3, 3]);
    // Wide exponent spread (differences that are not float32-exact) and special values.
    for (let i = 0; i < n; i += 7) a[i] *= 2 ** rng.int(-30, 30);
    const special = [0, -0, Infinity, -Infinity, NaN, 1e-45, 3.4e38, -1];
    special.forEach((v, i) => special.forEach((w, j) => { a[i * special.length + j] = v; b[i * special.length + j] = w; }));
    const geo = Int32Array.from([1, n, 1, 1]);
    const mismatches: string[] = [];
    await withSyncAddon((addon) => {
      for (const [name, code] of Object.entries(BINARY)) {
        const twin = JS_BINARY[code];
        if (name === 'Pow') {
          expect(twin, 'Pow must not have a JavaScript twin').to.equal(null);
          continue;
        }
        expect(twin, `${name} twin`).to.be.a('function');
        const nat = new Float32Array(n), js = new Float32Array(n);
        addon.binary(code, a, b, nat, geo);
        for (let i = 0; i < n; i++) js[i] = twin!(a[i], b[i]);
        const d = bitDiffs(js, nat);
        if (d.length > 0) {
          const i = d[0];
          mismatches.push(`${name}: ${d.length}/${n} differ, e.g. (${a[i]}, ${b[i]}) -> js ${js[i]}, native ${nat[i]}`);
        }
      }
    });
    expect(mismatches, mismatches.join('; ')).to.deep.equal([]);
  });

  it('async mode: a small SquaredDifference/Pow gives the same bits whether its inputs are still queued or ready', async () => {
    // 100 Pow operand pairs where V8's Math.pow and the addon's powf round differently (about 1 in 3,000 random pairs).
    const powA = new Float32Array(100), powB = new Float32Array(100);
    await withSyncAddon((addon) => {
      const rng = testRng('js-binary-pow');
      const n = 65536, a = randArray(rng, n, [0.01, 10]), b = randArray(rng, n, [-4, 4]), o = new Float32Array(n);
      let found = 0;
      for (let round = 0; round < 20 && found < 100; round++) {
        for (let i = 0; i < n; i++) { a[i] = rng.uniform(0.01, 10); b[i] = rng.uniform(-4, 4); }
        addon.binary(BINARY.Pow, a, b, o, Int32Array.from([1, n, 1, 1]));
        for (let i = 0; i < n && found < 100; i++) {
          if (Math.fround(Math.pow(a[i], b[i])) !== o[i]) { powA[found] = a[i]; powB[found] = b[i]; found++; }
        }
      }
      expect(found, 'Pow operand pairs on which Math.pow and powf differ').to.equal(100);
    });
    await withBackend('native', () => {
      const backend = tf.backend() as NativeBackend;
      const wasAsync = backend.isAsync;
      backend.setAsync(true);
      try {
        const rng = testRng('js-binary-async');
        const A = tf.tensor2d(randArray(rng, 768 * 768), [768, 768]), B = tf.tensor2d(randArray(rng, 768 * 100), [768, 100]);
        const C = tf.tensor2d(randArray(rng, 768 * 100), [768, 100]);
        // [name, op, operand preparation (runs queued too)]
        const ops: [string, (x: tf.Tensor, y: tf.Tensor) => tf.Tensor, (x: tf.Tensor, y: tf.Tensor) => tf.Tensor[]][] = [
          ['SquaredDifference', tf.squaredDifference, (x, y) => [x, y]],
          // x * 0 + c: the constants, produced by queued kernels.
          ['Pow', tf.pow, (x, y) => [tf.add(tf.mul(x, 0), tf.tensor1d(powA)), tf.add(tf.mul(y, 0), tf.tensor1d(powB))]]];
        for (const [name, op, prep] of ops) {
          // Inputs produced by kernels queued behind matmuls (2 x 59 M multiply-adds per try,
          // more on a retry): still pending when the op runs, unless this thread was descheduled.
          let pending = false, first = new Float32Array(0), x: tf.Tensor | null = null, y: tf.Tensor | null = null;
          for (let attempt = 1; attempt <= 4 && !pending; attempt++) {
            tf.dispose([x, y].filter((t): t is tf.Tensor => t !== null));
            [x, y] = tf.tidy(() => {
              let p = tf.matMul(A, B), q = tf.matMul(A, C);
              for (let k = 1; k < attempt; k++) { p = tf.matMul(A, p); q = tf.matMul(A, q); }
              return prep(tf.sum(p, 0), tf.mean(q, 0));
            });
            const xv = backend.data.get(x.dataId)!.values as Float32Array, yv = backend.data.get(y.dataId)!.values as Float32Array;
            pending = !backend.jsReady([xv, yv], new Float32Array(1));
            const queued = op(x, y);
            first = Float32Array.from(queued.dataSync() as Float32Array);
            tf.dispose(queued);
            // Same inputs, now computed: JavaScript may read them.
            expect(backend.jsReady([xv, yv], new Float32Array(1)), `${name}: inputs ready after dataSync`).to.equal(true);
          }
          expect(pending, `${name}: the inputs were never still queued when the op ran (4 tries)`).to.equal(true);
          const again = Float32Array.from(op(x!, y!).dataSync() as Float32Array);
          const d = bitDiffs(first, again);
          expect(d.length, `${name}: ${d.length}/100 outputs differ between the queued and the ready run, ` +
            `e.g. index ${d[0]}: ${first[d[0]]} vs ${again[d[0]]}`).to.equal(0);
          tf.dispose([x!, y!]);
        }
        tf.dispose([A, B, C]);
      } finally {
        backend.setAsync(wasAsync);
      }
    });
  });
});
