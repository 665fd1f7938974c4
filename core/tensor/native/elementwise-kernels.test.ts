import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../rng.js';
import { TEST_SEED, expectClose, expectNative, onBoth, randArray, requireNative, testRng } from './native-test-util.js';

const size = (s: number[]): number => s.reduce((a, b) => a * b, 1);

function randShape(rng: Rng, rank: number, maxDim = 7): number[] {
  return Array.from({ length: rank }, () => rng.int(1, maxDim));
}

/** Two shapes that broadcast against each other (random size-1 axes and rank difference). */
function broadcastPair(rng: Rng): [number[], number[]] {
  const out = randShape(rng, rng.int(0, 5));
  const a = out.map((d) => (rng.random() < 0.3 ? 1 : d));
  let b = out.map((d) => (rng.random() < 0.3 ? 1 : d));
  b = b.slice(rng.int(0, b.length + 1));
  return rng.random() < 0.5 ? [a, b] : [b, a];
}

describe(`native elementwise kernels vs cpu (seed ${TEST_SEED})`, function () {
  before(async function () { await requireNative(this); });

  const unary: [string, (x: tf.Tensor) => tf.Tensor, [number, number]?][] = [
    ['Neg', tf.neg], ['Abs', tf.abs], ['Square', tf.square], ['Sqrt', tf.sqrt, [0.01, 5]], ['Rsqrt', tf.rsqrt, [0.01, 5]],
    ['Exp', tf.exp], ['Log', tf.log, [0.01, 5]], ['Log1p', tf.log1p, [-0.9, 5]], ['Relu', tf.relu], ['Relu6', (x) => tf.relu6(tf.mul(x, 4))],
    ['LeakyRelu', (x) => tf.leakyRelu(x, 0.13)], ['Elu', tf.elu], ['Sigmoid', tf.sigmoid], ['Tanh', tf.tanh],
    ['Step', (x) => tf.step(x, 0.25)], ['Floor', (x) => tf.floor(tf.mul(x, 3))], ['Ceil', (x) => tf.ceil(tf.mul(x, 3))],
    ['Reciprocal', tf.reciprocal, [0.1, 4]], ['Softplus', (x) => tf.softplus(tf.mul(x, 10))],
    ['ClipByValue', (x) => tf.clipByValue(x, -0.5, 0.7)], ['Sign', tf.sign], ['Expm1', tf.expm1],
  ];

  for (const [name, op, range] of unary) {
    it(`${name} on random shapes`, async () => {
      const rng = testRng(`unary:${name}`);
      for (let i = 0; i < 4; i++) {
        const shape = randShape(rng, rng.int(0, 5), 9);
        const x = randArray(rng, size(shape), range);
        const r = await onBoth(() => op(tf.tensor(x, shape)));
        expectClose(r, `${name} [${shape}]`);
        expectNative(r, name, `${name} [${shape}]`);
      }
    });
  }

  const binary: [string, (a: tf.Tensor, b: tf.Tensor) => tf.Tensor][] = [
    ['Add', tf.add], ['Sub', tf.sub], ['Multiply', tf.mul], ['RealDiv', tf.div], ['Maximum', tf.maximum],
    ['Minimum', tf.minimum], ['SquaredDifference', tf.squaredDifference], ['Pow', (a, b) => tf.pow(tf.abs(a), b)],
  ];

  for (const [name, op] of binary) {
    it(`${name} with random broadcasting, and its gradient`, async () => {
      const rng = testRng(`binary:${name}`);
      for (let i = 0; i < 12; i++) {
        const [as, bs] = broadcastPair(rng);
        const a = randArray(rng, size(as)), b = randArray(rng, size(bs), name === 'RealDiv' ? [0.5, 2] : undefined);
        const label = `${name} [${as}] [${bs}]`;
        // tfjs-core's Maximum/Minimum/SquaredDifference gradients do not reduce over broadcast
        // axes (they fail on every backend), so only the other ops are differentiated here.
        const withGrad = ['Add', 'Sub', 'Multiply', 'RealDiv'].includes(name);
        const r = await onBoth(() => {
          const at = tf.tensor(a, as), bt = tf.tensor(b, bs);
          if (!withGrad) return op(at, bt);
          return [op(at, bt), ...tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.square(op(x, y))))([at, bt])];
        });
        expectClose(r, label);
        expectNative(r, name, label);
      }
    });
  }

  const comparisons: [string, (a: tf.Tensor, b: tf.Tensor) => tf.Tensor][] = [
    ['Greater', tf.greater], ['GreaterEqual', tf.greaterEqual], ['Less', tf.less], ['LessEqual', tf.lessEqual],
    ['Equal', tf.equal], ['NotEqual', tf.notEqual],
  ];
  for (const [name, op] of comparisons) {
    it(`${name} (bool output) with random broadcasting and ties`, async () => {
      const rng = testRng(`compare:${name}`);
      for (let i = 0; i < 8; i++) {
        const [as, bs] = broadcastPair(rng);
        const ints = (n: number) => Float32Array.from({ length: n }, () => rng.int(-2, 3));
        const a = ints(size(as)), b = ints(size(bs));
        const label = `${name} [${as}] [${bs}]`;
        const r = await onBoth(() => tf.cast(op(tf.tensor(a, as), tf.tensor(b, bs)), 'float32'));
        expectClose(r, label);
        expectNative(r, name, label);
      }
    });
  }

  it('Cast: bool/int32 to float32 natively, same dtype shares storage, float32 to int32 on the cpu kernel', async () => {
    const rng = testRng('cast');
    const x = randArray(rng, 300, [-5, 5]);
    const r = await onBoth(() => {
      const t = tf.tensor1d(x);
      return [tf.cast(tf.greater(t, 0), 'float32'), tf.cast(tf.cast(t, 'int32'), 'float32'), tf.cast(t, 'float32')];
    });
    expectClose(r, 'casts');
    expect(r.stats.native.Cast, 'bool/int32 -> float32 and float32 -> float32 run natively').to.equal(3);
    expect(r.stats.fallback.Cast, 'float32 -> int32 uses the cpu kernel').to.equal(1);
  });

  it('a large broadcast (threaded path) matches cpu', async () => {
    const rng = testRng('large');
    const x = randArray(rng, 8 * 32 * 32 * 16), c = randArray(rng, 16);
    const r = await onBoth(() => [tf.mul(tf.tensor4d(x, [8, 32, 32, 16]), tf.tensor1d(c)),
      tf.sub(tf.tensor1d(c), tf.tensor4d(x, [8, 32, 32, 16])), tf.relu(tf.tensor4d(x, [8, 32, 32, 16]))]);
    expectClose(r, 'large broadcast');
  });
});
