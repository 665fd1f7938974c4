import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { Rng } from '../../../core/index.js';
import { buildUNet } from './unet.js';

function trainableCount(m: tf.LayersModel): number {
  return m.trainableWeights.reduce((s, w) => s + (w.shape as number[]).reduce((a, b) => a * b, 1), 0);
}

/** Independent parameter count of the documented architecture (3x3 conv without bias + BN gamma/beta). */
function expectedCount(cin: number, cout: number, f: number, levels: number, nRes: number): number {
  const unit = (a: number, b: number) => 9 * a * b + 2 * b;
  let n = 0, prev = cin;
  for (let l = 0; l < levels; l++) { const c = f * 2 ** l; n += unit(prev, c) + unit(c, c); prev = c; }
  const fb = f * 2 ** levels;
  n += unit(prev, fb) + nRes * 2 * unit(fb, fb);
  prev = fb;
  for (let l = levels - 1; l >= 0; l--) { const c = f * 2 ** l; n += unit(prev, c) + unit(2 * c, c) + unit(c, c); prev = c; }
  return n + f * cout + cout; // 1x1 output conv with bias
}

describe('encoders/nets/unet', () => {
  before(async () => { await tf.setBackend('cpu'); });

  it('has the documented structure: 4 levels, concat skips, residual bottleneck', () => {
    const m = buildUNet({ inChannels: 3, outChannels: 1, inputSize: 32, levels: 4, baseFilters: 4, residualBlocks: 5, rng: Rng.fromSeed(1) });
    expect(trainableCount(m)).to.equal(expectedCount(3, 1, 4, 4, 5));
    const byClass = (c: string) => m.layers.filter((l) => l.getClassName() === c);
    expect(byClass('Concatenate').length).to.equal(4);
    expect(byClass('Add').length).to.equal(5);
    expect(byClass('UpSampling2D').length).to.equal(4);
    expect(byClass('Conv2DTranspose').length).to.equal(0);
    // bottleneck at 32 / 2^4 = 2 pixels with 4 * 2^4 = 64 channels
    expect(m.getLayer('unet_res0_add').outputShape).to.deep.equal([null, 2, 2, 64]);
    // skip of level 0 is concatenated at full resolution: 4 upsampled + 4 skip channels
    expect(m.getLayer('unet_dec0_concat').outputShape).to.deep.equal([null, 32, 32, 8]);
    m.dispose();
  });

  it('maps [B,S,S,Cin] to [B,S,S,Cout] and honours the output activation', () => {
    const m = buildUNet({ inChannels: 2, outChannels: 3, inputSize: 16, baseFilters: 2, residualBlocks: 1, outputActivation: 'tanh', rng: Rng.fromSeed(2) });
    const x = tf.randomNormal([2, 16, 16, 2], 0, 3, 'float32', 9);
    const y = m.predict(x) as tf.Tensor;
    expect(y.shape).to.deep.equal([2, 16, 16, 3]);
    const v = y.dataSync();
    expect(Math.max(...Array.from(v, Math.abs))).to.be.at.most(1);
    expect(new Set(Array.from(v)).size).to.be.greaterThan(100); // not constant
    tf.dispose([x, y]);
    m.dispose();
  });

  it('is reproducible from the seed, and builds without batch norm', () => {
    const opts = { inChannels: 1, outChannels: 1, inputSize: 16, baseFilters: 2, residualBlocks: 2 };
    const a = buildUNet({ ...opts, rng: Rng.fromSeed(5) });
    const b = buildUNet({ ...opts, rng: Rng.fromSeed(5) });
    const wa = a.getWeights(), wb = b.getWeights();
    for (let i = 0; i < wa.length; i++) expect(Array.from(wa[i].dataSync())).to.deep.equal(Array.from(wb[i].dataSync()));
    const nobn = buildUNet({ ...opts, batchNorm: false, rng: Rng.fromSeed(5) });
    expect(nobn.layers.some((l) => l.getClassName() === 'BatchNormalization')).to.equal(false);
    // each 3x3 conv swaps BN's 2c trainables for a bias of c
    expect(trainableCount(nobn)).to.be.lessThan(trainableCount(a));
    [a, b, nobn].forEach((m) => m.dispose());
  });

  it('rejects bad options with messages naming the field', () => {
    const rng = Rng.fromSeed(1);
    expect(() => buildUNet({ inChannels: 1, outChannels: 1, inputSize: 24, rng }))
      .to.throw('unet.inputSize: expected a multiple of 2^levels = 16, got 24');
    expect(() => buildUNet({ inChannels: 1, outChannels: 1, inputSize: 16, residualBlocks: -1, rng }))
      .to.throw('unet.residualBlocks: expected an integer >= 0, got -1');
    expect(() => buildUNet({ inChannels: 1, outChannels: 1, inputSize: 16, outputActivation: 'softmax' as 'tanh', rng }))
      .to.throw('unet.outputActivation: expected one of linear|tanh|sigmoid|relu, got "softmax"');
  });
});
