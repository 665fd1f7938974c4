import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import * as v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { withBackend } from '../with-backend.js';
import type { NativeBackend } from './native-backend.js';
import { TEST_SEED, expectClose, expectNative, onBoth, randArray, requireNative, testRng } from './native-test-util.js';

/**
 * Batch-chunked convolutions (src/chunk-pool.h): in async mode, convolutions of >= 8 M
 * multiply-adds whose batch divides into 2, 4 or 8 chunks run as single-threaded chunk
 * primitives shared between the worker and a helper thread.
 */
interface Case { x: [number, number, number, number]; w: [number, number, number, number]; strides: number; pad: 'same' | 'valid' }

const CASES: Case[] = [
  { x: [8, 16, 16, 32], w: [3, 3, 32, 32], strides: 1, pad: 'same' },   // 18.9 M MACs: 8 chunks
  { x: [6, 32, 32, 24], w: [3, 3, 24, 40], strides: 2, pad: 'same' },   // stride 2, batch 6: 2 chunks
  { x: [4, 18, 18, 16], w: [5, 5, 16, 48], strides: 1, pad: 'valid' },  // 5x5 valid, 4 chunks
  { x: [16, 8, 8, 64], w: [1, 1, 64, 128], strides: 1, pad: 'same' },   // 1x1
];

const size = (s: number[]): number => s.reduce((a, b) => a * b, 1);

async function chunkedCalls(): Promise<{ helpers: number; calls: number }> {
  return withBackend('native', () => {
    const info = (tf.backend() as NativeBackend).addon.info();
    return { helpers: info.chunkHelpers, calls: info.chunkedConvCalls };
  });
}

/** Runs `fn` with the native backend in async mode (chunk helpers on), restoring the mode after. */
async function inAsyncMode<T>(fn: () => Promise<T>): Promise<T> {
  const backend = await withBackend('native', () => tf.backend() as NativeBackend);
  const was = backend.isAsync;
  backend.setAsync(true);
  try {
    return await fn();
  } finally {
    backend.setAsync(was);
  }
}

function convStep(c: Case, x: Float32Array, w: Float32Array, g: Float32Array, bias: Float32Array): tf.Tensor[] {
  const xt = tf.tensor4d(x, c.x), wt = tf.tensor4d(w, c.w), bt = tf.tensor1d(bias);
  const yShape = tf.conv2d(xt, wt, c.strides, c.pad).shape;
  const gt = tf.tensor(g, yShape);
  const fwd = tf.fused.conv2d({ x: xt, filter: wt, bias: bt, strides: c.strides, pad: c.pad, activation: 'relu' });
  const grads = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.strides, c.pad), gt)))([xt, wt]);
  return [fwd, ...grads];
}

describe(`native batch-chunked convolutions (async mode) vs cpu (seed ${TEST_SEED})`, function () {
  before(async function () { await requireNative(this); });

  it('forward (fused bias+relu), input and filter gradients match cpu and run chunked', async () => {
    const rng = testRng('chunks');
    await inAsyncMode(async () => {
      const { helpers, calls: before } = await chunkedCalls();
      expect(helpers, 'async mode starts chunk helpers').to.be.at.least(1);
      for (const c of CASES) {
        const yShape = await withBackend('cpu', () => tf.tidy(() => tf.conv2d(tf.zeros(c.x) as tf.Tensor4D, tf.zeros(c.w) as tf.Tensor4D, c.strides, c.pad).shape));
        const x = randArray(rng, size(c.x)), w = randArray(rng, size(c.w)), g = randArray(rng, size(yShape)), b = randArray(rng, c.w[3]);
        const label = `x=[${c.x}] w=[${c.w}] s=${c.strides} ${c.pad}`;
        const r = await onBoth(() => convStep(c, x, w, g, b));
        expectClose(r, `chunked conv ${label}`);
        expectNative(r, 'FusedConv2D', label);
        expectNative(r, 'Conv2DBackpropFilter', label);
        expectNative(r, 'Conv2DBackpropInput', label);
      }
      const { calls: after } = await chunkedCalls();
      // 3 directions per case (the plain conv2d of convStep's gradient is chunked too).
      expect(after - before, 'convolutions run as chunks').to.be.at.least(3 * CASES.length);
    });
  });

  it('chunked results are bit-identical over 5 runs (the chunk a thread runs never changes the numbers)', async () => {
    const rng = testRng('chunk-repeat');
    const c = CASES[0];
    const x = randArray(rng, size(c.x)), w = randArray(rng, size(c.w)), g = randArray(rng, size([8, 16, 16, 32])), b = randArray(rng, 32);
    await inAsyncMode(async () => {
      const runs = await withBackend('native', () => {
        const out: Float32Array[][] = [];
        for (let i = 0; i < 5; i++) {
          const ts = tf.tidy(() => convStep(c, x, w, g, b));
          out.push(ts.map((t) => Float32Array.from(t.dataSync() as Float32Array)));
          tf.dispose(ts);
        }
        return out;
      });
      for (let i = 1; i < runs.length; i++) {
        runs[i].forEach((v, k) => {
          const diff = v.findIndex((e, j) => e !== runs[0][k][j]);
          expect(diff, `run ${i} output ${k} differs from run 0 at element ${diff}`).to.equal(-1);
        });
      }
    });
  });

  it('large elementwise, broadcast, copy, batch-norm and ReLU-gradient kernels (shared ranges) match cpu', async () => {
    const rng = testRng('pooled-maps');
    const shape: [number, number, number, number] = [8, 32, 32, 40]; // 327,680 elements: above the 262,144 threshold
    const n = size(shape);
    const a = randArray(rng, n), b = randArray(rng, n), row = randArray(rng, 40), m = randArray(rng, 40), v = randArray(rng, 40, [0.5, 2]);
    await inAsyncMode(async () => {
      const r = await onBoth(() => {
        const x = tf.tensor4d(a, shape), y = tf.tensor4d(b, shape), c = tf.tensor1d(row);
        const lr = tf.leakyRelu(x, 0.2);
        return [
          tf.exp(tf.mul(x, 0.1)), tf.add(x, y), tf.mul(x, c), tf.sub(tf.reshape(c, [1, 1, 1, 40]), x), tf.transpose(x, [0, 3, 1, 2]),
          tf.concat([x, y], 3), tf.batchNorm(x, tf.tensor1d(m), tf.tensor1d(v), c, undefined, 1e-3),
          tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.relu(t), y)))(x), tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.leakyRelu(t, 0.2), y)))(x), lr,
        ];
      });
      expectClose(r, 'pooled elementwise kernels');
      for (const k of ['Exp', 'Add', 'Multiply', 'Sub', 'Transpose', 'Concat', 'FusedBatchNorm', 'LensforgeReluGrad']) expectNative(r, k, `pooled ${k}`);
    });
  });

  it('memory stays flat over 400 chunked convolution steps (tensors, chunk buffers, RSS)', async function () {
    this.timeout(120_000);
    const rng = testRng('chunk-memory');
    const c = CASES[0];
    const x = randArray(rng, size(c.x)), w = randArray(rng, size(c.w)), g = randArray(rng, size([8, 16, 16, 32])), b = randArray(rng, 32);
    const fullGc = (): void => { v8.setFlagsFromString('--expose-gc'); const gc = runInNewContext('gc') as () => void; gc(); gc(); };
    await inAsyncMode(async () => {
      const { calls: before } = await chunkedCalls();
      const samples = await withBackend('native', () => {
        const t0 = tf.memory().numTensors;
        const out: { tensors: number; rss: number }[] = [];
        for (let i = 0; i < 400; i++) {
          const ts = tf.tidy(() => convStep(c, x, w, g, b));
          ts.forEach((t) => t.dataSync());
          tf.dispose(ts);
          if (i === 49 || i === 399) { fullGc(); out.push({ tensors: tf.memory().numTensors - t0, rss: process.memoryUsage().rss }); }
        }
        return out;
      });
      const { calls: after } = await chunkedCalls();
      expect(after - before, 'every step ran chunked convolutions').to.be.at.least(3 * 400);
      expect(samples.map((s) => s.tensors), 'tensors left after steps 50 and 400').to.deep.equal([0, 0]);
      const growthMb = (samples[1].rss - samples[0].rss) / 2 ** 20;
      expect(growthMb, `RSS grew by ${growthMb.toFixed(1)} MiB between steps 50 and 400`).to.be.below(16);
    });
  });

  it('sync mode runs no chunk helpers', async () => {
    const backend = await withBackend('native', () => tf.backend() as NativeBackend);
    const was = backend.isAsync;
    backend.setAsync(false);
    try {
      expect((await chunkedCalls()).helpers).to.equal(0);
    } finally {
      backend.setAsync(was);
    }
  });
});
