import 'reflect-metadata';
import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { createRegistry } from '../dataset/build-simulator.js';
import { loadOptimizerTensors, optimizerTensors } from '../io/checkpoint-tf.js';
import { ComponentFactory } from '../registry/component-factory.js';
import { Rng } from '../tensor/rng.js';
import { AdamOptimizer } from './adam-optimizer.js';
import { decays, type OwnedOptimizer } from './owned-optimizer.js';
import { RmspropOptimizer } from './rmsprop-optimizer.js';
import { SgdOptimizer } from './sgd-optimizer.js';
import type { OptimizerComponent } from './training-contracts.js';

/**
 * Final weights after 20 updates of w0 = [0.5, 0.4, ..., 0.0] with the gradient sequence
 * g_t[i] = sin(0.7 t + 1.3 i) (1 + 0.1 i), from a float64 numpy implementation of the update
 * rules as torch.optim documents them (SGD, Adam, AdamW, RMSprop): core/training/reference/optimizer_reference.py.
 */
const REF: Record<string, number[]> = {"sgd": [-0.485550133542, -0.385192972131, 1.02439499598, 1.54780075862, 0.0314096951652, -1.59447149191], "sgd_nesterov_wd": [0.273997259628, 0.112597624171, 0.375835438399, 0.562931344793, 0.206751609138, -0.364765535514], "adam": [0.457540269369, 0.363257767375, 0.312050087132, 0.248416917217, 0.112106294836, -0.0537697050602], "adam_wd": [0.437269950605, 0.35586207394, 0.305431640782, 0.244511020861, 0.11011380809, -0.0531807548769], "adamw": [0.448303717218, 0.355955061398, 0.305967117178, 0.243655301256, 0.109880653662, -0.0528895618514], "rmsprop": [0.454982040915, 0.352342634015, 0.301301930659, 0.258390431447, 0.125850416674, -0.0711597008881], "rmsprop_centered_momentum": [0.398530721023, 0.315348913046, 0.313553566121, 0.315280347515, 0.138621993287, -0.153800682276]};

const grad = (t: number, n: number) => tf.tensor1d(Array.from({ length: n }, (_, i) => Math.sin(0.7 * t + 1.3 * i) * (1 + 0.1 * i)));
const W0 = [0.5, 0.4, 0.3, 0.2, 0.1, 0];

function run(make: () => tf.Optimizer, steps: number, w?: tf.Variable, from = 0, opt = make()): { w: tf.Variable; opt: tf.Optimizer } {
  const v = w ?? tf.variable(tf.tensor1d(W0));
  for (let t = from; t < from + steps; t++) {
    const g = grad(t, 6);
    opt.applyGradients({ [v.name]: g });
    g.dispose();
  }
  return { w: v, opt };
}

const makers: Record<string, () => OwnedOptimizer> = {
  sgd: () => new SgdOptimizer(0.1, 0.9),
  sgd_nesterov_wd: () => new SgdOptimizer(0.05, 0.8, true, { value: 0.01, mode: 'coupled', applyTo: 'all' }),
  adam: () => new AdamOptimizer(0.01, 0.9, 0.99, 1e-8),
  adam_wd: () => new AdamOptimizer(0.01, 0.9, 0.99, 1e-8, { value: 0.1, mode: 'coupled', applyTo: 'all' }),
  adamw: () => new AdamOptimizer(0.01, 0.9, 0.99, 1e-8, { value: 0.1, mode: 'decoupled', applyTo: 'all' }),
  rmsprop: () => new RmspropOptimizer(0.01, 0.9, 1e-8),
  rmsprop_centered_momentum: () => new RmspropOptimizer(0.01, 0.9, 1e-8, 0.5, true),
};

describe('core/training optimizers @backend', () => {
  for (const [name, make] of Object.entries(makers)) {
    it(`${name}: 20 updates match the float64 reference of torch.optim's update rule`, () => {
      const { w, opt } = run(make, 20);
      const got = Array.from(w.dataSync());
      got.forEach((x, i) => expect(Math.abs(x - REF[name][i]), `${name}[${i}] = ${x}, reference ${REF[name][i]}`).to.be.below(2e-6 * (1 + Math.abs(REF[name][i]))));
      w.dispose(); opt.dispose();
    });

    it(`${name}: stopped after a random step, saved through the checkpoint code and resumed in a fresh optimizer, bit-identical to an uninterrupted run`, async () => {
      const cut = 1 + Rng.fromSeed(name.length).int(0, 18);
      const full = run(make, 20);
      const a = run(make, cut);
      const saved = await optimizerTensors(a.opt, 'opt');
      const b = make();
      await loadOptimizerTensors(b, 'opt', saved);
      run(make, 20 - cut, a.w, cut, b);
      expect(Array.from(a.w.dataSync()), `resumed after step ${cut}`).to.deep.equal(Array.from(full.w.dataSync()));
      expect((b as OwnedOptimizer).step).to.equal(20);
      [full.w, a.w].forEach((v) => v.dispose()); [full.opt, a.opt, b].forEach((o) => o.dispose());
    });
  }

  it('SGD with momentum and Adam are bit-identical to tfjs\'s MomentumOptimizer and AdamOptimizer (old runs keep their numbers)', () => {
    const pairs: Array<[string, () => tf.Optimizer, () => tf.Optimizer]> = [
      ['sgd', () => new SgdOptimizer(0.1, 0.9), () => tf.train.momentum(0.1, 0.9)],
      ['nesterov', () => new SgdOptimizer(0.1, 0.9, true), () => tf.train.momentum(0.1, 0.9, true)],
      ['plain sgd', () => new SgdOptimizer(0.1, 0), () => tf.train.sgd(0.1)],
      ['adam', () => new AdamOptimizer(0.01, 0.9, 0.999), () => tf.train.adam(0.01, 0.9, 0.999)],
    ];
    for (const [label, ours, theirs] of pairs) {
      const a = run(ours, 20), b = run(theirs, 20);
      expect(Array.from(a.w.dataSync()), label).to.deep.equal(Array.from(b.w.dataSync()));
      [a.w, b.w].forEach((v) => v.dispose()); [a.opt, b.opt].forEach((o) => o.dispose());
    }
  });

  it('resumes from a checkpoint written with tfjs\'s own Momentum and Adam optimizers (the former format), bit-identically', async () => {
    const pairs: Array<[string, () => tf.Optimizer, () => tf.Optimizer]> = [
      ['sgd', () => tf.train.momentum(0.1, 0.9), () => new SgdOptimizer(0.1, 0.9)],
      ['adam', () => tf.train.adam(0.01, 0.9, 0.999), () => new AdamOptimizer(0.01, 0.9, 0.999)],
    ];
    for (const [label, theirs, ours] of pairs) {
      // two variables, so tfjs's slot-major layout (all m, then all v) differs from ours
      const w1 = tf.variable(tf.tensor1d(W0)), w2 = tf.variable(tf.tensor1d(W0.map((x) => -x)));
      const full1 = tf.variable(tf.tensor1d(W0)), full2 = tf.variable(tf.tensor1d(W0.map((x) => -x)));
      const step = (o: tf.Optimizer, a: tf.Variable, b: tf.Variable, t: number) => { const g = grad(t, 6), h = grad(t + 100, 6); o.applyGradients({ [a.name]: g, [b.name]: h }); tf.dispose([g, h]); };
      const ref = theirs();
      for (let t = 0; t < 12; t++) step(ref, full1, full2, t);
      const old = theirs();
      for (let t = 0; t < 5; t++) step(old, w1, w2, t);
      const saved = await optimizerTensors(old, 'opt');
      const resumed = ours();
      await loadOptimizerTensors(resumed, 'opt', saved);
      for (let t = 5; t < 12; t++) step(resumed, w1, w2, t);
      expect(Array.from(w1.dataSync()), label).to.deep.equal(Array.from(full1.dataSync()));
      expect(Array.from(w2.dataSync()), label).to.deep.equal(Array.from(full2.dataSync()));
      tf.dispose([w1, w2, full1, full2]); [ref, old, resumed].forEach((o) => o.dispose());
    }
  });

  it('weight decay applyTo: kernels leaves biases and normalisation parameters alone', () => {
    expect(['dense_1/kernel', 'conv2d/kernel', 'enc/conv1/kernel'].map((n) => decays(n, 'kernels'))).to.deep.equal([true, true, true]);
    expect(['dense_1/bias', 'batch_normalization/gamma', 'bn/beta', 'bn/moving_mean', 'bn/moving_variance'].map((n) => decays(n, 'kernels'))).to.deep.equal([false, false, false, false, false]);
    expect(decays('dense_1/bias', 'all')).to.equal(true);
  });

  it('refuses bad hyper-parameters and a checkpoint of another optimizer, naming what is wrong', async () => {
    expect(() => new SgdOptimizer(0.1, 1)).to.throw('sgd momentum: expected a number in [0, 1), got 1');
    expect(() => new SgdOptimizer(0.1, 0, true)).to.throw('sgd nesterov: needs momentum > 0');
    expect(() => new AdamOptimizer(Number.NaN)).to.throw('optimizer lr: expected a finite number >= 0, got NaN');
    const a = run(() => new AdamOptimizer(0.01), 2);
    const saved = await optimizerTensors(a.opt, 'opt');
    const sgd = new SgdOptimizer(0.1, 0.9);
    let err = '';
    try { await loadOptimizerTensors(sgd, 'opt', saved); } catch (e) { err = (e as Error).message; }
    expect(err).to.equal('LensforgeSgd state: "beta1Power" is not a slot of this optimizer (expected "<variable>/momentum"; a checkpoint of another optimizer?)');
    a.w.dispose(); a.opt.dispose(); sgd.dispose();
  });
});

describe('core/training optimizer and schedule components', () => {
  let factory: ComponentFactory;
  before(async () => { factory = new ComponentFactory(await createRegistry(), Rng.fromSeed(1)); });

  it('builds optimizers by name; scaleLrByBatch is applied in one place (lr x batch / 256)', () => {
    const sgd = factory.create<OptimizerComponent>('optimizer', { use: 'core/sgd', lr: 0.5, scaleLrByBatch: true }, 'train.optimizer');
    expect(sgd.baseLr(32)).to.equal(0.0625);
    const o = sgd.create(32);
    expect(o).to.be.instanceOf(SgdOptimizer);
    expect(o.learningRate).to.equal(0.0625);
    o.dispose();
    const adamw = factory.create<OptimizerComponent>('optimizer', 'core/adamw', 'train.optimizer').create(8);
    expect((adamw as AdamOptimizer).weightDecay).to.deep.equal({ value: 0.01, mode: 'decoupled', applyTo: 'all' });
    adamw.dispose();
  });

  it('reports a bad option with its config path and the valid names', () => {
    expect(() => factory.create('optimizer', { use: 'core/sgd', momentum: 1.5 }, 'train.optimizer')).to.throw('train.optimizer.momentum: Too big: expected number to be <1, got 1.5');
    expect(() => factory.create('optimizer', { use: 'core/lars' }, 'train.optimizer')).to.throw('train.optimizer.use: unknown optimizer "core/lars". Registered optimizers: core/adam, core/adamw, core/rmsprop, core/sgd');
  });
});

describe('setLearningRate (what the training loop calls before every step) @backend', () => {
  it('reaches the update of every optimizer (a rate of 0 leaves the weights unchanged)', async () => {
    const makers: Array<[string, () => OwnedOptimizer]> = [
      ['sgd', () => new SgdOptimizer(0.1)], ['sgd momentum', () => new SgdOptimizer(0.1, 0.9)], ['nesterov', () => new SgdOptimizer(0.1, 0.9, true)],
      ['adam', () => new AdamOptimizer(0.1)], ['adamw', () => new AdamOptimizer(0.1, 0.9, 0.999, 1e-7, { value: 0.1, mode: 'decoupled', applyTo: 'all' })],
      ['rmsprop', () => new RmspropOptimizer(0.1)], ['rmsprop centered', () => new RmspropOptimizer(0.1, 0.9, 1e-8, 0.5, true)],
    ];
    for (const [label, make] of makers) {
      const v = tf.variable(tf.tensor1d([1, 2]));
      const opt = make();
      opt.setLearningRate(0);
      const g = tf.tensor1d([1, -1]);
      opt.applyGradients({ [v.name]: g });
      expect(Array.from(v.dataSync()), label).to.deep.equal([1, 2]);
      opt.setLearningRate(0.5);
      opt.applyGradients({ [v.name]: g });
      expect(v.dataSync()[0], label).to.be.below(1);
      tf.dispose([v, g]); opt.dispose();
    }
  });
});
