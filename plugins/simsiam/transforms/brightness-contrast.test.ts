import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { Rng } from '../../../core/index.js';
import { brightnessContrastJitter } from './brightness-contrast.js';

function image(B: number, seed: number): tf.Tensor4D {
  // positive fluxes in 3 bands with different levels per band
  const rng = Rng.fromSeed(seed);
  const v = new Float32Array(B * 6 * 6 * 3);
  for (let i = 0; i < v.length; i++) v[i] = 1 + (i % 3) + rng.uniform(0, 1);
  return tf.tensor4d(v, [B, 6, 6, 3]);
}

const stats = (t: tf.Tensor4D, b: number) => tf.tidy(() => {
  const s = tf.slice(t, [b, 0, 0, 0], [1, -1, -1, -1]);
  const m = tf.moments(s);
  return [m.mean.dataSync()[0], Math.sqrt(m.variance.dataSync()[0])];
});

describe('simsiam/transforms/brightness-contrast', () => {
  before(async () => { await tf.setBackend('cpu'); });

  it('brightness (scale mode) multiplies every pixel and band of an image by one factor', () => {
    const B = 8, x = image(B, 1);
    const y = brightnessContrastJitter(x, Rng.fromSeed(2), { brightness: 0.4, contrast: 0, p: 1 });
    const ratio = tf.div(y, x).dataSync();
    const factors = new Set<string>();
    for (let b = 0; b < B; b++) {
      const r0 = ratio[b * 108];
      for (let k = 0; k < 108; k++) expect(ratio[b * 108 + k]).to.be.closeTo(r0, 1e-5); // colours preserved
      expect(r0).to.be.within(0.6, 1.4);
      expect(stats(y, b)[0]).to.be.closeTo(stats(x, b)[0] * r0, 1e-4); // mean shifts by the factor
      factors.add(r0.toFixed(4));
    }
    expect(factors.size).to.equal(B);
    tf.dispose([x, y]);
  });

  it('contrast keeps the mean and scales deviations from it', () => {
    const B = 6, x = image(B, 3);
    const y = brightnessContrastJitter(x, Rng.fromSeed(4), { brightness: 0, contrast: 0.4, p: 1 });
    for (let b = 0; b < B; b++) {
      const [mx, sx] = stats(x, b), [my, sy] = stats(y, b);
      expect(my).to.be.closeTo(mx, 1e-4);
      expect(sy / sx).to.be.within(0.6, 1.4);
    }
    tf.dispose([x, y]);
  });

  it('shift mode adds delta * std to every pixel; p = 0 copies exactly; seeded', () => {
    const B = 4, x = image(B, 5);
    const y = brightnessContrastJitter(x, Rng.fromSeed(6), { brightness: 0.5, contrast: 0, p: 1, mode: 'shift' });
    const diff = tf.sub(y, x).dataSync();
    for (let b = 0; b < B; b++) {
      const d0 = diff[b * 108];
      for (let k = 0; k < 108; k++) expect(diff[b * 108 + k]).to.be.closeTo(d0, 1e-5);
      expect(Math.abs(d0)).to.be.at.most(0.5 * stats(x, b)[1] + 1e-5);
    }
    const id = brightnessContrastJitter(x, Rng.fromSeed(6), { p: 0 });
    expect(Array.from(id.dataSync())).to.deep.equal(Array.from(x.dataSync()));
    const a = brightnessContrastJitter(x, Rng.fromSeed(7)), b2 = brightnessContrastJitter(x, Rng.fromSeed(7));
    expect(Array.from(a.dataSync())).to.deep.equal(Array.from(b2.dataSync()));
    tf.dispose([x, y, id, a, b2]);
  });

  it('validates its options', () => {
    const x = image(1, 1);
    expect(() => brightnessContrastJitter(x, Rng.fromSeed(1), { contrast: -1 }))
      .to.throw('brightnessContrastJitter.contrast: expected a number >= 0 or a [lo, hi] range, got -1');
    expect(() => brightnessContrastJitter(x, Rng.fromSeed(1), { mode: 'gamma' as 'scale' }))
      .to.throw('brightnessContrastJitter.mode: expected one of scale|shift, got "gamma"');
    x.dispose();
  });
});
