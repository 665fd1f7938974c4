import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { withBackend } from '../with-backend.js';
import { nearestSourceIndex } from './resize-kernels.js';
import { TEST_SEED, expectClose, expectNative, onBoth, randArray, relErr, REL_TOL, requireNative, testRng } from './native-test-util.js';

type Mode = [boolean, boolean]; // [alignCorners, halfPixelCenters]
const MODES: Mode[] = [[false, false], [true, false], [false, true]];

describe('nearestSourceIndex (pure)', () => {
  it('maps 2x upsampling to repeated rows and follows alignCorners rounding', () => {
    expect(Array.from(nearestSourceIndex(2, 4, false, false))).to.deep.equal([0, 0, 1, 1]);
    expect(Array.from(nearestSourceIndex(3, 5, true, false))).to.deep.equal([0, 1, 1, 2, 2]); // round(0.5) = 1 as Math.round
    expect(Array.from(nearestSourceIndex(4, 2, false, true))).to.deep.equal([1, 3]);
  });
});

describe(`native nearest-neighbour resize vs cpu (seed ${TEST_SEED})`, function () {
  before(async function () { await requireNative(this); });

  it('ResizeNearestNeighbor forward: random sizes and modes', async () => {
    const rng = testRng('forward');
    for (let i = 0; i < 15; i++) {
      const shape: [number, number, number, number] = [rng.int(1, 4), rng.int(1, 9), rng.int(1, 9), rng.int(1, 5)];
      const size: [number, number] = [rng.int(1, 17), rng.int(1, 17)];
      const [ac, hpc] = MODES[i % MODES.length];
      const x = randArray(rng, shape.reduce((a, b) => a * b, 1));
      const label = `[${shape}] -> [${size}] alignCorners=${ac} halfPixelCenters=${hpc}`;
      const r = await onBoth(() => tf.image.resizeNearestNeighbor(tf.tensor4d(x, shape), size, ac, hpc));
      expectClose(r, label);
      expectNative(r, 'ResizeNearestNeighbor', label);
    }
  });

  it('gradient equals tfjs-cpu for batch 1 (where tfjs-cpu is correct)', async () => {
    const rng = testRng('grad1');
    for (let i = 0; i < 10; i++) {
      // H, W >= 2: with alignCorners and a 1-pixel input tfjs-cpu's gradient window is infinite.
      const shape: [number, number, number, number] = [1, rng.int(2, 7), rng.int(2, 7), rng.int(1, 4)];
      const size: [number, number] = [rng.int(1, 15), rng.int(1, 15)];
      const ac = i % 2 === 1;
      const x = randArray(rng, shape.reduce((a, b) => a * b, 1)), g = randArray(rng, shape[0] * size[0] * size[1] * shape[3]);
      const label = `[${shape}] -> [${size}] alignCorners=${ac}`;
      const r = await onBoth(() => tf.grad((u: tf.Tensor) => tf.sum(tf.mul(tf.image.resizeNearestNeighbor(u as tf.Tensor4D, size, ac),
        tf.tensor4d(g, [shape[0], size[0], size[1], shape[3]]))))(tf.tensor4d(x, shape)));
      expectClose(r, label);
      expectNative(r, 'ResizeNearestNeighborGrad', label);
    }
  });

  it('gradient is the adjoint of the forward map for any batch and mode (tfjs-cpu is not, for batch > 1)', async () => {
    const rng = testRng('gradN');
    for (let i = 0; i < 10; i++) {
      const shape: [number, number, number, number] = [rng.int(2, 4), rng.int(1, 7), rng.int(1, 7), rng.int(1, 4)];
      const size: [number, number] = [rng.int(1, 15), rng.int(1, 15)];
      const [ac, hpc] = MODES[i % MODES.length];
      const [N, H, W, C] = shape;
      const g = randArray(rng, N * size[0] * size[1] * C);
      // Reference: scatter-add dy through the forward index map.
      const rows = nearestSourceIndex(H, size[0], ac, hpc), cols = nearestSourceIndex(W, size[1], ac, hpc);
      const ref = new Float32Array(N * H * W * C);
      for (let n = 0; n < N; n++) for (let r = 0; r < size[0]; r++) for (let c = 0; c < size[1]; c++) for (let k = 0; k < C; k++) {
        ref[((n * H + rows[r]) * W + cols[c]) * C + k] += g[((n * size[0] + r) * size[1] + c) * C + k];
      }
      const got = await withBackend('native', () => tf.tidy(() => tf.grad((u: tf.Tensor) => tf.sum(tf.mul(
        tf.image.resizeNearestNeighbor(u as tf.Tensor4D, size, ac, hpc), tf.tensor4d(g, [N, size[0], size[1], C]))))(tf.zeros(shape)).dataSync()));
      const e = relErr(got, ref);
      expect(e, `[${shape}] -> [${size}] ac=${ac} hpc=${hpc} (seed ${TEST_SEED})`).to.be.at.most(REL_TOL);
    }
  });
});
