import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../../core/index.js';
import { buildDcganDiscriminator } from './dcgan-discriminator.js';
import { buildDcganGenerator } from './dcgan-generator.js';
import { MinibatchDiscrimination, minibatchSimilarity } from './minibatch-discrimination.js';
import { GAN_PRESETS } from './presets.js';
import { VirtualBatchNorm } from './virtual-batch-norm.js';

const values = (t: tf.Tensor): number[] => Array.from(t.dataSync());
const trainableCount = (l: tf.layers.Layer): number => l.trainableWeights.reduce((s, w) => s + (w.shape as number[]).reduce((a, b) => a * b, 1), 0);

describe('virtual batch norm', () => {
  before(async () => { await tf.setBackend('cpu'); });

  it('normalises with the reference batch plus the example itself (hand-computed)', () => {
    // m = 2, reference [0, 2]: μ_R = 1, E_R[x²] = 2 → reference rows → [-1, 1].
    // x = 4: μ = (4 + 2·1)/3 = 2, E[x²] = (16 + 2·2)/3 = 20/3, σ² = 8/3 → (4 − 2)/√(8/3) = 1.2247449.
    const vbn = new VirtualBatchNorm({ referenceSize: 2, epsilon: 1e-12 });
    const y = values(vbn.apply(tf.tensor2d([[0], [2], [4]])) as tf.Tensor);
    [-1, 1, 1.2247449].forEach((want, i) => expect(y[i]).to.be.closeTo(want, 1e-5));
  });

  it("'per-example': a sample's output does not depend on the other samples in its batch", () => {
    const vbn = new VirtualBatchNorm({ referenceSize: 4 });
    const ref = tf.randomNormal([4, 3, 3, 2], 0, 1, 'float32', 1);
    const x = tf.randomNormal([1, 3, 3, 2], 2, 3, 'float32', 2);
    const alone = values(tf.slice(vbn.apply(tf.concat([ref, x])) as tf.Tensor, 4, 1));
    const withA = values(tf.slice(vbn.apply(tf.concat([ref, x, tf.randomNormal([3, 3, 3, 2], 5, 1, 'float32', 3)])) as tf.Tensor, 4, 1));
    const withB = values(tf.slice(vbn.apply(tf.concat([ref, tf.randomNormal([2, 3, 3, 2], -4, 9, 'float32', 4), x])) as tf.Tensor, 6, 1));
    alone.forEach((v, i) => { expect(withA[i]).to.be.closeTo(v, 1e-5); expect(withB[i]).to.be.closeTo(v, 1e-5); });
  });

  it("'batch' (the paper's Algorithm 1 as printed) makes outputs depend on the batch", () => {
    const vbn = new VirtualBatchNorm({ referenceSize: 2, statistics: 'batch' });
    const ref = tf.tensor2d([[0], [2]]);
    const a = values(vbn.apply(tf.concat([ref, tf.tensor2d([[4], [0]])])) as tf.Tensor)[2];
    const b = values(vbn.apply(tf.concat([ref, tf.tensor2d([[4], [9]])])) as tf.Tensor)[2];
    expect(Math.abs(a - b)).to.be.greaterThan(0.1);
    // μ over {0, 2, 4, 0} = 1.5, σ² = 2.75 → (4 − 1.5)/√2.75
    expect(a).to.be.closeTo(2.5 / Math.sqrt(2.75), 1e-4);
  });

  it('has a learned scale and offset per channel and rejects a batch without its reference rows', () => {
    const vbn = new VirtualBatchNorm({ referenceSize: 3 });
    vbn.apply(tf.zeros([4, 2, 2, 5]));
    expect(trainableCount(vbn)).to.equal(10);
    expect(() => vbn.apply(tf.zeros([2, 2, 2, 5]))).to.throw('VirtualBatchNorm: expected the 3 reference rows first in the batch, got only 2 rows');
    expect(() => new VirtualBatchNorm({ referenceSize: 0 })).to.throw('VirtualBatchNorm.referenceSize: expected an integer >= 1, got 0');
  });
});

describe('minibatch discrimination', () => {
  before(async () => { await tf.setBackend('cpu'); });

  it('gives o = batch size for identical samples and o ≈ 1 for well separated ones', () => {
    const mbd = new MinibatchDiscrimination({ kernels: 3, kernelDim: 4, initStddev: 1, seed: 1 });
    const same = tf.tile(tf.randomNormal([1, 6], 0, 1, 'float32', 2), [5, 1]);
    const oSame = values(tf.slice(mbd.apply(same) as tf.Tensor, [0, 6], [5, 3]));
    oSame.forEach((v) => expect(v).to.be.closeTo(5, 1e-5));
    const far = tf.mul(tf.tensor2d([0, 1, 2, 3, 4], [5, 1]), tf.fill([5, 6], 50));
    const oFar = values(tf.slice(mbd.apply(far) as tf.Tensor, [0, 6], [5, 3]));
    oFar.forEach((v) => expect(v).to.be.closeTo(1, 1e-4));
  });

  it('matches o = Σ_j exp(−‖M_i − M_j‖₁) by hand and passes the features through', () => {
    // T = identity (A = 2, B = 1, C = 2): M = f. f1 = [0, 0], f2 = [0.5, 0.25] → o = 1 + e^(−0.75).
    const mbd = new MinibatchDiscrimination({ kernels: 1, kernelDim: 2 });
    const f = tf.tensor2d([[0, 0], [0.5, 0.25]]);
    mbd.apply(f);
    mbd.setWeights([tf.tensor2d([[1, 0], [0, 1]])]);
    const y = values(mbd.apply(f) as tf.Tensor);
    const want = 1 + Math.exp(-0.75);
    [0, 0, want, 0.5, 0.25, want].forEach((w, i) => expect(y[i]).to.be.closeTo(w, 1e-6));
  });

  it('hand-written gradient equals autograd of the plain broadcast formula', () => {
    const plain = (m: tf.Tensor) => tf.sum(tf.exp(tf.neg(tf.sum(tf.abs(tf.sub(tf.expandDims(m, 1), tf.expandDims(m, 0))), -1))), 1);
    const m = tf.randomNormal([4, 3, 2], 0, 0.7, 'float32', 9);
    const w = tf.randomNormal([4, 3], 0, 1, 'float32', 10);
    values(minibatchSimilarity(m as tf.Tensor3D)).forEach((v, i) => expect(v).to.be.closeTo(values(plain(m))[i], 1e-5));
    const ours = values(tf.grad((x: tf.Tensor) => tf.sum(tf.mul(minibatchSimilarity(x as tf.Tensor3D), w)))(m));
    const ref = values(tf.grad((x: tf.Tensor) => tf.sum(tf.mul(plain(x), w)))(m));
    ours.forEach((v, i) => expect(v).to.be.closeTo(ref[i], 1e-5));
  });

  it('works per position on feature maps, adding `kernels` channels', () => {
    const mbd = new MinibatchDiscrimination({ kernels: 2, kernelDim: 3, seed: 4 });
    const y = mbd.apply(tf.randomNormal([3, 4, 4, 5], 0, 1, 'float32', 5)) as tf.Tensor;
    expect(y.shape).to.deep.equal([3, 4, 4, 7]);
    expect(mbd.computeOutputShape([null, 4, 4, 5])).to.deep.equal([null, 4, 4, 7]);
    expect(trainableCount(mbd)).to.equal(5 * 2 * 3);
  });
});

describe('DCGAN networks', () => {
  before(async () => { await tf.setBackend('cpu'); });

  it('generator maps latents to tanh-range maps; VBN samples are independent of their batch', () => {
    const cfg = { ...GAN_PRESETS.quick.generator, channels: [8, 4], referenceSize: 3, outputSize: 16, outputChannels: 1 };
    const G = buildDcganGenerator(cfg, Rng.fromSeed(1));
    expect(G.referenceLatents!.shape).to.deep.equal([3, 64]);
    const z = tf.randomNormal([4, 64], 0, 1, 'float32', 7) as tf.Tensor2D;
    const y = G.generate(z, true);
    expect(y.shape).to.deep.equal([4, 16, 16, 1]);
    const v = values(y);
    expect(v.every((x) => x > -1 && x < 1)).to.equal(true);
    const first = values(G.generate(tf.slice(z, 0, 1), true));
    first.forEach((x, i) => expect(v[i]).to.be.closeTo(x, 1e-5));
    expect(() => G.generate(tf.zeros([2, 8]) as tf.Tensor2D, true)).to.throw('generator: expected latents of shape [B, 64], got [2,8]');
    G.dispose();
  });

  it("upsample 'nearest' (resize-convolution) has no checkerboard; stride-2 transposed convs do", () => {
    // All weights 0.01 and the dense layer's bias 1: every stage sees a constant input map, so
    // away from the zero-padded borders the output is constant for a resize-convolution, while a
    // stride-2 transposed 5x5 conv sums 9, 6 or 4 taps depending on the pixel's parity.
    const interiorSpread = (upsample: 'nearest' | 'transposed') => {
      const cfg = { ...GAN_PRESETS.quick.generator, channels: [8, 4], norm: 'none' as const, upsample, outputSize: 16, outputChannels: 1 };
      const G = buildDcganGenerator(cfg, Rng.fromSeed(1));
      const names = G.model.layers.map((l) => l.name);
      for (const l of G.model.layers) l.setWeights(l.getWeights().map((w) => tf.fill(w.shape, l.name === 'g_dense' && w.rank === 1 ? 1 : 0.01)));
      const y = values(G.generate(tf.zeros([1, 64]) as tf.Tensor2D, false));
      G.dispose();
      const inner: number[] = [];
      for (let r = 6; r < 10; r++) for (let c = 6; c < 10; c++) inner.push(y[r * 16 + c]);
      return { names, spread: Math.max(...inner) - Math.min(...inner) };
    };
    const near = interiorSpread('nearest');
    expect(near.names).to.include.members(['g_up1', 'g_conv1', 'g_up2', 'g_conv2']);
    expect(near.spread).to.be.lessThan(1e-6);
    const tconv = interiorSpread('transposed');
    expect(tconv.names).to.include.members(['g_tconv1', 'g_tconv2']);
    expect(tconv.spread).to.be.greaterThan(1e-3);
  });

  it('the paper preset matches Table 1 layer by layer', () => {
    const G = buildDcganGenerator({ ...GAN_PRESETS.paper.generator, outputSize: 256, outputChannels: 1 }, Rng.fromSeed(1));
    const g = (name: string) => trainableCount(G.model.getLayer(name));
    expect(G.model.outputs[0].shape).to.deep.equal([null, 256, 256, 1]);
    // Table 1: dense 8.5M, VBN 1024, TConv 3.3M, VBN 512, 819K, 256, 205K, 128, last conv 1601.
    expect([g('g_dense'), g('g_norm0'), g('g_tconv1'), g('g_norm1'), g('g_tconv2'), g('g_norm2'), g('g_tconv3'), g('g_norm3'), g('g_tconv4')])
      .to.deep.equal([8519680, 1024, 3276800, 512, 819200, 256, 204800, 128, 1601]);
    G.dispose();
    const D = buildDcganDiscriminator({ ...GAN_PRESETS.paper.discriminator, inputSize: 256, inputChannels: 1 }, Rng.fromSeed(2));
    const d = (name: string) => trainableCount(D.getLayer(name));
    // Table 1: conv 1664, BN 256, conv 819K, BN 512, conv 3.3M, BN 1024, minibatch ~82K, BN 1024, linear 131K (513·16·16 + 1).
    expect([d('d_conv0'), d('d_bn1'), d('d_conv2'), d('d_bn2'), d('d_conv3'), d('d_bn3'), d('d_minibatch'), d('d_postbn'), d('d_logit')])
      .to.deep.equal([1664, 256, 819200, 512, 3276800, 1024, 81920, 1026, 131329]);
    expect(D.getLayer('d_minibatch').outputShape).to.deep.equal([null, 16, 16, 513]);
    D.dispose();
  });

  it('discriminator gives one logit per sample and checks its config', () => {
    const D = buildDcganDiscriminator({ ...GAN_PRESETS.quick.discriminator, channels: [4, 8], inputSize: 16, inputChannels: 1 }, Rng.fromSeed(3));
    expect((D.apply(tf.zeros([2, 16, 16, 1])) as tf.Tensor).shape).to.deep.equal([2, 1]);
    D.dispose();
    expect(() => buildDcganDiscriminator({ ...GAN_PRESETS.quick.discriminator, channels: [4, 8, 8, 8, 8], inputSize: 16, inputChannels: 1 }, Rng.fromSeed(3)))
      .to.throw('discriminator.channels: 5 stride-2 convolutions need an input of at least 32 pixels, got 16');
    expect(() => buildDcganGenerator({ ...GAN_PRESETS.quick.generator, outputSize: 20, outputChannels: 1 }, Rng.fromSeed(3)))
      .to.throw('generator.channels: 4 upsamplings need an output size divisible by 16, got 20');
  });
});
