import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { ComponentFactory, createRegistry, Rng, SgdOptimizer, type OptimizerComponent, type ScheduleComponent } from '../../../core/index.js';
import { buildPredictor } from '../nets/predictor.js';
import { buildProjector } from '../nets/projector.js';
import { simsiamStep } from './simsiam-step.js';

/** A tiny seeded conv encoder (test-local: plugins do not import each other's internals). */
function tinyEncoder(rng: Rng, ch: number, size: number): tf.LayersModel {
  const init = () => tf.initializers.heNormal({ seed: rng.tfSeed() });
  const x = tf.input({ shape: [size, size, ch] });
  let h = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', useBias: false, kernelInitializer: init() }).apply(x) as tf.SymbolicTensor;
  h = tf.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-5 }).apply(h) as tf.SymbolicTensor;
  h = tf.layers.reLU().apply(h) as tf.SymbolicTensor;
  h = tf.layers.conv2d({ filters: 8, kernelSize: 3, strides: 2, padding: 'same', useBias: false, kernelInitializer: init() }).apply(h) as tf.SymbolicTensor;
  h = tf.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-5 }).apply(h) as tf.SymbolicTensor;
  h = tf.layers.reLU().apply(h) as tf.SymbolicTensor;
  h = tf.layers.globalAveragePooling2d({}).apply(h) as tf.SymbolicTensor;
  return tf.model({ inputs: x, outputs: h });
}

function buildAll(seed: number) {
  const rng = Rng.fromSeed(seed);
  const encoder = tinyEncoder(rng.derive('enc'), 1, 8);
  const projector = buildProjector(8, { hidden: 16, out: 16, layers: 2, rng: rng.derive('proj') });
  const predictor = buildPredictor(16, { bottleneck: 4, rng: rng.derive('pred') });
  return { encoder, projector, predictor, dispose: () => [encoder, projector, predictor].forEach((m) => m.dispose()) };
}

describe('simsiam/train', () => {
  before(async () => { await tf.setBackend('cpu'); });

  it("SimSiam's rate (base_lr x batch/256, cosine per step) is core/sgd with scaleLrByBatch and core/cosine", async () => {
    const factory = new ComponentFactory(await createRegistry(), Rng.fromSeed(1));
    // Chen & He 2021, Sec. 4: base lr 0.05 at batch 512 -> 0.1, half-cosine decay to 0
    const sgd = factory.create<OptimizerComponent>('optimizer', { use: 'core/sgd', lr: 0.05, scaleLrByBatch: true }, 'train.optimizer');
    const cos = factory.create<ScheduleComponent>('schedule', 'core/cosine', 'train.schedule');
    const base = sgd.baseLr(512);
    expect(base).to.be.closeTo(0.1, 1e-12);
    const at = (step: number) => ({ step, totalSteps: 100, stepsPerEpoch: 10 });
    expect(cos.lr(base, at(0))).to.be.closeTo(0.1, 1e-12);
    expect(cos.lr(base, at(25))).to.be.closeTo(0.05 * (1 + Math.SQRT1_2), 1e-12);
    expect(cos.lr(base, at(50))).to.be.closeTo(0.05, 1e-12);
    expect(cos.lr(base, at(100))).to.be.closeTo(0, 1e-12);
    expect(() => sgd.baseLr(0)).to.throw('optimizer batchSize: expected an integer >= 1, got 0');
  });

  it('core SgdOptimizer is PyTorch momentum SGD: v = mu v + g, w -= lr v', () => {
    const w = tf.variable(tf.scalar(0), true, 'sgd_test_w');
    const opt = new SgdOptimizer(0.1, 0.9);
    const g = tf.scalar(1);
    opt.applyGradients([{ name: 'sgd_test_w', tensor: g }]); // v = 1, w = -0.1
    opt.applyGradients([{ name: 'sgd_test_w', tensor: g }]); // v = 1.9, w = -0.29
    expect(w.dataSync()[0]).to.be.closeTo(-0.29, 1e-6);
    expect(() => new SgdOptimizer(0.1, 1)).to.throw('sgd momentum: expected a number in [0, 1), got 1');
    tf.dispose([w, g]);
    opt.dispose();
  });

  it('the optimizer\'s coupled weight decay adds weightDecay * w to every gradient of a SimSiam step (as torch SGD)', () => {
    const rng = Rng.fromSeed(3);
    const x1 = tf.tensor4d(rng.normalArray(4 * 64), [4, 8, 8, 1]);
    const x2 = tf.tensor4d(rng.normalArray(4 * 64), [4, 8, 8, 1]);
    const lr = 0.5, wd = 0.01;
    const run = (decay: number) => {
      const m = buildAll(5);
      const w0 = m.encoder.trainableWeights[0].read().clone();
      const opt = new SgdOptimizer(lr, 0, false, { value: decay, mode: 'coupled', applyTo: 'all' });
      simsiamStep(m.encoder, m.projector, m.predictor, opt, x1, x2);
      const w1 = m.encoder.trainableWeights[0].read().clone();
      m.dispose(); opt.dispose();
      return { w0, w1 };
    };
    const a = run(0), b = run(wd);
    // plain SGD: w1 = w0 - lr (g + wd w0), so w1(wd) - w1(0) = -lr * wd * w0
    const diff = tf.sub(b.w1, a.w1), want = tf.mul(-lr * wd, a.w0);
    const err = tf.max(tf.abs(tf.sub(diff, want))).dataSync()[0];
    const scale = tf.max(tf.abs(want)).dataSync()[0];
    expect(scale).to.be.above(1e-3);
    expect(err).to.be.below(1e-6);
    tf.dispose([x1, x2, a.w0, a.w1, b.w0, b.w1, diff, want]);
  });

  it('15 SimSiam steps on two noisy views of a tiny dataset lower the loss', () => {
    const rng = Rng.fromSeed(42);
    const n = 16, size = 8;
    const base = tf.tensor4d(rng.normalArray(n * size * size), [n, size, size, 1]);
    const m = buildAll(7);
    const opt = new SgdOptimizer(0.05, 0.9, false, { value: 1e-4, mode: 'coupled', applyTo: 'all' });
    let tensorsAfterStep1 = -1;
    const losses: number[] = [], stds: number[] = [];
    for (let step = 0; step < 15; step++) {
      const noise = () => tf.tensor4d(rng.normalArray(n * size * size, 0, 0.3), [n, size, size, 1]);
      const [v1, v2] = tf.tidy(() => [tf.add(base, noise()) as tf.Tensor4D, tf.add(base, noise()) as tf.Tensor4D]);
      const r = simsiamStep(m.encoder, m.projector, m.predictor, opt, v1, v2);
      losses.push(r.loss); stds.push(r.collapseStd);
      tf.dispose([v1, v2]);
      // no leak: after the optimizer created its accumulators, the tensor count stays put
      if (step === 1) tensorsAfterStep1 = tf.memory().numTensors;
      if (step === 14) expect(tf.memory().numTensors).to.equal(tensorsAfterStep1);
    }
    const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
    const first = mean(losses.slice(0, 3)), last = mean(losses.slice(-3));
    expect(losses.every((l) => l >= -1 && l <= 1)).to.equal(true);
    expect(last, `losses ${losses.map((l) => l.toFixed(3)).join(' ')}`).to.be.below(first - 0.1);
    expect(stds.every((s) => s > 0 && s < 1)).to.equal(true);
    m.dispose(); opt.dispose(); base.dispose();
  });
});
