import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { Rng } from '../../../core/index.js';
import { buildSmallCnn } from './small-cnn.js';

describe('encoders/nets/small-cnn', () => {
  before(async () => { await tf.setBackend('cpu'); });

  it('outputs [B, 4w] features with the documented parameter count', () => {
    const { model, featureDim } = buildSmallCnn({ inChannels: 3, inputSize: 12, width: 4, rng: Rng.fromSeed(1) });
    expect(featureDim).to.equal(16);
    // 3x3 convs without bias + BN gamma/beta: (27*4+8) + (36*8+16) + (72*16+32)
    const n = model.trainableWeights.reduce((s, w) => s + (w.shape as number[]).reduce((a, b) => a * b, 1), 0);
    expect(n).to.equal(27 * 4 + 8 + 36 * 8 + 16 + 72 * 16 + 32);
    const x = tf.randomNormal([3, 12, 12, 3], 0, 1, 'float32', 2);
    const y = model.predict(x) as tf.Tensor;
    expect(y.shape).to.deep.equal([3, 16]);
    tf.dispose([x, y]);
    model.dispose();
  });

  it('is reproducible from the seed', () => {
    const a = buildSmallCnn({ inChannels: 1, inputSize: 8, rng: Rng.fromSeed(3) }).model;
    const b = buildSmallCnn({ inChannels: 1, inputSize: 8, rng: Rng.fromSeed(3) }).model;
    const c = buildSmallCnn({ inChannels: 1, inputSize: 8, rng: Rng.fromSeed(4) }).model;
    const k = (m: tf.LayersModel) => Array.from(m.getLayer('small_cnn_c2_conv').getWeights()[0].dataSync());
    expect(k(a)).to.deep.equal(k(b));
    expect(k(a)).to.not.deep.equal(k(c));
    [a, b, c].forEach((m) => m.dispose());
  });

  it('rejects a bad width', () => {
    expect(() => buildSmallCnn({ inChannels: 1, inputSize: 8, width: 0, rng: Rng.fromSeed(1) }))
      .to.throw('smallCnn.width: expected an integer >= 1, got 0');
  });
});
