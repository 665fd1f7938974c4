import { expect } from 'chai';
import { Rng } from '../../../core/index.js';
import { addShapeNoise, shapeNoiseSigma } from './shape-noise.js';

function std(x: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) m += x[i];
  m /= x.length;
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i] - m) ** 2;
  return Math.sqrt(s / (x.length - 1));
}

describe('plugins/mass-mapping numerics: shape noise', () => {
  it('shapeNoiseSigma = σ_e / sqrt(n_gal · A_pix)', () => {
    // 30 gal/arcmin², 0.5' pixels: 7.5 galaxies per pixel → 0.37/√7.5
    expect(shapeNoiseSigma(0.37, 30, 0.5)).to.be.closeTo(0.37 / Math.sqrt(7.5), 1e-15);
    expect(shapeNoiseSigma(undefined, 4, 1)).to.be.closeTo(0.185, 1e-15);   // default σ_e = 0.37
    expect(() => shapeNoiseSigma(0.37, 0, 1)).to.throw('nGalPerArcmin2: expected a number > 0 (galaxies per arcmin²), got 0');
    expect(() => shapeNoiseSigma(0.37, 10, -1)).to.throw('pixelArcmin: expected a number > 0 (arcmin), got -1');
  });

  it('adds independent N(0, σ²) noise per pixel and component', () => {
    const n = 128 * 128;
    const sigma = shapeNoiseSigma(0.37, 30, 0.5);
    const gamma = { gamma1: new Float64Array(n).fill(0.02), gamma2: new Float64Array(n).fill(-0.01) };
    const noisy = addShapeNoise(gamma, sigma, Rng.fromSeed(8));
    const d1 = noisy.gamma1.map((v) => v - 0.02), d2 = noisy.gamma2.map((v) => v + 0.01);
    // Sample std of 16384 normals: relative standard error 1/√(2N) ≈ 0.55 %.
    expect(std(d1)).to.be.closeTo(sigma, 0.02 * sigma);
    expect(std(d2)).to.be.closeTo(sigma, 0.02 * sigma);
    let cross = 0;
    for (let i = 0; i < n; i++) cross += d1[i] * d2[i];
    expect(Math.abs(cross / n) / (sigma * sigma)).to.be.below(0.03);  // components uncorrelated
    expect(gamma.gamma1[0]).to.equal(0.02);                          // input untouched
  });

  it('per-pixel sigma and masks: masked pixels are 0, the rest unchanged by the mask', () => {
    const n = 4000;
    const gamma = { gamma1: new Float64Array(n).fill(0.1), gamma2: new Float64Array(n) };
    const sigmas = Float64Array.from({ length: n }, (_, i) => (i < n / 2 ? 0.1 : 0.3));
    const mask = Array.from({ length: n }, (_, i) => i % 3 !== 0);
    const masked = addShapeNoise(gamma, sigmas, Rng.fromSeed(4), mask);
    const open = addShapeNoise(gamma, sigmas, Rng.fromSeed(4));
    for (let i = 0; i < n; i++) {
      if (mask[i]) {
        expect(masked.gamma1[i]).to.equal(open.gamma1[i]);
        expect(masked.gamma2[i]).to.equal(open.gamma2[i]);
      } else {
        expect(masked.gamma1[i]).to.equal(0);
        expect(masked.gamma2[i]).to.equal(0);
      }
    }
    expect(std(open.gamma2.subarray(0, n / 2))).to.be.closeTo(0.1, 0.006);
    expect(std(open.gamma2.subarray(n / 2))).to.be.closeTo(0.3, 0.018);
  });

  it('is reproducible for a seed and rejects bad input with the field named', () => {
    const gamma = { gamma1: new Float64Array(16), gamma2: new Float64Array(16) };
    expect(addShapeNoise(gamma, 0.2, Rng.fromSeed(1))).to.deep.equal(addShapeNoise(gamma, 0.2, Rng.fromSeed(1)));
    expect(() => addShapeNoise(gamma, -0.1, Rng.fromSeed(1))).to.throw('sigma: expected a number >= 0, got -0.1');
    expect(() => addShapeNoise(gamma, [0.1], Rng.fromSeed(1))).to.throw('sigma: expected one value per pixel (length 16), got length 1');
    expect(() => addShapeNoise(gamma, 0.1, Rng.fromSeed(1), [1, 0])).to.throw('mask: expected length 16, got 2');
    expect(() => addShapeNoise({ gamma1: new Float64Array(16), gamma2: new Float64Array(4) }, 0.1, Rng.fromSeed(1)))
      .to.throw('gamma.gamma2: expected length 16 (as gamma.gamma1), got 4');
  });
});
