import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { withBackend } from '../with-backend.js';
import { BATCH_NORM_GRAD, RELU_GRAD, SQUARE_GRAD } from './native-gradients.js';
import { TEST_SEED, expectClose, expectNative, onBoth, randArray, requireNative, testRng } from './native-test-util.js';

const size = (s: number[]): number => s.reduce((a, b) => a * b, 1);

describe(`native fused gradients vs tfjs-core's (seed ${TEST_SEED})`, function () {
  before(async function () { await requireNative(this); });

  it('Relu and LeakyRelu gradients (one fused kernel) match', async () => {
    const rng = testRng('relu');
    for (let i = 0; i < 10; i++) {
      const shape = Array.from({ length: rng.int(1, 5) }, () => rng.int(1, 8));
      const x = randArray(rng, size(shape)), g = randArray(rng, size(shape));
      const alpha = rng.uniform(0.01, 0.5);
      const label = `[${shape}] alpha=${alpha.toFixed(3)}`;
      const r = await onBoth(() => {
        const xt = tf.tensor(x, shape), gt = tf.tensor(g, shape);
        return [tf.grad((u: tf.Tensor) => tf.sum(tf.mul(tf.relu(u), gt)))(xt),
          tf.grad((u: tf.Tensor) => tf.sum(tf.mul(tf.leakyRelu(u, alpha), gt)))(xt)];
      });
      expectClose(r, label);
      expectNative(r, RELU_GRAD, label);
    }
  });

  it('Square gradient (one fused dy*2x kernel) matches, bit for bit, on random shapes', async () => {
    const rng = testRng('square');
    for (let i = 0; i < 10; i++) {
      const shape = i === 0 ? [4, 64, 64, 20] : Array.from({ length: rng.int(1, 5) }, () => rng.int(1, 9)); // the first is above the shared-range threshold
      const x = randArray(rng, size(shape)), g = randArray(rng, size(shape));
      const label = `[${shape}]`;
      const r = await onBoth(() => tf.grad((u: tf.Tensor) => tf.sum(tf.mul(tf.square(u), tf.tensor(g, shape))))(tf.tensor(x, shape)));
      expectClose(r, label);
      expectNative(r, SQUARE_GRAD, label);
      const diff = r.native[0].values.findIndex((v, k) => v !== r.cpu[0].values[k]);
      expect(diff, `${label}: native dy*(2x) differs from tfjs-core's mul(dy, mul(x, 2)) at element ${diff}`).to.equal(-1);
    }
  });

  it('Mean and Sum gradients (broadcast instead of multiplying by ones) match', async () => {
    const rng = testRng('reduce');
    for (let i = 0; i < 10; i++) {
      const rank = rng.int(1, 5);
      const shape = Array.from({ length: rank }, () => rng.int(1, 7));
      const axes = Array.from({ length: rank }, (_, k) => k).filter(() => rng.random() < 0.5);
      if (axes.length === 0) axes.push(0);
      const x = randArray(rng, size(shape));
      const label = `[${shape}] axes=[${axes}]`;
      const r = await onBoth(() => {
        const xt = tf.tensor(x, shape);
        return [tf.grad((u: tf.Tensor) => tf.sum(tf.square(tf.mean(u, axes))))(xt),
          tf.grad((u: tf.Tensor) => tf.sum(tf.square(tf.sum(u, axes, true))))(xt)];
      });
      expectClose(r, label);
    }
  });

  it('batch-norm training (moments + batchNorm) gradients match, through the fused kernel', async () => {
    const rng = testRng('bn');
    const shape = [6, 5, 4, 3];
    const x = randArray(rng, size(shape)), g = randArray(rng, size(shape)), gamma = randArray(rng, 3), beta = randArray(rng, 3);
    const r = await onBoth(() => {
      const f = (u: tf.Tensor, s: tf.Tensor, o: tf.Tensor) => {
        const { mean, variance } = tf.moments(u, [0, 1, 2]);
        return tf.sum(tf.mul(tf.batchNorm(u, mean, variance, o, s, 1e-5), tf.tensor(g, shape)));
      };
      return tf.grads(f)([tf.tensor(x, shape), tf.tensor1d(gamma), tf.tensor1d(beta)]);
    });
    expectClose(r, 'moments + batchNorm grads');
    expectNative(r, BATCH_NORM_GRAD, 'moments + batchNorm grads');
  });

  it('second-order gradients (gradient penalty through LeakyRelu, Relu, Mean and batch norm) match', async () => {
    // WGAN-GP differentiates ||∂D/∂x||: the backward pass is recorded on a tape, so the fused
    // kernels (which have no gradients) must give way to tfjs-core's differentiable gradients.
    // tfjs 4.22 has no gradient for Greater (used by LeakyRelu's gradient); the gan plugin
    // registers the zero gradient (registerComparisonGradients), so do the same here.
    if (!tf.getGradient('Greater')) {
      tf.registerGradient({ kernelName: 'Greater', inputsToSave: ['a', 'b'], gradFunc: (_dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => ({ a: () => tf.zerosLike(saved[0]), b: () => tf.zerosLike(saved[1]) }) });
    }
    const rng = testRng('double-backprop');
    const shape = [4, 3, 5];
    const x = randArray(rng, size(shape)), w = randArray(rng, size(shape)), gamma = randArray(rng, 5);
    const r = await onBoth(() => {
      const wt = tf.tensor(w, shape), gt = tf.tensor1d(gamma);
      // s is a critic weight after the batch norm (before it, the norm would cancel it and its
      // gradient would be ~0, i.e. rounding noise).
      const critic = (u: tf.Tensor, s: tf.Tensor) => {
        const { mean, variance } = tf.moments(u, [0, 1]);
        const h = tf.leakyRelu(tf.mul(tf.batchNorm(tf.mul(u, wt), mean, variance, tf.zerosLike(gt), gt, 1e-5), s), 0.2);
        return tf.mean(tf.relu(tf.add(h, tf.mul(h, h))));
      };
      const penalty = (u: tf.Tensor, s: tf.Tensor) => {
        const g = tf.grad((v: tf.Tensor) => critic(v, s))(u);
        return tf.mean(tf.square(tf.sub(tf.sqrt(tf.sum(tf.square(g))), 1)));
      };
      return tf.grads(penalty)([tf.tensor(x, shape), tf.scalar(1.3)]);
    });
    expectClose(r, 'gradient of a gradient norm');
  });

  it('the cpu backend keeps tfjs-core\'s own gradients (no fused kernel exists there)', async () => {
    await withBackend('cpu', () => {
      expect(tf.getKernel(RELU_GRAD, 'cpu')).to.equal(undefined);
      const g = tf.grad((u: tf.Tensor) => tf.sum(tf.relu(u)))(tf.tensor1d([-1, 2]));
      expect(Array.from(g.dataSync())).to.deep.equal([0, 1]);
    });
  });
});
