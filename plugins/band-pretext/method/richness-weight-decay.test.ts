import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { AdamOptimizer, Rng, SgdOptimizer, trainableVariables, type OwnedOptimizer, type WeightDecay } from '../../../core/index.js';
import { withTestBackend } from '../../../core/testing/test-backend.js';
import { minimizeLoss } from './train-utils.js';

/** A conv + BN + dense model (kernels, a BN gamma/beta and a bias) with seeded weights. */
function model(): tf.LayersModel {
  const seed = Rng.fromSeed(3).tfSeed();
  const input = tf.input({ shape: [6, 6, 1] });
  let h = tf.layers.conv2d({ filters: 2, kernelSize: 3, useBias: false, kernelInitializer: tf.initializers.glorotUniform({ seed }) }).apply(input) as tf.SymbolicTensor;
  h = tf.layers.batchNormalization({ momentum: 0.9, gammaInitializer: tf.initializers.constant({ value: 1.3 }), betaInitializer: tf.initializers.constant({ value: 0.2 }) }).apply(h) as tf.SymbolicTensor;
  h = tf.layers.flatten().apply(h) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }), biasInitializer: tf.initializers.constant({ value: 0.5 }) }).apply(h) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}

/** Weights after 4 steps of MSE on fixed data, with `penalty` (wd/2·Σw² over rank > 1 weights, the former band-pretext term) or without. */
function train(opt: OwnedOptimizer, penalty: number): Float32Array[] {
  const m = model();
  const vars = trainableVariables(m);
  const x = tf.tensor4d(Array.from({ length: 4 * 36 }, (_, i) => Math.sin(i * 0.37)), [4, 6, 6, 1]);
  const y = tf.tensor2d([0.3, -1.2, 0.8, 2.0], [4, 1]);
  for (let s = 0; s < 4; s++) {
    tf.tidy(() => minimizeLoss(opt, vars, () => {
      const l = tf.losses.meanSquaredError(y, m.apply(x, { training: true }) as tf.Tensor) as tf.Scalar;
      if (penalty === 0) return l;
      return tf.add(l, tf.mul(penalty / 2, tf.addN(vars.filter((v) => v.rank > 1).map((v) => tf.sum(tf.square(v)))))) as tf.Scalar;
    }));
  }
  const w = m.getWeights().map((t) => t.dataSync() as Float32Array);
  m.dispose(); opt.dispose(); x.dispose(); y.dispose();
  return w;
}

describe('band-pretext/richness weight decay: the former L2 term is coupled decay on the kernels @backend', () => {
  const wd = 0.03;
  const kernels: WeightDecay = { value: wd, mode: 'coupled', applyTo: 'kernels' };
  const all: WeightDecay = { value: wd, mode: 'coupled', applyTo: 'all' };
  for (const [name, make] of [
    ['sgd', (d?: WeightDecay) => new SgdOptimizer(0.1, 0.9, false, d)],
    ['adam', (d?: WeightDecay) => new AdamOptimizer(0.01, 0.9, 0.999, 1e-7, d)],
  ] as const) {
    it(`${name}: wd/2·Σ kernel w² as a loss term and weightDecay { value: wd, coupled, kernels } give bit-identical weights`, () => withTestBackend(() => {
      const penalised = train(make(), wd);
      const decayed = train(make(kernels), 0);
      expect(decayed.map((w) => Array.from(w))).to.deep.equal(penalised.map((w) => Array.from(w)));
      // and the comparison can tell: decay on every variable (biases, BN) or none gives other weights
      expect(train(make(all), 0).map((w) => Array.from(w))).to.not.deep.equal(penalised.map((w) => Array.from(w)));
      expect(train(make(), 0).map((w) => Array.from(w))).to.not.deep.equal(penalised.map((w) => Array.from(w)));
    }));
  }
});
