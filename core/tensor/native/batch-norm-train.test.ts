import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { BATCH_NORM_TRAIN, BATCH_NORM_TRAIN_GRAD, batchNormTrain, batchNormTrainingAvailable } from './batch-norm-train.js';
import { withBackend } from '../with-backend.js';
import { TEST_SEED, expectClose, expectNative, onBoth, randArray, requireNative, testRng, withSyncAddon } from './native-test-util.js';

const size = (s: number[]): number => s.reduce((a, b) => a * b, 1);
/** A random shape of `rank` axes: the last (channels) in [1, maxC], the others in [lo, hi]. */
const randShape = (rng: ReturnType<typeof testRng>, rank: number, lo: number, hi: number, maxC: number): number[] =>
  Array.from({ length: rank }, (_, k) => (k === rank - 1 ? rng.int(1, maxC + 1) : rng.int(lo, hi + 1)));

/** tfjs-layers' training-mode normalisation: tf.moments over all axes but the last, then tf.batchNorm. */
function reference(x: tf.Tensor, scale: tf.Tensor1D, offset: tf.Tensor1D, eps: number): [tf.Tensor, tf.Tensor, tf.Tensor] {
  const { mean, variance } = tf.moments(x, x.shape.slice(0, -1).map((_, i) => i));
  return [tf.batchNorm(x, mean, variance, offset, scale, eps), mean, variance];
}

/** The fused op on native, the reference ops on cpu (same inputs). */
const fusedOrReference = (x: tf.Tensor, scale: tf.Tensor1D, offset: tf.Tensor1D, eps: number) =>
  (batchNormTrainingAvailable() ? batchNormTrain(x, scale, offset, eps) : reference(x, scale, offset, eps));

describe(`fused training batch norm (LensforgeBatchNormTrain) vs tf.moments + tf.batchNorm on cpu (seed ${TEST_SEED})`, function () {
  before(async function () { await requireNative(this); });

  it('forward: output, batch mean and biased variance on random shapes (rank 1-4, up to 37 channels, one above the shared-range size)', async () => {
    const rng = testRng('bn-train-fwd');
    for (let i = 0; i < 12; i++) {
      const shape = i === 0 ? [4, 64, 64, 20] : randShape(rng, rng.int(1, 5), 1, 8, 37);
      const C = shape[shape.length - 1];
      const shift = rng.uniform(-3, 3), spread = rng.uniform(0.1, 4);
      const x = Float32Array.from(randArray(rng, size(shape)), (v) => shift + spread * v);
      const gamma = randArray(rng, C), beta = randArray(rng, C), eps = [1e-5, 1e-3][i % 2];
      const label = `[${shape}] eps=${eps}`;
      const r = await onBoth(() => fusedOrReference(tf.tensor(x, shape), tf.tensor1d(gamma), tf.tensor1d(beta), eps));
      expectClose(r, label);
      expectNative(r, BATCH_NORM_TRAIN, label);
    }
  });

  it('forward: the variance stays accurate for |mean| >> std (shifted double sums), against a float64 reference', async () => {
    const rng = testRng('bn-train-offset');
    const rows = 5000, C = 3;
    const x = new Float32Array(rows * C);
    for (let i = 0; i < x.length; i++) x[i] = 1000 * (1 + (i % C)) + rng.normal() * 0.01;
    const got = await withBackend('native', () => tf.tidy(() => {
      const [y, m, v] = batchNormTrain(tf.tensor2d(x, [rows, C]), tf.ones([C]) as tf.Tensor1D, tf.zeros([C]) as tf.Tensor1D, 1e-5);
      return [m.dataSync().slice(), v.dataSync().slice(), y.dataSync().slice()];
    }));
    for (let c = 0; c < C; c++) {
      let s = 0, q = 0;
      for (let r = 0; r < rows; r++) s += x[r * C + c];
      const m = s / rows;
      for (let r = 0; r < rows; r++) q += (x[r * C + c] - m) ** 2;
      expect(Math.abs(got[0][c] - m) / m, `channel ${c} mean`).to.be.below(1e-6);
      expect(Math.abs(got[1][c] - q / rows) / (q / rows), `channel ${c} variance ${got[1][c]} vs ${q / rows}`).to.be.below(1e-3);
      // The normalised output (~N(0, 1)) against float64: folding the mean into one float32 constant,
      // x * k + (0 - mean * k) with mean * k ~ 3e5, would leave errors of ~0.03 here.
      const k = 1 / Math.sqrt(q / rows + 1e-5);
      let worst = 0;
      for (let r = 0; r < rows; r++) worst = Math.max(worst, Math.abs(got[2][r * C + c] - (x[r * C + c] - m) * k));
      expect(worst, `channel ${c}: largest |output - float64 reference|`).to.be.below(2e-3);
    }
  });

  it('forward: one row per channel (variance 0, k = 1/sqrt(eps)) gives the offset, as on cpu (seed 231712935 once failed here)', async () => {
    const x = [2.7, -1.3, 0.123, 5.9, 1000.5], beta = [0.5, 0.5, 0.5, 0.5, 1], gamma = [1, 1, 1, 1, 3];
    const r = await onBoth(() => fusedOrReference(tf.tensor(x, [5]), tf.tensor1d(gamma), tf.tensor1d(beta), 1e-5));
    expectClose(r, '[5] eps=1e-5');
    expectNative(r, BATCH_NORM_TRAIN, '[5] eps=1e-5');
    expect(Array.from(r.native[0].values)).to.deep.equal(beta);
  });

  it('backward: dx, dscale, doffset through one fused kernel (statistics\' dependence on x included), random shapes', async () => {
    const rng = testRng('bn-train-bwd');
    for (let i = 0; i < 10; i++) {
      const shape = i === 0 ? [4, 64, 64, 20] : randShape(rng, rng.int(2, 5), 3, 7, 19); // >= 3 rows: with 2, dx is ~0 (rounding noise)
      const C = shape[shape.length - 1];
      const x = randArray(rng, size(shape)), g = randArray(rng, size(shape)), gamma = randArray(rng, C), beta = randArray(rng, C);
      const label = `[${shape}]`;
      const r = await onBoth(() => {
        const gt = tf.tensor(g, shape);
        return tf.grads((u: tf.Tensor, s: tf.Tensor, o: tf.Tensor) =>
          tf.sum(tf.mul(fusedOrReference(u, s as tf.Tensor1D, o as tf.Tensor1D, 1e-5)[0], gt)))([tf.tensor(x, shape), tf.tensor1d(gamma), tf.tensor1d(beta)]);
      });
      expectClose(r, label);
      expectNative(r, BATCH_NORM_TRAIN_GRAD, label);
    }
  });

  it('backward: gradients that reach the mean and variance outputs directly are added to dx', async () => {
    const rng = testRng('bn-train-stats');
    const shape = [7, 3, 5];
    const x = randArray(rng, size(shape)), g = randArray(rng, size(shape)), wm = randArray(rng, 5), wv = randArray(rng, 5);
    const r = await onBoth(() => tf.grad((u: tf.Tensor) => {
      const [y, m, v] = fusedOrReference(u, tf.ones([5]) as tf.Tensor1D, tf.zeros([5]) as tf.Tensor1D, 1e-3);
      return tf.addN([tf.sum(tf.mul(y, tf.tensor(g, shape))), tf.sum(tf.mul(m, tf.tensor1d(wm))), tf.sum(tf.mul(v, tf.tensor1d(wv)))]);
    })(tf.tensor(x, shape)));
    expectClose(r, 'd(y·g + m·wm + v·wv)/dx');
    expectNative(r, BATCH_NORM_TRAIN_GRAD, 'stats gradients');
  });

  it('second order: a gradient penalty through the fused op matches (the recorded backward pass uses differentiable ops)', async () => {
    const rng = testRng('bn-train-gp');
    const shape = [6, 4, 3];
    const n = size(shape);
    const x = randArray(rng, n), w = randArray(rng, n), a = randArray(rng, n), b = randArray(rng, n), gamma = randArray(rng, 3);
    const r = await onBoth(() => {
      const wt = tf.tensor(w, shape), at = tf.tensor(a, shape), bt = tf.tensor(b, shape);
      // weights after the norm (a, b): without them the critic's gradient is ~0 (the norm cancels
      // any per-channel scale and shift), i.e. rounding noise
      const critic = (u: tf.Tensor, s: tf.Tensor) => {
        const [y] = fusedOrReference(tf.mul(u, wt), tf.tensor1d(gamma), tf.zeros([3]) as tf.Tensor1D, 1e-5);
        const h = tf.mul(y, s);
        return tf.mean(tf.add(tf.mul(h, at), tf.mul(tf.square(h), bt)));
      };
      const penalty = (u: tf.Tensor, s: tf.Tensor) => {
        const gr = tf.grad((v: tf.Tensor) => critic(v, s))(u);
        return tf.mean(tf.square(tf.sub(tf.sqrt(tf.sum(tf.square(gr))), 1)));
      };
      return tf.grads(penalty)([tf.tensor(x, shape), tf.scalar(1.3)]);
    });
    expectClose(r, 'gradient of a gradient norm');
  });

  it('results do not depend on the thread count (fixed row ranges), and bad lengths are refused with the argument named', async () => {
    const rng = testRng('bn-train-threads');
    const rows = 20000, P = 16;
    const x = randArray(rng, rows * P), dy = randArray(rng, rows * P), scale = randArray(rng, P), offset = randArray(rng, P);
    const variance = Float32Array.from(randArray(rng, P), (v) => 1 + v * v), mean = randArray(rng, P);
    const runs = await withSyncAddon((addon) => {
      const before = addon.info().threads;
      const out: Float32Array[][] = [];
      try {
        for (const t of [1, 2, 3]) {
          addon.setThreads(t);
          const o = [rows * P, P, P, rows * P, P, P].map((n) => new Float32Array(n));
          addon.batchNormTrain(x, o[0], P, offset, scale, 1e-5, o[1], o[2]);
          addon.batchNormTrainGrad(x, dy, P, mean, variance, scale, 1e-5, null, null, o[3], o[4], o[5]);
          out.push(o);
        }
      } finally {
        addon.setThreads(before);
      }
      expect(() => addon.batchNormTrain(x, new Float32Array(rows * P), P, offset, scale, 1e-5, new Float32Array(P - 1), new Float32Array(P)))
        .to.throw('batchNormTrain: mean, variance, offset and scale must have P entries');
      expect(() => addon.batchNormTrainGrad(x, dy, 7, mean, variance, null, 1e-5, null, null, null, null, null))
        .to.throw('batchNormTrainGrad: P must divide the (non-zero) element count of x');
      return out;
    });
    for (let k = 1; k < runs.length; k++) {
      runs[k].forEach((o, j) => {
        const diff = o.findIndex((v, i) => v !== runs[0][j][i]);
        expect(diff, `output ${j} at ${k + 1} threads differs from 1 thread at element ${diff}`).to.equal(-1);
      });
    }
  });

  it('exists on the native backend only', async () => {
    expect(await withBackend('cpu', () => batchNormTrainingAvailable())).to.equal(false);
    expect(await withBackend('native', () => batchNormTrainingAvailable())).to.equal(true);
  });
});
