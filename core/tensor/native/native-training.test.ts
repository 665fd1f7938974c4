import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { withBackend } from '../with-backend.js';
import type { NativeBackend } from './native-backend.js';
import { TEST_SEED, expectClose, onBoth, randArray, relErr, requireNative, testRng } from './native-test-util.js';
import * as v8 from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * A small conv net with the layer kinds our models use (conv, BN, ReLU/LeakyReLU, pools, dense).
 * No upSampling2d: tfjs-cpu's nearest-resize gradient is wrong for batch > 1 (see
 * resize-kernels.ts), so it cannot serve as the reference here; resize-kernels.test.ts checks ours.
 */
function smallModel(seed: number): tf.LayersModel {
  const init = (k: number) => tf.initializers.glorotUniform({ seed: seed + k });
  const input = tf.input({ shape: [8, 8, 2] });
  let h = tf.layers.zeroPadding2d({ padding: 1 }).apply(input) as tf.SymbolicTensor;
  h = tf.layers.conv2d({ filters: 4, kernelSize: 3, strides: 2, useBias: false, kernelInitializer: init(1) }).apply(h) as tf.SymbolicTensor;
  h = tf.layers.batchNormalization().apply(h) as tf.SymbolicTensor;
  h = tf.layers.reLU().apply(h) as tf.SymbolicTensor;
  const skip = h;
  h = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', kernelInitializer: init(2) }).apply(h) as tf.SymbolicTensor;
  h = tf.layers.leakyReLU({ alpha: 0.2 }).apply(h) as tf.SymbolicTensor;
  h = tf.layers.add().apply([h, skip]) as tf.SymbolicTensor;
  h = tf.layers.maxPooling2d({ poolSize: 2, strides: 1 }).apply(h) as tf.SymbolicTensor;
  h = tf.layers.averagePooling2d({ poolSize: 2 }).apply(h) as tf.SymbolicTensor;
  h = tf.layers.flatten().apply(h) as tf.SymbolicTensor;
  h = tf.layers.dense({ units: 3, kernelInitializer: init(3) }).apply(h) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: h });
}

/** A full V8 garbage collection, without needing node --expose-gc on the command line. */
function fullGc(): void {
  v8.setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  gc();
}

function train(steps: number, x: Float32Array, y: Float32Array, onStep?: (i: number) => void): { losses: number[]; weights: Float32Array[] } {
  const model = smallModel(7);
  const opt = tf.train.adam(0.01);
  const xs = tf.tensor4d(x, [4, 8, 8, 2]), ys = tf.tensor2d(y, [4, 3]);
  const losses: number[] = [];
  for (let i = 0; i < steps; i++) {
    const loss = opt.minimize(() => tf.losses.meanSquaredError(ys, model.apply(xs, { training: true }) as tf.Tensor) as tf.Scalar, true);
    if (i < 5 || i === steps - 1) losses.push(loss!.dataSync()[0]);
    loss!.dispose();
    onStep?.(i);
  }
  const weights = model.getWeights().map((w) => Float32Array.from(w.dataSync() as Float32Array));
  tf.dispose([xs, ys]);
  opt.dispose();
  model.dispose();
  return { losses, weights };
}

describe(`native backend training (seed ${TEST_SEED})`, function () {
  before(async function () { await requireNative(this); });

  it('three Adam steps of a conv/BN/pool/dense model give the cpu backend\'s losses and weights', async () => {
    const rng = testRng('train');
    const x = randArray(rng, 4 * 8 * 8 * 2), y = randArray(rng, 12);
    const cpu = await withBackend('cpu', () => train(3, x, y));
    const nat = await withBackend('native', () => train(3, x, y));
    expect(relErr(nat.losses, cpu.losses), `losses ${nat.losses} vs ${cpu.losses}`).to.be.at.most(1e-4);
    nat.weights.forEach((w, i) => expect(relErr(w, cpu.weights[i]), `weight ${i}`).to.be.at.most(1e-4));
  });

  it('queued (async) and inline (sync) execution give the same training results', async () => {
    const rng = testRng('modes');
    const x = randArray(rng, 4 * 8 * 8 * 2), y = randArray(rng, 12);
    const runIn = (async: boolean) => withBackend('native', () => {
      const backend = tf.backend() as unknown as NativeBackend;
      const before = backend.isAsync;
      backend.setAsync(async);
      try {
        expect(backend.isAsync).to.equal(async);
        return train(3, x, y);
      } finally {
        backend.setAsync(before);
      }
    });
    const a = await runIn(true), s = await runIn(false);
    expect(relErr(a.losses, s.losses)).to.be.at.most(1e-6);
    a.weights.forEach((w, i) => expect(relErr(w, s.weights[i]), `weight ${i}`).to.be.at.most(1e-6));
  });

  it('async hazards: disposed inputs, recycled buffers and CPU-kernel reads of queued results', async () => {
    const rng = testRng('hazards');
    const x = randArray(rng, 64 * 64 * 16); // large enough that the queue runs behind JavaScript
    const chain = () => {
      let t: tf.Tensor = tf.tensor3d(x, [64, 64, 16]);
      const outs: tf.Tensor[] = [];
      for (let i = 0; i < 30; i++) {
        const next = tf.tidy(() => tf.add(tf.mul(tf.relu(t), 0.9), tf.sin(tf.cast(tf.cast(t, 'int32'), 'float32'))));
        t.dispose(); // its storage goes back to the pool while queued kernels may still read it
        t = next;
        if (i % 7 === 0) outs.push(tf.sum(t, [0, 1]));
      }
      return [t, ...outs];
    };
    const r = await onBoth(chain);
    expectClose(r, 'hazard chain');
    // Sin and the float32 -> int32 Cast are CPU kernels: they must wait for the queued results.
    expect(r.stats.fallback.Cast, 'float32 -> int32 casts on the cpu kernel').to.equal(30);
    expect(r.stats.native.Add, 'the arithmetic ran natively').to.equal(30);
  });

  it('memory stays flat over 1,000 training steps (tensors, bytes, RSS)', async function () {
    this.timeout(180_000);
    const rng = testRng('memory');
    const x = randArray(rng, 4 * 8 * 8 * 2), y = randArray(rng, 12);
    const samples: { step: number; tensors: number; bytes: number; rss: number }[] = [];
    await withBackend('native', () => {
      const before = tf.memory();
      train(1000, x, y, (i) => {
        if (i === 99 || i === 999) {
          fullGc(); // RSS without V8's not-yet-collected garbage (which alone grew it by ~60 MiB here)
          const m = tf.memory();
          samples.push({ step: i + 1, tensors: m.numTensors, bytes: m.numBytes, rss: process.memoryUsage().rss });
        }
      });
      const after = tf.memory();
      expect(after.numTensors, 'tensors left after disposing everything').to.equal(before.numTensors);
      expect(after.numBytes).to.equal(before.numBytes);
    });
    const [s100, s1000] = samples;
    expect(s1000.tensors, 'tensors at step 1000 vs step 100').to.equal(s100.tensors);
    expect(s1000.bytes, 'bytes at step 1000 vs step 100').to.equal(s100.bytes);
    const growthMb = (s1000.rss - s100.rss) / 2 ** 20;
    expect(growthMb, `RSS grew by ${growthMb.toFixed(1)} MiB between steps 100 and 1000`).to.be.below(48);
  });
});
