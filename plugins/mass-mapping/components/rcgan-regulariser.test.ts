import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { withBackend } from '../../../core/index.js';
import { idealPsnrGain, updateBetaSD } from '../losses/beta-sd-tuning.js';
import { rcganRegulariser, sdNormalisation } from '../losses/rcgan-regulariser-fn.js';
import { RcganRegulariser } from './rcgan-regulariser.js';

const opts = { betaSD: 1, samples: 2, autoTune: true, tuneSamples: 8, tuneRate: 0.02 };

describe('mass-mapping: rcGAN regulariser', () => {
  it('matches a hand-computed case (P = 3)', () => withBackend('cpu', () => {
    // x: one 1x2 image; three samples.
    const x = tf.tensor([[1, 2]]);
    const s = tf.tensor([[[0, 4]], [[3, 2]], [[0, 0]]]);
    // mean of samples = [1, 2] ; L1 = mean|x - mean| = 0
    // |s_i - mean|: [1,2] [2,0] [1,2] -> per-sample means 1.5, 1, 1.5 ; Σ = 4
    // sqrt(π/(2·3·2)) = sqrt(π/12) = 0.511663353... ; SD = 4·0.5116633 = 2.0466534
    const r = rcganRegulariser(x, s, 0.5);
    expect(r.l1.dataSync()[0]).to.be.closeTo(0, 1e-7);
    expect(r.sd.dataSync()[0]).to.be.closeTo(4 * Math.sqrt(Math.PI / 12), 1e-6);
    expect(r.loss.dataSync()[0]).to.be.closeTo(-0.5 * 4 * Math.sqrt(Math.PI / 12), 1e-6);
    tf.dispose([x, s, r.l1, r.sd, r.loss]);

    // A case with an L1 error: x = [0, 0], samples [1, 3] and [3, -1] (P = 2): mean [2, 1]
    // L1 = (2 + 1)/2 = 1.5 ; |s_i - mean| = [1, 2], [1, 2] -> 1.5 each, Σ = 3 ; sqrt(π/4) = 0.886226925
    // loss = 1.5 - 2 · 3 · 0.886226925 = -3.81736155
    const x2 = tf.tensor([[0, 0]]);
    const s2 = tf.tensor([[[1, 3]], [[3, -1]]]);
    const r2 = rcganRegulariser(x2, s2, 2);
    expect(r2.l1.dataSync()[0]).to.be.closeTo(1.5, 1e-6);
    expect(r2.sd.dataSync()[0]).to.be.closeTo(3 * 0.886226925, 1e-6);
    expect(r2.loss.dataSync()[0]).to.be.closeTo(-3.81736155, 1e-5);
    tf.dispose([x2, s2, r2.l1, r2.sd, r2.loss]);
  }));

  it('L_SD is an unbiased estimate of the sample std for Gaussian samples', () => withBackend('cpu', () => {
    const P = 4;
    const samples = tf.randomNormal([P, 64, 32, 32, 1], 0, 0.3, 'float32', 7);
    const r = rcganRegulariser(tf.zeros([64, 32, 32, 1]), samples, 1);
    expect(r.sd.dataSync()[0]).to.be.closeTo(0.3, 0.005);
    tf.dispose([samples, r.l1, r.sd, r.loss]);
  }));

  it('more spread lowers the loss: d loss / d spread < 0 for β_SD > 0, and 0 for β_SD = 0', () => withBackend('cpu', () => {
    const x = tf.tensor([[0.2, -0.1, 0.4]]);
    const centre = tf.tensor([[0.1, 0.0, 0.3]]);
    const dir = tf.tensor([[[1, -0.5, 0.3]], [[-1, 0.5, -0.3]]]);   // symmetric: the mean stays at centre
    const lossAt = (beta: number) => (t: tf.Tensor): tf.Tensor => rcganRegulariser(x, tf.add(tf.expandDims(centre, 0), tf.mul(t, dir)), beta).loss;
    const t = tf.scalar(0.5);
    const g = tf.grad(lossAt(1))(t).dataSync()[0];
    expect(g).to.be.lessThan(0);
    // analytic: Σ_i mean|t·dir_i| = 2·t·0.6 -> d/dt = 1.2 ; · sqrt(π/4) · β
    expect(g).to.be.closeTo(-1.2 * Math.sqrt(Math.PI / 4), 1e-5);
    expect(tf.grad(lossAt(0))(t).dataSync()[0]).to.be.closeTo(0, 1e-7);
    tf.dispose([x, centre, dir, t]);
  }));

  it('rejects P < 2, a negative β_SD and mismatched shapes', () => withBackend('cpu', () => {
    expect(() => sdNormalisation(1)).to.throw('P: expected an integer >= 2 (samples per conditioning input), got 1');
    const x = tf.zeros([2, 3]);
    expect(() => rcganRegulariser(x, tf.zeros([2, 2, 4]), 1)).to.throw('samples: expected shape [P, 2, 3] (P samples of x\'s shape), got [2, 2, 4]');
    expect(() => rcganRegulariser(x, tf.zeros([2, 2, 3]), -1)).to.throw('betaSD: expected a number >= 0, got -1');
    const reg = new RcganRegulariser(opts);
    expect(() => reg.compute(x, tf.zeros([3, 2, 3]))).to.throw('samples: expected P = 2 samples (loss option "samples"), got 3');
    expect(() => reg.setBetaSD(Number.NaN)).to.throw('betaSD: expected a number >= 0, got NaN');
  }));

  it('β_SD auto-tuning follows the PSNR-gain rule (2.50 dB ideal gain for P = 8)', () => {
    expect(idealPsnrGain(8)).to.be.closeTo(10 * Math.log10(16 / 9), 1e-12);
    expect(idealPsnrGain(8)).to.be.closeTo(2.4988, 1e-4);
    // measured gain 1 dB < ideal: samples too alike -> β_SD grows by μ·(gap)
    expect(updateBetaSD(1, 20, 21, 8, 0.02)).to.be.closeTo(1 + 0.02 * (2.4988 - 1), 1e-4);
    // gain 5 dB > ideal: β_SD shrinks, never below 0
    expect(updateBetaSD(1, 20, 25, 8, 0.02)).to.be.lessThan(1);
    expect(updateBetaSD(0.01, 20, 40, 8, 0.02)).to.equal(0);
    const reg = new RcganRegulariser(opts);
    expect(reg.tune(20, 21)).to.be.closeTo(1.0299, 1e-4);
    const fixed = new RcganRegulariser({ ...opts, autoTune: false });
    expect(fixed.tune(20, 21)).to.equal(1);
    expect(() => updateBetaSD(1, NaN, 20, 8, 0.02)).to.throw('psnrSingle: expected a finite number (dB), got NaN');
  });
});
