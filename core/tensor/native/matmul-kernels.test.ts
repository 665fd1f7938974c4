import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { withBackend } from '../with-backend.js';
import { TEST_SEED, expectClose, expectNative, onBoth, randArray, requireNative, testRng } from './native-test-util.js';

describe(`native matmul kernels vs cpu (seed ${TEST_SEED})`, function () {
  before(async function () { await requireNative(this); });

  it('BatchMatMul: 40 random shapes, transposes and batch broadcasts', async () => {
    const rng = testRng('matmul');
    for (let i = 0; i < 40; i++) {
      const M = rng.int(1, 20), N = rng.int(1, 20), K = rng.int(1, 20);
      const ta = rng.random() < 0.5, tb = rng.random() < 0.5;
      const batch = rng.int(1, 4);
      const mode = rng.int(0, 4); // 0: 2-D, 1: same batch, 2: a broadcast, 3: b broadcast
      const aBatch = mode === 0 ? [] : mode === 2 ? [1] : [batch];
      const bBatch = mode === 0 ? [] : mode === 3 ? [1] : [batch];
      const aShape = [...aBatch, ...(ta ? [K, M] : [M, K])], bShape = [...bBatch, ...(tb ? [N, K] : [K, N])];
      const a = randArray(rng, aShape.reduce((p, q) => p * q, 1)), b = randArray(rng, bShape.reduce((p, q) => p * q, 1));
      const label = `a=[${aShape}] b=[${bShape}] ta=${ta} tb=${tb}`;
      const r = await onBoth(() => tf.matMul(tf.tensor(a, aShape), tf.tensor(b, bShape), ta, tb));
      expectClose(r, `BatchMatMul ${label}`);
      expectNative(r, 'BatchMatMul', label);
    }
  });

  it('_FusedMatMul with bias and activations, and its gradients', async () => {
    const rng = testRng('fused');
    const acts = ['linear', 'relu', 'leakyrelu', 'relu6', 'elu', 'sigmoid'] as const;
    for (let i = 0; i < 24; i++) {
      const M = rng.int(1, 16), N = rng.int(1, 16), K = rng.int(1, 16);
      const ta = rng.random() < 0.5, tb = rng.random() < 0.5;
      const act = acts[i % acts.length];
      const a = randArray(rng, M * K), b = randArray(rng, K * N), bias = randArray(rng, N), g = randArray(rng, M * N);
      const label = `M=${M} N=${N} K=${K} ta=${ta} tb=${tb} ${act}`;
      const r = await onBoth(() => {
        const at = tf.tensor2d(a, ta ? [K, M] : [M, K]), bt = tf.tensor2d(b, tb ? [N, K] : [K, N]), biasT = tf.tensor1d(bias);
        const f = (x: tf.Tensor, y: tf.Tensor, z: tf.Tensor) => tf.sum(tf.mul(tf.fused.matMul({
          a: x as tf.Tensor2D, b: y as tf.Tensor2D, transposeA: ta, transposeB: tb, bias: z, activation: act, leakyreluAlpha: 0.3,
        }), tf.tensor2d(g, [M, N])));
        const y = tf.fused.matMul({ a: at, b: bt, transposeA: ta, transposeB: tb, bias: biasT, activation: act, leakyreluAlpha: 0.3 });
        return [y, ...tf.grads(f)([at, bt, biasT])];
      });
      expectClose(r, `_FusedMatMul ${label}`);
      expectNative(r, '_FusedMatMul', label);
    }
  });

  it('an inner-dimension mismatch still raises tfjs\' own error', async () => {
    await withBackend('native', () => {
      expect(() => tf.matMul(tf.ones([2, 3]), tf.ones([4, 2]))).to.throw(/inner shapes/);
    });
  });
});
