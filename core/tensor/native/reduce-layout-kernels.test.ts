import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../rng.js';
import { reductionView } from './reduce-kernels.js';
import { TEST_SEED, expectClose, expectNative, onBoth, randArray, requireNative, testRng } from './native-test-util.js';

const size = (s: number[]): number => s.reduce((a, b) => a * b, 1);
const randShape = (rng: Rng, rank: number, maxDim = 7): number[] => Array.from({ length: rank }, () => rng.int(1, maxDim));

describe('reductionView (pure)', () => {
  it('views contiguous axis blocks as [outer, red, inner] and rejects split blocks', () => {
    expect(reductionView([32, 8, 8, 16], [0, 1, 2])).to.deep.equal([1, 32 * 64, 16]);
    expect(reductionView([32, 8, 8, 16], [1, 2])).to.deep.equal([32, 64, 16]);
    expect(reductionView([4, 5], [1])).to.deep.equal([4, 5, 1]);
    expect(reductionView([4, 1, 5], [0, 2])).to.deep.equal([1, 20, 1]); // size-1 axis in between is ignored
    expect(reductionView([4, 3, 5], [0, 2])).to.equal(null);
  });
});

describe(`native reduction and layout kernels vs cpu (seed ${TEST_SEED})`, function () {
  before(async function () { await requireNative(this); });

  const reducers: [string, (x: tf.Tensor, axes: number[], keep: boolean) => tf.Tensor][] = [
    ['Sum', tf.sum], ['Mean', tf.mean], ['Max', tf.max], ['Min', tf.min], ['Prod', tf.prod],
  ];
  for (const [name, op] of reducers) {
    it(`${name} over random axis sets (contiguous: native; split: cpu fallback)`, async () => {
      const rng = testRng(`reduce:${name}`);
      for (let i = 0; i < 12; i++) {
        const rank = rng.int(1, 5);
        const shape = randShape(rng, rank, name === 'Prod' ? 4 : 9);
        const axes = Array.from({ length: rank }, (_, k) => k).filter(() => rng.random() < 0.5);
        if (axes.length === 0) axes.push(rng.int(0, rank));
        const keep = rng.random() < 0.5;
        const x = randArray(rng, size(shape), name === 'Prod' ? [0.5, 1.5] : undefined);
        const label = `${name} [${shape}] axes=[${axes}] keepDims=${keep}`;
        const r = await onBoth(() => op(tf.tensor(x, shape), axes, keep));
        expectClose(r, label);
        if (reductionView(shape, axes)) expectNative(r, name, label);
      }
    });
  }

  it('Sum over a large [N,H,W,C] tensor on axes [0,1,2] (threaded partial sums)', async () => {
    const rng = testRng('bigsum');
    const x = randArray(rng, 16 * 32 * 32 * 8);
    const r = await onBoth(() => [tf.sum(tf.tensor4d(x, [16, 32, 32, 8]), [0, 1, 2]), tf.mean(tf.tensor4d(x, [16, 32, 32, 8]), [1, 2]),
      tf.max(tf.tensor4d(x, [16, 32, 32, 8]))]);
    expectClose(r, 'big reductions');
  });

  it('Transpose with random permutations', async () => {
    const rng = testRng('transpose');
    for (let i = 0; i < 15; i++) {
      const shape = randShape(rng, rng.int(2, 6)); // tfjs clones rank <= 1 without a kernel
      const perm = rng.shuffle(Array.from({ length: shape.length }, (_, k) => k));
      const x = randArray(rng, size(shape));
      const r = await onBoth(() => tf.transpose(tf.tensor(x, shape), perm));
      expectClose(r, `Transpose [${shape}] perm=[${perm}]`);
      expectNative(r, 'Transpose', `Transpose [${shape}]`);
    }
  });

  it('Reverse over random axis sets (negative axes too), and its gradient', async () => {
    const rng = testRng('reverse');
    for (let i = 0; i < 15; i++) {
      const shape = randShape(rng, rng.int(1, 6));
      const axes = Array.from({ length: shape.length }, (_, k) => k).filter(() => rng.random() < 0.5).map((k) => (rng.random() < 0.3 ? k - shape.length : k));
      if (axes.length === 0) axes.push(rng.int(0, shape.length));
      const x = randArray(rng, size(shape));
      const r = await onBoth(() => tf.reverse(tf.tensor(x, shape), axes));
      expectClose(r, `Reverse [${shape}] axes=[${axes}]`);
      expectNative(r, 'Reverse', `Reverse [${shape}] axes=[${axes}]`);
    }
    const x = randArray(rng, 2 * 5 * 4 * 3);
    const w = randArray(rng, 2 * 5 * 4 * 3);
    const g = await onBoth(() => tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.reverse(t, [1, 2]), tf.tensor(w, [2, 5, 4, 3]))))(tf.tensor(x, [2, 5, 4, 3])));
    expectClose(g, 'Reverse gradient');
  });

  it('Tile with random repetitions', async () => {
    const rng = testRng('tile');
    for (let i = 0; i < 15; i++) {
      const shape = randShape(rng, rng.int(1, 5), 5);
      const reps = shape.map(() => rng.int(1, 4));
      const x = randArray(rng, size(shape));
      const r = await onBoth(() => tf.tile(tf.tensor(x, shape), reps));
      expectClose(r, `Tile [${shape}] reps=[${reps}]`);
      expectNative(r, 'Tile', `Tile [${shape}]`);
    }
  });

  it('Slice and PadV2 (and their gradients) with random bounds', async () => {
    const rng = testRng('slicepad');
    for (let i = 0; i < 15; i++) {
      const shape = randShape(rng, rng.int(1, 5), 8);
      const begin = shape.map((d) => rng.int(0, d));
      const sz = shape.map((d, k) => (rng.random() < 0.2 ? -1 : rng.int(1, d - begin[k] + 1)));
      const pads = shape.map(() => [rng.int(0, 3), rng.int(0, 3)] as [number, number]);
      const value = rng.random() < 0.5 ? 0 : rng.normal();
      const x = randArray(rng, size(shape));
      const label = `[${shape}] begin=[${begin}] size=[${sz}] pads=${JSON.stringify(pads)} value=${value.toFixed(3)}`;
      const r = await onBoth(() => {
        const t = tf.tensor(x, shape);
        const g = tf.grad((u: tf.Tensor) => tf.sum(tf.square(tf.pad(tf.slice(u, begin, sz), pads, value))))(t);
        return [tf.slice(t, begin, sz), tf.pad(t, pads, value), g];
      });
      expectClose(r, label);
      expectNative(r, 'Slice', label);
      expectNative(r, 'PadV2', label);
    }
  });

  it('Concat and SplitV along random axes', async () => {
    const rng = testRng('concat');
    for (let i = 0; i < 15; i++) {
      const rank = rng.int(1, 5);
      const base = randShape(rng, rank);
      const axis = rng.int(0, rank);
      const parts = Array.from({ length: rng.int(2, 5) }, () => { const s = base.slice(); s[axis] = rng.int(1, 5); return s; });
      const xs = parts.map((s) => randArray(rng, size(s)));
      const sizes = parts.map((s) => s[axis]);
      const label = `Concat parts=${JSON.stringify(parts)} axis=${axis}`;
      const r = await onBoth(() => {
        const c = tf.concat(parts.map((s, k) => tf.tensor(xs[k], s)), axis);
        return [c, ...tf.split(c, sizes, axis)];
      });
      expectClose(r, label);
      expectNative(r, 'Concat', label);
      expectNative(r, 'SplitV', label);
    }
  });
});
