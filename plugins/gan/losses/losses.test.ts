import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../../core/index.js';
import { withTestBackend } from '../../../core/testing/test-backend.js';
import {
  hingeD, hingeG, nonSaturatingD, nonSaturatingG, relativisticAverageD, relativisticAverageG,
  relativisticD, relativisticG, wassersteinD, wassersteinG,
} from './gan-loss-functions.js';
import { gradientPenalty } from './gradient-penalty.js';
import { HingeLoss, NonSaturatingLoss, RelativisticAverageLoss, RelativisticLoss, WganGpLoss } from '../components/gan-losses.js';
import { generatorUsesReal, hasGradientPenalty } from './gan-loss-types.js';

// Critic outputs used throughout: real r = [1.5, -0.5], fake f = [0.2, -2.0] (shape [2, 1]).
// Expected values by hand, checked with numpy (sp(t) = log1p(exp(t))):
//   non-saturating: D = mean sp(-r) + mean sp(f) = 1.0502785712937117, G = mean sp(-f) = 1.362533440212282
//   hinge: D = mean(0, 1.5) + mean(1.2, 0) = 1.35, G = -mean f = 0.9
//   RSGAN: D = mean sp(f - r) = 0.22121086590787228, G = mean sp(r - f) = 1.6212108659078723
//   RaSGAN: D = mean sp(-(r - mean f)) + mean sp(f - mean r) = 0.6165481916574895,
//           G = mean sp(-(f - mean r)) + mean sp(r - mean f) = 3.4165481916574896
//   WGAN: D = mean f - mean r = -1.4, G = -mean f = 0.9
const R = [1.5, -0.5], F = [0.2, -2.0];

function value(fn: (r: tf.Tensor, f: tf.Tensor) => tf.Scalar): number {
  return tf.tidy(() => fn(tf.tensor2d(R, [2, 1]), tf.tensor2d(F, [2, 1])).dataSync()[0]);
}

describe('gan losses', () => {
  before(async () => { await tf.setBackend('cpu'); });

  it('match hand-computed values', () => {
    const cases: Array<[string, (r: tf.Tensor, f: tf.Tensor) => tf.Scalar, number]> = [
      ['non-saturating D', nonSaturatingD, 1.0502785712937117], ['non-saturating G', nonSaturatingG, 1.362533440212282],
      ['hinge D', hingeD, 1.35], ['hinge G', hingeG, 0.9],
      ['RSGAN D', relativisticD, 0.22121086590787228], ['RSGAN G', relativisticG, 1.6212108659078723],
      ['RaSGAN D', relativisticAverageD, 0.6165481916574895], ['RaSGAN G', relativisticAverageG, 3.4165481916574896],
      ['WGAN D', wassersteinD, -1.4], ['WGAN G', wassersteinG, 0.9],
    ];
    for (const [name, fn, want] of cases) expect(value(fn), name).to.be.closeTo(want, 1e-6);
  });

  it('hinge D is zero once real logits are >= 1 and fake logits <= -1 (the margin)', () => {
    expect(tf.tidy(() => hingeD(tf.tensor1d([1, 3]), tf.tensor1d([-1, -5])).dataSync()[0])).to.equal(0);
  });

  it('registered components delegate to the functions and declare their hooks', () => {
    const rs = new RelativisticLoss(), ra = new RelativisticAverageLoss(), h = new HingeLoss(), ns = new NonSaturatingLoss();
    const w = new WganGpLoss({ weight: 10, center: 1 });
    expect(value((r, f) => h.discriminator(r, f))).to.be.closeTo(1.35, 1e-6);
    expect(value((r, f) => rs.generator(r, f))).to.be.closeTo(1.6212108659078723, 1e-6);
    expect(value((r, f) => ra.discriminator(r, f))).to.be.closeTo(0.6165481916574895, 1e-6);
    expect(value((r, f) => ns.generator(r, f))).to.be.closeTo(1.362533440212282, 1e-6);
    expect(value((r, f) => w.discriminator(r, f))).to.be.closeTo(-1.4, 1e-6);
    expect([rs, ra, h, ns, w].map((l) => l.family)).to.deep.equal(['gan', 'gan', 'gan', 'gan', 'gan']);
    expect([rs, ra, h, ns, w].map(generatorUsesReal)).to.deep.equal([true, true, false, false, false]);
    expect([rs, h, w].map(hasGradientPenalty)).to.deep.equal([false, false, true]);
  });

  it('RSGAN rejects unpaired batches, naming both shapes', () => {
    expect(() => relativisticD(tf.zeros([2, 1]), tf.zeros([3, 1]))).to.throw('relativistic: expected real and fake critic outputs of the same size (pairs are compared), got [2,1] and [3,1]');
    expect(() => hingeD(tf.zeros([0]), tf.zeros([2]))).to.throw('hinge: realLogits: expected at least one critic output');
  });
});

describe('gradient penalty (WGAN-GP)', () => {
  before(async () => { await tf.setBackend('cpu'); });

  it('is λ(‖w‖ − 1)² for a linear critic, whatever ε', () => {
    // C(x) = Σ w·x with w = [3, 0, 0, 4] → ∇C = w, ‖w‖ = 5 → 10 · (5 − 1)² = 160.
    const w = tf.tensor4d([3, 0, 0, 4], [1, 2, 2, 1]);
    const critic = (x: tf.Tensor) => tf.sum(tf.mul(x, w), [1, 2, 3]);
    const gp = gradientPenalty(critic, tf.randomNormal([3, 2, 2, 1], 0, 1, 'float32', 1), tf.zeros([3, 2, 2, 1]), Rng.fromSeed(4));
    expect(gp.dataSync()[0]).to.be.closeTo(160, 1e-3);
  });

  it('interpolates x̂ = εx + (1 − ε)x̃ with one ε per sample from the rng', () => {
    // C(x) = ½ Σ x² → ∇C(x̂) = x̂; real = 1 everywhere (4 pixels, ‖real‖ = 2), fake = 0 → ‖x̂‖ = 2ε_i.
    const critic = (x: tf.Tensor) => tf.mul(0.5, tf.sum(tf.square(x), [1, 2, 3]));
    const gp = gradientPenalty(critic, tf.ones([3, 2, 2, 1]), tf.zeros([3, 2, 2, 1]), Rng.fromSeed(7), { weight: 2 }).dataSync()[0];
    const r = Rng.fromSeed(7);
    const eps = [r.random(), r.random(), r.random()];
    const want = 2 * eps.reduce((s, e) => s + (2 * e - 1) ** 2, 0) / 3;
    expect(gp).to.be.closeTo(want, 1e-5);
  });

  it('is differentiable w.r.t. the critic weights (double back-propagation)', () => {
    // GP = 10 (‖w‖ − 1)² → dGP/dw = 20 (‖w‖ − 1) w / ‖w‖ = [48, 0, 0, 64] at w = [3, 0, 0, 4].
    const w = tf.variable(tf.tensor4d([3, 0, 0, 4], [1, 2, 2, 1]));
    const critic = (x: tf.Tensor) => tf.sum(tf.mul(x, w), [1, 2, 3]);
    const { grads } = tf.variableGrads(() => gradientPenalty(critic, tf.ones([2, 2, 2, 1]), tf.zeros([2, 2, 2, 1]), Rng.fromSeed(1)), [w]);
    const g = Array.from(grads[w.name].dataSync());
    [48, 0, 0, 64].forEach((want, i) => expect(g[i]).to.be.closeTo(want, 1e-3));
  });

  it('back-propagates through a conv critic on the test backend (conv gradient-of-gradient kernels) @backend', async () => {
    await withTestBackend(() => {
      const k = tf.variable(tf.randomNormal([3, 3, 1, 2], 0, 0.5, 'float32', 3));
      const critic = (x: tf.Tensor) => tf.sum(tf.leakyRelu(tf.conv2d(x as tf.Tensor4D, k as tf.Tensor4D, 2, 'same'), 0.2), [1, 2, 3]);
      const { value: v, grads } = tf.variableGrads(() => gradientPenalty(critic, tf.randomNormal([2, 6, 6, 1], 0, 1, 'float32', 5), tf.zeros([2, 6, 6, 1]), Rng.fromSeed(2)), [k]);
      expect(Number.isFinite(v.dataSync()[0])).to.equal(true);
      const g = grads[k.name].dataSync();
      expect(Array.from(g).every(Number.isFinite)).to.equal(true);
      expect(Array.from(g).some((x) => x !== 0)).to.equal(true);
      tf.dispose([k, v, grads[k.name]]);
    });
  });

  it('rejects mismatched shapes and bad weights, naming the field', () => {
    const critic = (x: tf.Tensor) => tf.sum(x, [1]);
    expect(() => gradientPenalty(critic, tf.zeros([2, 3]), tf.zeros([3, 3]), Rng.fromSeed(1))).to.throw('gradientPenalty: expected real and fake of the same shape [B, ...], got [2,3] and [3,3]');
    expect(() => gradientPenalty(critic, tf.zeros([2, 3]), tf.zeros([2, 3]), Rng.fromSeed(1), { weight: -1 })).to.throw('gradientPenalty.weight: expected a number >= 0, got -1');
  });
});
