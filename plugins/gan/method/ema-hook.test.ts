import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { emaHook, makeEmaUpdate } from './ema-hook.js';

const mk = (v: number) => {
  const m = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1], useBias: true })] });
  m.setWeights([tf.tensor2d([[v]]), tf.tensor1d([v])]);
  return m;
};

describe('gan/dcgan weight averaging', () => {
  before(async () => { await tf.setBackend('cpu'); });

  it('makeEmaUpdate: avg ← β_t·avg + (1 − β_t)·src with β_t = min(β, (1 + t)/(10 + t))', () => {
    const src = mk(10), avg = mk(0);
    const upd = makeEmaUpdate(src, avg, 0.9);
    upd(0);                                   // β_0 = 0.1 → 0.1·0 + 0.9·10 = 9
    expect(avg.getWeights()[0].dataSync()[0]).to.be.closeTo(9, 1e-5);
    upd(1000);                                // β = 0.9 → 0.9·9 + 0.1·10 = 9.1
    expect(avg.getWeights()[1].dataSync()[0]).to.be.closeTo(9.1, 1e-5);
    expect(() => makeEmaUpdate(src, avg, 1, 'model.method.ema.decay')).to.throw('model.method.ema.decay: expected a number in [0, 1), got 1');
    const other = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [1] })] });
    expect(() => makeEmaUpdate(src, other, 0.5)).to.throw('ema: the averaged model does not have the architecture of the trained one');
  });

  it('emaHook: starts the average as a copy of the trained weights, then updates after each step at its global index', () => {
    const src = mk(10), avg = mk(0);
    const hook = emaHook(src, avg, 0.9);
    expect(avg.getWeights()[0].dataSync()[0]).to.equal(10);           // a copy of src
    src.setWeights([tf.tensor2d([[20]]), tf.tensor1d([20])]);
    hook.afterStep!({ epoch: 3, step: 0, globalStep: 1000, totalSteps: 2000, lr: {} }, { gLoss: 0 });
    expect(avg.getWeights()[0].dataSync()[0]).to.be.closeTo(0.9 * 10 + 0.1 * 20, 1e-5);   // β = min(0.9, 1001/1010)
    hook.afterStep!({ epoch: 0, step: 0, globalStep: 0, totalSteps: 2000, lr: {} }, { gLoss: 0 });
    expect(avg.getWeights()[1].dataSync()[0]).to.be.closeTo(0.1 * 11 + 0.9 * 20, 1e-5);    // β_0 = 0.1
  });
});
