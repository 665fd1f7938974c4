import * as tf from '@tensorflow/tfjs';
import { TEST_SEED, expectClose, expectNative, onBoth, randArray, requireNative, testRng } from './native-test-util.js';

describe(`native batch-norm and pooling kernels vs cpu (seed ${TEST_SEED})`, function () {
  before(async function () { await requireNative(this); });

  it('FusedBatchNorm (per-channel and scalar parameters) and its gradient', async () => {
    const rng = testRng('bn');
    for (let i = 0; i < 15; i++) {
      const rank = rng.int(2, 5);
      const shape = Array.from({ length: rank }, () => rng.int(1, 7));
      const C = shape[rank - 1];
      const n = shape.reduce((a, b) => a * b, 1);
      const x = randArray(rng, n), mean = randArray(rng, C), v = randArray(rng, C, [0.2, 2]);
      const off = randArray(rng, C), sc = randArray(rng, C), g = randArray(rng, n);
      const scalarScale = rng.random() < 0.3;
      const eps = rng.random() < 0.5 ? 1e-5 : 1e-3;
      const label = `[${shape}] scalarScale=${scalarScale} eps=${eps}`;
      const r = await onBoth(() => {
        const xt = tf.tensor(x, shape), mt = tf.tensor1d(mean), vt = tf.tensor1d(v), ot = tf.tensor1d(off);
        const st = scalarScale ? tf.tensor1d([sc[0]]) : tf.tensor1d(sc);
        const f = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor, d: tf.Tensor, e: tf.Tensor) =>
          tf.sum(tf.mul(tf.batchNorm(a, b, c, d, e, eps), tf.tensor(g, shape)));
        // tfjs-core's FusedBatchNorm gradient returns a per-channel scale gradient even for a
        // one-element scale (it fails on every backend), so that case is checked forward only.
        const y = tf.batchNorm(xt, mt, vt, ot, st, eps);
        return scalarScale ? y : [y, ...tf.grads(f)([xt, mt, vt, ot, st])];
      });
      expectClose(r, `FusedBatchNorm ${label}`);
      expectNative(r, 'FusedBatchNorm', label);
    }
  });

  it('MaxPool/AvgPool and their gradients: random windows, strides and paddings', async () => {
    const rng = testRng('pool');
    for (let i = 0; i < 30; i++) {
      const shape: [number, number, number, number] = [rng.int(1, 4), rng.int(2, 12), rng.int(2, 12), rng.int(1, 6)];
      const f: [number, number] = [rng.int(1, 4), rng.int(1, 4)];
      const s: [number, number] = [rng.int(1, 4), rng.int(1, 4)];
      const pad = rng.random() < 0.5 ? 'same' as const : 'valid' as const;
      if (pad === 'valid' && (f[0] > shape[1] || f[1] > shape[2])) continue;
      const x = randArray(rng, shape.reduce((a, b) => a * b, 1));
      const label = `x=[${shape}] filter=[${f}] strides=[${s}] ${pad}`;
      const r = await onBoth(() => {
        const xt = tf.tensor4d(x, shape);
        const gm = tf.grad((u: tf.Tensor) => tf.sum(tf.square(tf.maxPool(u as tf.Tensor4D, f, s, pad))))(xt);
        const ga = tf.grad((u: tf.Tensor) => tf.sum(tf.square(tf.avgPool(u as tf.Tensor4D, f, s, pad))))(xt);
        return [tf.maxPool(xt, f, s, pad), tf.avgPool(xt, f, s, pad), gm, ga];
      });
      expectClose(r, label);
      for (const k of ['MaxPool', 'AvgPool', 'MaxPoolGrad', 'AvgPoolGrad']) expectNative(r, k, label);
    }
  });
});
