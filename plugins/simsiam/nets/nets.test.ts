import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { Rng } from '../../../core/index.js';
import { buildPredictor } from './predictor.js';
import { buildProjector } from './projector.js';

const count = (m: tf.LayersModel) => m.trainableWeights.reduce((s, w) => s + (w.shape as number[]).reduce((a, b) => a * b, 1), 0);

describe('simsiam/nets', () => {
  before(async () => { await tf.setBackend('cpu'); });

  it('projector: Linear-BN-ReLU x2, Linear-BN(no affine), no bias; official parameter count', () => {
    const p = buildProjector(2048, { rng: Rng.fromSeed(1) });
    // facebookresearch/simsiam ResNet-50 projector: three 2048x2048 linears without bias,
    // two affine BNs (2*2048 each), output BN without affine.
    expect(count(p)).to.equal(3 * 2048 * 2048 + 2 * 2 * 2048);
    expect(p.outputs[0].shape).to.deep.equal([null, 2048]);
    const dense = p.layers.filter((l) => l.getClassName() === 'Dense');
    expect(dense.map((l) => l.getConfig().useBias)).to.deep.equal([false, false, false]);
    expect(p.layers.filter((l) => l.getClassName() === 'ReLU').length).to.equal(2);
    const bn2 = p.getLayer('projector_bn2');
    // affine=False: gamma 1 and beta 0, frozen (tfjs BN cannot train with center/scale false)
    expect(bn2.trainable).to.equal(false);
    expect([bn2.getConfig().momentum, bn2.getConfig().epsilon]).to.deep.equal([0.9, 1e-5]);
    expect(bn2.getWeights().slice(0, 2).map((w) => Array.from(new Set(w.dataSync())))).to.deep.equal([[1], [0]]);
    p.dispose();
    const p2 = buildProjector(16, { hidden: 8, out: 4, layers: 2, outputAffine: true, rng: Rng.fromSeed(1) });
    expect(count(p2)).to.equal(16 * 8 + 2 * 8 + 8 * 4 + 2 * 4);
    p2.dispose();
  });

  it('projector output is batch-normalised per dimension in training mode', () => {
    const p = buildProjector(6, { hidden: 10, out: 5, rng: Rng.fromSeed(2) });
    const x = tf.randomNormal([64, 6], 3, 2, 'float32', 3);
    const z = p.apply(x, { training: true }) as tf.Tensor2D;
    const { mean, variance } = tf.moments(z, 0);
    for (const m of mean.dataSync()) expect(m).to.be.closeTo(0, 1e-4);
    for (const v of variance.dataSync()) expect(v).to.be.closeTo(1, 1e-2); // var/(var+1e-5)
    tf.dispose([x, z, mean, variance]);
    p.dispose();
  });

  it('predictor: Linear(no bias)-BN-ReLU-Linear(bias), PyTorch-uniform init, seeded', () => {
    const h = buildPredictor(2048, { rng: Rng.fromSeed(4) });
    expect(count(h)).to.equal(2048 * 512 + 2 * 512 + 512 * 2048 + 2048);
    expect(h.layers.filter((l) => l.getClassName() === 'Dense').map((l) => l.getConfig().useBias)).to.deep.equal([false, true]);
    const k = h.getLayer('predictor_fc0').getWeights()[0].dataSync();
    let maxAbs = 0;
    for (const v of k) maxAbs = Math.max(maxAbs, Math.abs(v));
    expect(maxAbs).to.be.at.most(1 / Math.sqrt(2048));
    expect(maxAbs).to.be.above(0.99 / Math.sqrt(2048));
    const h2 = buildPredictor(2048, { rng: Rng.fromSeed(4) });
    expect(Array.from(h2.getLayer('predictor_fc1').getWeights()[1].dataSync()))
      .to.deep.equal(Array.from(h.getLayer('predictor_fc1').getWeights()[1].dataSync()));
    [h, h2].forEach((m) => m.dispose());
  });

  it('rejects bad options with messages naming the field', () => {
    expect(() => buildProjector(0, { rng: Rng.fromSeed(1) })).to.throw('projector.inDim: expected an integer >= 1, got 0');
    expect(() => buildPredictor(8, { bottleneck: 1.5, rng: Rng.fromSeed(1) })).to.throw('predictor.bottleneck: expected an integer >= 1, got 1.5');
  });
});
