import { expect } from 'chai';
import { Rng } from '../../../core/index.js';
import { addNoise } from './noise.js';
import { ZigguratNormal } from './ziggurat-normal.js';

function moments(v: ArrayLike<number>): { mean: number; variance: number; kurtosis: number } {
  let m = 0;
  for (let i = 0; i < v.length; i++) m += v[i];
  m /= v.length;
  let m2 = 0, m4 = 0;
  for (let i = 0; i < v.length; i++) { const d = v[i] - m; m2 += d * d; m4 += d * d * d * d; }
  m2 /= v.length; m4 /= v.length;
  return { mean: m, variance: m2, kurtosis: m4 / (m2 * m2) };
}

describe('lensing/noise', () => {
  it('ziggurat deviates are standard normal (moments, 1/2/3-sigma fractions, tails)', () => {
    const n = 1 << 19;
    const v = new Float64Array(n);
    new ZigguratNormal(Rng.fromSeed(11)).fill(v);
    const m = moments(v);
    expect(m.mean).to.be.closeTo(0, 0.006);
    expect(m.variance).to.be.closeTo(1, 0.01);
    expect(m.kurtosis).to.be.closeTo(3, 0.05);
    const frac = (k: number): number => v.filter((x) => Math.abs(x) < k).length / n;
    expect(frac(1)).to.be.closeTo(0.682689, 0.003);
    expect(frac(2)).to.be.closeTo(0.954500, 0.0015);
    expect(frac(3)).to.be.closeTo(0.997300, 0.0004);
    // beyond the ziggurat's base strip r = 3.4426: expected 2 * 2.88e-4 of the draws
    const tail = v.filter((x) => Math.abs(x) > 3.5).length / n;
    expect(tail).to.be.closeTo(4.65e-4, 1.5e-4);
    const pos = v.filter((x) => x > 0).length / n;
    expect(pos).to.be.closeTo(0.5, 0.004);
  });

  it('adds N(0, bg^2) + N(0, |I|/t): mean and variance over a large flat image', () => {
    const n = 256 * 256;
    for (const level of [2, -2, 0]) {
      const img = new Float64Array(n).fill(level);
      addNoise(img, { background_rms: 0.05, exposure_time: 100 }, Rng.fromSeed(5));
      const m = moments(img);
      const want = 0.05 * 0.05 + Math.abs(level) / 100;
      expect(m.mean, `level ${level}`).to.be.closeTo(level, 4 * Math.sqrt(want / n));
      expect(m.variance / want, `level ${level}`).to.be.closeTo(1, 0.03);
    }
  });

  it('exposure_time null disables the Poisson term; the same seed gives the same noise', () => {
    const a = new Float32Array(4096).fill(100);
    addNoise(a, { background_rms: 0.1, exposure_time: null }, Rng.fromSeed(3));
    expect(moments(a).variance).to.be.closeTo(0.01, 0.001);
    const b = new Float32Array(4096).fill(100);
    addNoise(b, { background_rms: 0.1, exposure_time: null }, Rng.fromSeed(3));
    expect(Array.from(a)).to.deep.equal(Array.from(b));
    const c = new Float32Array(4096).fill(100);
    addNoise(c, { background_rms: 0.1, exposure_time: null }, Rng.fromSeed(4));
    expect(Array.from(c)).to.not.deep.equal(Array.from(a));
  });
});
