import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { Rng } from '../../../core/index.js';
import { BLUR_EDGE, BLUR_REFLECT, BLUR_SYMMETRIC } from './blur-parity.fixture.js';
import { blurWithSigmas, gaussianBlur, type BlurPadding } from './gaussian-blur.js';

describe('simsiam/transforms/gaussian-blur', () => {
  before(async () => { await tf.setBackend('cpu'); });

  it('blurs a delta into a unit-sum Gaussian of the right width, channel by channel', () => {
    const N = 25, c = 12, sigma = 2;
    const v = new Float32Array(N * N * 2);
    v[(c * N + c) * 2 + 1] = 1; // delta in channel 1 only
    const x = tf.tensor4d(v, [1, N, N, 2]);
    const y = gaussianBlur(x, Rng.fromSeed(1), { sigma: [sigma, sigma], p: 1 });
    const out = y.dataSync();
    let sum = 0, sumCh0 = 0, varX = 0;
    for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) {
      const w = out[(i * N + j) * 2 + 1];
      sum += w; sumCh0 += Math.abs(out[(i * N + j) * 2]); varX += w * (j - c) ** 2;
    }
    expect(sum).to.be.closeTo(1, 1e-5);
    expect(sumCh0).to.equal(0);
    // variance of the normalised sampled Gaussian truncated at r = floor(4*2 + 0.5) = 8
    let num = 0, den = 0;
    for (let k = -8; k <= 8; k++) { const g = Math.exp(-k * k / 8); num += k * k * g; den += g; }
    expect(varX).to.be.closeTo(num / den, 1e-4);
    expect(varX).to.be.closeTo(sigma * sigma, 0.01);
    // separable and isotropic: the 2-D response is the outer product g(i) g(j)
    expect(out[(c * N + c + 3) * 2 + 1]).to.be.closeTo(out[((c + 3) * N + c) * 2 + 1], 1e-7);
    tf.dispose([x, y]);
  });

  it('matches scipy.ndimage.gaussian_filter per sample for all three border modes', () => {
    const n = 2 * 6 * 7 * 2;
    const v = new Float32Array(n);
    for (let k = 0; k < n; k++) v[k] = Math.sin(0.7 * k) + 0.3 * Math.cos(1.9 * k);
    const x = tf.tensor4d(v, [2, 6, 7, 2]);
    const refs: [BlurPadding, number[]][] = [['reflect', BLUR_REFLECT], ['symmetric', BLUR_SYMMETRIC], ['edge', BLUR_EDGE]];
    for (const [mode, ref] of refs) {
      const y = blurWithSigmas(x, [1.2, 0.7], 4, mode);
      const got = y.dataSync();
      expect(got.length).to.equal(ref.length);
      for (let k = 0; k < ref.length; k++) expect(got[k], `${mode}[${k}]`).to.be.closeTo(ref[k], 2e-6);
      y.dispose();
    }
    x.dispose();
  });

  it('draws sigma per sample, p = 0 is the identity, and it is seeded', () => {
    const x = tf.tensor4d(Rng.fromSeed(2).normalArray(6 * 8 * 8), [6, 8, 8, 1]);
    const id = gaussianBlur(x, Rng.fromSeed(3), { p: 0 });
    expect(Array.from(id.dataSync())).to.deep.equal(Array.from(x.dataSync()));
    const a = gaussianBlur(x, Rng.fromSeed(3), { sigma: [0.5, 2], p: 1 });
    const b = gaussianBlur(x, Rng.fromSeed(3), { sigma: [0.5, 2], p: 1 });
    expect(Array.from(a.dataSync())).to.deep.equal(Array.from(b.dataSync()));
    // replay the draws: sample k is blurred with its own sigma
    const replay = Rng.fromSeed(3);
    const sigmas = Array.from({ length: 6 }, () => { replay.random(); return replay.uniform(0.5, 2); });
    const want = blurWithSigmas(x, sigmas, 4, 'reflect');
    expect(tf.max(tf.abs(tf.sub(want, a))).dataSync()[0]).to.be.below(1e-6);
    expect(new Set(sigmas.map((s) => s.toFixed(3))).size).to.equal(6);
    tf.dispose([x, id, a, b, want]);
  });

  it('clamps the radius to the image for reflect padding and validates options', () => {
    const x = tf.ones([1, 3, 3, 1]) as tf.Tensor4D;
    const y = blurWithSigmas(x, [5], 4, 'reflect'); // r = 20 clamped to 2
    for (const v of y.dataSync()) expect(v).to.be.closeTo(1, 1e-6);
    expect(() => gaussianBlur(x, Rng.fromSeed(1), { padding: 'wrap' as BlurPadding }))
      .to.throw('gaussianBlur.padding: expected one of reflect|symmetric|edge, got "wrap"');
    expect(() => gaussianBlur(x, Rng.fromSeed(1), { sigma: [-1, 2] }))
      .to.throw('gaussianBlur.sigma: expected [lo, hi] with 0 <= lo <= hi, got [-1,2]');
    tf.dispose([x, y]);
  });
});
