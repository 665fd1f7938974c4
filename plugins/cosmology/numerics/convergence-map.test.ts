import { expect } from 'chai';
import { radialPowerSpectrum } from '../../../core/index.js';
import { Rng } from '../../../core/index.js';
import { simulateConvergenceMap } from './convergence-map.js';
import { gaussianRandomField } from './gaussian-random-field.js';
import { lognormalTransform } from './lognormal-transform.js';
import { parametricPowerSpectrum } from './power-spectrum-model.js';

function minimum(x: ArrayLike<number>): number {
  let m = Infinity;
  for (let i = 0; i < x.length; i++) if (x[i] < m) m = x[i];
  return m;
}

function moments(x: ArrayLike<number>): { mean: number; std: number; skew: number } {
  let m = 0;
  for (let i = 0; i < x.length; i++) m += x[i];
  m /= x.length;
  let s2 = 0, s3 = 0;
  for (let i = 0; i < x.length; i++) { const d = x[i] - m; s2 += d * d; s3 += d * d * d; }
  s2 /= x.length; s3 /= x.length;
  return { mean: m, std: Math.sqrt(s2), skew: s3 / s2 ** 1.5 };
}

describe('plugins/cosmology numerics: Gaussian random field', () => {
  it('recovers the input P(k) from many realisations within sampling error', () => {
    const n = 32, R = 40;
    const P = parametricPowerSpectrum({ amplitude: 0.3, spectralIndex: -1, cutoff: 0.15 });
    const rng = Rng.fromSeed(2024);
    const nBins = n / 2 + 1;
    const measured = new Float64Array(nBins);
    let counts: Int32Array = new Int32Array(nBins);
    for (let r = 0; r < R; r++) {
      const { field } = gaussianRandomField(n, P, rng);
      const ps = radialPowerSpectrum(field, n);
      for (let b = 0; b < nBins; b++) measured[b] += ps.power[b] / R;
      counts = ps.counts;
    }
    // Expected bin value: the mean of P(|k|) over the same modes (k in cycles/pixel = integer k / n).
    const expected = new Float64Array(nBins);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const kx = j < n / 2 ? j : j - n, ky = i < n / 2 ? i : i - n;
        const kk = Math.sqrt(kx * kx + ky * ky);
        const b = Math.round(kk);
        if (b < nBins) expected[b] += P(kk / n) / counts[b];
      }
    }
    expect(measured[0]).to.be.below(1e-20);         // P(0) = 0: every map has zero mean
    let chi2 = 0;
    for (let b = 1; b < nBins; b++) {
      // Modes come in ± pairs with equal power, each pair ~ Exp(mean P): relative error 1/√(R·counts/2).
      const sigma = expected[b] / Math.sqrt((R * counts[b]) / 2);
      const z = (measured[b] - expected[b]) / sigma;
      expect(Math.abs(z)).to.be.below(4, `bin ${b}: measured ${measured[b]}, expected ${expected[b]}`);
      chi2 += z * z;
    }
    expect(chi2 / (nBins - 1)).to.be.within(0.3, 2.0);
  });

  it('has the stated pixel variance σ² = Σ P / n²', () => {
    const n = 48;                                     // not a power of two
    const P = parametricPowerSpectrum({ amplitude: 1, spectralIndex: 0, cutoff: 0.2 });
    const rng = Rng.fromSeed(9);
    let sum2 = 0, count = 0, variance = 0;
    for (let r = 0; r < 30; r++) {
      const g = gaussianRandomField(n, P, rng);
      variance = g.variance;
      for (const v of g.field) { sum2 += v * v; count++; }
    }
    // ∫ P d²k = π k_c² = 0.1257 for ns = 0; the grid sum is close to it.
    expect(variance).to.be.closeTo(Math.PI * 0.04, 0.003);
    expect(sum2 / count).to.be.closeTo(variance, 0.06 * variance);
  });

  it('rejects a negative or non-finite spectrum and bad sizes', () => {
    expect(() => gaussianRandomField(8, () => -1, Rng.fromSeed(1))).to.throw('power: expected P(k) to be a finite number >= 0, got -1');
    expect(() => gaussianRandomField(1, () => 1, Rng.fromSeed(1))).to.throw('n: expected an integer >= 2, got 1');
    expect(() => parametricPowerSpectrum({ amplitude: 0, spectralIndex: -1, cutoff: 0.1 })).to.throw('amplitude: expected a number > 0, got 0');
    expect(() => parametricPowerSpectrum({ amplitude: 1, spectralIndex: -1, cutoff: -2 })).to.throw('cutoff: expected a number > 0 (cycles/pixel), got -2');
  });
});

describe('plugins/cosmology numerics: simulateConvergenceMap', () => {
  it('lognormal maps have mean ≈ 0, a positive skew and κ >= -λ', () => {
    const rng = Rng.fromSeed(7);
    const all: number[] = [];
    for (let r = 0; r < 20; r++) {
      const k = simulateConvergenceMap(64, {}, rng);
      expect(k).to.be.instanceOf(Float32Array);
      expect(k.length).to.equal(64 * 64);
      for (const v of k) all.push(v);
    }
    const m = moments(all);
    expect(minimum(all)).to.be.above(-0.05);
    expect(m.skew).to.be.above(1.0);                  // lognormal with σ_g ≈ 0.48: theory ≈ 1.6
    expect(m.std).to.be.within(0.02, 0.03);          // λ √(exp(σ_g²) - 1) ≈ 0.025
    // 20 maps of 64² with correlation length of a few pixels: the mean is 0 within ~1e-3.
    expect(Math.abs(m.mean)).to.be.below(0.1 * m.std);
    const gauss = moments(simulateConvergenceMap(64, { field: 'gaussian' }, Rng.fromSeed(7)));
    expect(Math.abs(gauss.skew)).to.be.below(0.3);
  });

  it('lognormalTransform has exact zero mean in expectation and the stated minimum', () => {
    // E[exp(g - σ²/2)] = 1 for g ~ N(0, σ²): check with many independent normals.
    const rng = Rng.fromSeed(3);
    const sigma2 = 0.5;
    const g = Float64Array.from({ length: 200000 }, () => rng.normal(0, Math.sqrt(sigma2)));
    const k = lognormalTransform(g, sigma2, 0.1);
    const m = moments(k);
    const theoryStd = 0.1 * Math.sqrt(Math.expm1(sigma2));
    expect(m.mean).to.be.closeTo(0, 4 * theoryStd / Math.sqrt(g.length));
    expect(m.std).to.be.closeTo(theoryStd, 0.02 * theoryStd);
    expect(m.skew).to.be.closeTo((Math.exp(sigma2) + 2) * Math.sqrt(Math.expm1(sigma2)), 0.25);
    expect(minimum(k)).to.be.above(-0.1);
  });

  it('is reproducible for the same seed and differs between seeds', () => {
    const a = simulateConvergenceMap(33, { shift: 0.03 }, Rng.fromSeed(42));
    const b = simulateConvergenceMap(33, { shift: 0.03 }, Rng.fromSeed(42));
    const c = simulateConvergenceMap(33, { shift: 0.03 }, Rng.fromSeed(43));
    expect(Array.from(a)).to.deep.equal(Array.from(b));
    expect(Array.from(a)).to.not.deep.equal(Array.from(c));
  });

  it('rejects bad parameters with the field named', () => {
    const rng = Rng.fromSeed(1);
    expect(() => simulateConvergenceMap(16, { shift: 0 }, rng)).to.throw('shift: expected a number > 0, got 0');
    expect(() => simulateConvergenceMap(16, { field: 'poisson' as 'gaussian' }, rng)).to.throw(`field: expected one of 'lognormal'|'gaussian', got "poisson"`);
    expect(() => simulateConvergenceMap(16, { spectralIndex: NaN }, rng)).to.throw('spectralIndex: expected a finite number, got NaN');
  });
});
