import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { loadOptimizerTensors, optimizerTensors } from './checkpoint-tf.js';

/** A tiny least-squares problem trained by `opt` for `steps` steps from the state in `w`. */
function train(opt: tf.Optimizer, w: tf.Variable, steps: number): void {
  const x = tf.tensor2d([[1, 2], [3, -1], [0.5, 0.25], [-2, 1]]);
  const y = tf.tensor2d([[1], [-2], [0.3], [4]]);
  for (let i = 0; i < steps; i++) opt.minimize(() => tf.losses.meanSquaredError(y, tf.matMul(x, w)) as tf.Scalar, false, [w]);
  x.dispose(); y.dispose();
}

const makers: Record<string, () => tf.Optimizer> = {
  adam: () => tf.train.adam(0.05, 0.99, 0.999),
  momentum: () => tf.train.momentum(0.05, 0.9),
  rmsprop: () => tf.train.rmsprop(0.01, 0.9, 0.5),
};

describe('io/checkpoint-tf optimizer state', () => {
  for (const [name, make] of Object.entries(makers)) {
    it(`${name}: saved after k = 1..8 steps and restored into a fresh optimizer, 16 steps in all equal 16 uninterrupted ones bit for bit`, async () => {
      const init = [[0.1], [-0.3]];
      const wRef = tf.variable(tf.tensor2d(init));
      const ref = make();
      train(ref, wRef, 16);
      const a = wRef.dataSync();
      for (let k = 1; k <= 8; k++) {
        const w = tf.variable(tf.tensor2d(init));
        const first = make();
        train(first, w, k);
        const saved = await optimizerTensors(first, 'opt:x');
        first.dispose();
        const resumed = make();
        await loadOptimizerTensors(resumed, 'opt:x', saved);
        train(resumed, w, 16 - k);
        const b = w.dataSync();
        for (let i = 0; i < a.length; i++) expect(Object.is(a[i], b[i]), `resumed after ${k} steps, weight ${i}: ${a[i]} uninterrupted vs ${b[i]} resumed`).to.equal(true);
        resumed.dispose(); w.dispose();
      }
      ref.dispose(); wRef.dispose();
    });
  }

  it("adam: saves the running beta powers that tfjs's setWeights would recompute with pow()", async () => {
    const w = tf.variable(tf.tensor2d([[0.1], [-0.3]]));
    const opt = tf.train.adam(0.05, 0.9, 0.999);
    train(opt, w, 5);
    const saved = await optimizerTensors(opt, 'opt:g');
    expect(saved['opt:g#accBeta1'].data[0]).to.be.closeTo(0.9 ** 6, 1e-6);
    expect(saved['opt:g#accBeta2'].data[0]).to.be.closeTo(0.999 ** 6, 1e-6);
    opt.dispose(); w.dispose();
  });

  it('keeps slot names stable across save -> load -> save (the prefix "opt:x" holds a colon itself)', async () => {
    const w = tf.variable(tf.tensor2d([[0.1], [-0.3]]));
    const opt = tf.train.adam(0.05);
    train(opt, w, 2);
    const first = await optimizerTensors(opt, 'opt:x');
    const again = tf.train.adam(0.05);
    await loadOptimizerTensors(again, 'opt:x', first);
    const second = await optimizerTensors(again, 'opt:x');
    expect(Object.keys(second)).to.deep.equal(Object.keys(first));
    opt.dispose(); again.dispose(); w.dispose();
  });
});
