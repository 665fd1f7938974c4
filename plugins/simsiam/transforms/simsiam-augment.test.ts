import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { Rng } from '../../../core/index.js';
import { simsiamAugment } from './simsiam-augment.js';

describe('simsiam/transforms/simsiam-augment', () => {
  before(async () => { await tf.setBackend('cpu'); });

  it('makes two different, seeded views of a multi-band batch without leaking tensors', () => {
    const x = tf.tensor4d(Rng.fromSeed(1).normalArray(4 * 16 * 16 * 3, 5, 1), [4, 16, 16, 3]);
    const n0 = tf.memory().numTensors;
    const rng = Rng.fromSeed(2);
    const v1 = simsiamAugment(x, rng), v2 = simsiamAugment(x, rng);
    expect(tf.memory().numTensors).to.equal(n0 + 2);
    expect(v1.shape).to.deep.equal([4, 16, 16, 3]);
    expect(tf.max(tf.abs(tf.sub(v1, v2))).dataSync()[0]).to.be.above(0.1);
    const r2 = Rng.fromSeed(2);
    const w1 = simsiamAugment(x, r2);
    expect(Array.from(w1.dataSync())).to.deep.equal(Array.from(v1.dataSync()));
    tf.dispose([x, v1, v2, w1]);
  });

  it('with every step disabled it is the identity', () => {
    const x = tf.tensor4d(Rng.fromSeed(1).normalArray(2 * 4 * 4), [2, 4, 4, 1]);
    const y = simsiamAugment(x, Rng.fromSeed(1), { crop: false, jitter: false, blur: false, flip: false, rot90: false });
    expect(Array.from(y.dataSync())).to.deep.equal(Array.from(x.dataSync()));
    tf.dispose([x, y]);
  });
});
