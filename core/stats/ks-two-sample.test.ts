import { expect } from 'chai';
import { kolmogorovNSf } from './kolmogorov-finite-n.js';
import { kolmogorovSf } from './kolmogorov-limit.js';
import { ksTwoSample, ksTwoSampleExactPValue } from './ks-two-sample.js';
import { smirnovSf } from './smirnov.js';

// Reference values: scipy 1.10.1 (Debian python3-scipy; scipy 1.17.1 agrees to ~1 ulp):
// scipy.stats.ks_2samp(a, b, method=...), scipy.stats.kstwo.sf, scipy.special.smirnov and
// scipy.special.kolmogorov. Samples from numpy.random.default_rng(7), rounded as stored.
const a8 = [0.001, 0.299, -0.274, -0.891, -0.455, -0.992, 0.06, 1.34];
const b11 = [0.308, 0.18, 1.29, 1.157, 0.905, -0.13, 0.771, 1.495, -0.544, 0.342, -1.101];
// Rounded to 0.1, so both samples have many ties within and across samples.
const c30 = [-1.3, -1.8, -0.2, -1.3, 0.3, 0.2, -0.2, -2.5, -0.5, -0.0, 0.1, -1.5, -0.5, -1.0, -0.8, 1.1, -0.8, -0.0, 0.9, -0.6, -0.1, 0.1, 0.1, -1.2, 0.1, 1.4, -1.5, 0.9, 0.1, -0.6];
const d45 = [2.3, 1.1, -0.9, 0.4, 0.9, 0.1, 1.0, 0.2, 1.0, 1.7, -0.4, 0.5, -0.2, 0.4, -0.9, -0.3, 0.1, 1.2, 1.4, -1.0, -0.5, 0.9, -1.7, -0.2, 0.2, 1.6, 1.0, -0.0, -0.1, 0.0, 1.8, -0.1, -0.0, 0.7, 0.2, 0.1, -0.8, 0.3, -0.1, 1.5, 1.0, 0.3, 1.0, -0.0, 1.4];
const e25 = [-0.005, 0.583, -1.291, 0.347, -1.688, -2.035, -0.304, -0.9, 0.164, 2.245, -0.832, -0.624, 0.205, 0.493, -0.176, -0.206, 0.702, 0.52, -1.034, -0.079, 0.035, -1.054, 0.26, -0.858, 0.972];
const f25 = [1.093, 0.989, 0.309, 0.781, -1.098, -0.231, 1.263, -1.229, 1.747, -0.846, 1.657, 0.055, 1.679, 1.031, -0.637, 2.149, 2.342, 0.834, 0.626, 0.74, -0.075, 1.999, 0.357, 0.849, 0.107];

function relClose(actual: number, expected: number, rel: number, abs = 0): void {
  expect(Math.abs(actual - expected)).to.be.at.most(rel * Math.abs(expected) + abs, `${actual} vs ${expected}`);
}

/** Deterministic samples, reproduced bit for bit in numpy: frac(i·φ⁻¹) and 0.98·frac(j√2) + 0.01. */
function largeSamples(): { A: Float64Array; B: Float64Array } {
  const g = (Math.sqrt(5) - 1) / 2;
  const A = Float64Array.from({ length: 10050 }, (_, i) => (i * g) % 1.0);
  const B = Float64Array.from({ length: 9000 }, (_, j) => ((j * Math.SQRT2) % 1.0) * 0.98 + 0.01);
  return { A, B };
}

describe('core/stats ksTwoSample', () => {
  it('matches scipy ks_2samp for small unequal samples (auto = exact, and asymptotic)', () => {
    const auto = ksTwoSample(a8, b11);
    expect(auto.method).to.equal('exact');
    relClose(auto.statistic, 0.5113636363636364, 1e-15);
    relClose(auto.pValue, 0.12820512820512822, 1e-13);
    const exact = ksTwoSample(Float64Array.from(a8), b11, { method: 'exact' });
    relClose(exact.pValue, 0.12820512820512822, 1e-13);
    const asym = ksTwoSample(a8, b11, { method: 'asymptotic' });
    expect(asym.method).to.equal('asymptotic');
    relClose(asym.pValue, 0.09769623069347017, 1e-13);
  });

  it('handles ties within and across samples like scipy (searchsorted right)', () => {
    const auto = ksTwoSample(c30, d45);
    relClose(auto.statistic, 0.35555555555555557, 1e-15);
    relClose(auto.pValue, 0.01715351668550169, 1e-12);
    const asym = ksTwoSample(c30, d45, { method: 'asymptotic' });
    relClose(asym.statistic, 0.3555555555555556, 1e-15);
    relClose(asym.pValue, 0.01530061033916208, 1e-12);
  });

  it('matches scipy for equal sample sizes (scipy uses a closed form there)', () => {
    const auto = ksTwoSample(e25, f25);
    relClose(auto.statistic, 0.48, 1e-15);
    relClose(auto.pValue, 0.005614410507946465, 1e-12);
    relClose(ksTwoSample(e25, f25, { method: 'asymptotic' }).pValue, 0.004589358934193877, 1e-12);
  });

  it('switches to the asymptotic p-value above 10000 samples in auto mode', () => {
    const { A, B } = largeSamples();
    const r = ksTwoSample(A, B);
    expect(r.method).to.equal('asymptotic');
    relClose(r.statistic, 0.010213930348258706, 1e-13);
    relClose(r.pValue, 0.7008909790221585, 1e-10);
    const e = ksTwoSample(A.subarray(0, 2000), B.subarray(0, 3001), { method: 'exact' });
    expect(e.method).to.equal('exact');
    relClose(e.statistic, 0.010838220593135621, 1e-14);
    relClose(e.pValue, 0.9986304884543399, 1e-12);
    relClose(ksTwoSample(A.subarray(0, 2000), B.subarray(0, 3001), { method: 'asymptotic' }).pValue, 0.9987090777423177, 1e-12);
  });

  it('handles identical samples and single-sample edge cases like scipy', () => {
    expect(ksTwoSample([1, 2, 3], [1, 2, 3])).to.deep.equal({ statistic: 0, pValue: 1, method: 'exact' });
    // scipy: ks_2samp([5], [1, 2, 3]) -> (1.0, 0.5); ([2.5], [1, 2, 3]) -> (0.667, 1.0);
    // method='asymp' on the first -> p = 0.0
    expect(ksTwoSample([5], [1, 2, 3])).to.deep.equal({ statistic: 1, pValue: 0.5, method: 'exact' });
    const mid = ksTwoSample([2.5], [1, 2, 3]);
    relClose(mid.statistic, 0.6666666666666666, 1e-15);
    expect(mid.pValue).to.equal(1);
    expect(ksTwoSample([5], [1, 2, 3], { method: 'asymptotic' }).pValue).to.equal(0);
    expect(ksTwoSampleExactPValue(4, 6, 0)).to.equal(1);
  });

  it('exact p-value agrees with full path enumeration for tiny samples', () => {
    // Enumerate all C(n1+n2, n1) interleavings of two samples and count D >= d0.
    const n1 = 4, n2 = 6;
    const total = n1 + n2;
    const ds: number[] = [];
    for (let mask = 0; mask < 1 << total; mask++) {
      let ones = 0;
      for (let b = 0; b < total; b++) if (mask & (1 << b)) ones++;
      if (ones !== n1) continue;
      let i = 0, j = 0, d = 0;
      for (let b = 0; b < total; b++) {
        if (mask & (1 << b)) i++; else j++;
        d = Math.max(d, Math.abs(i * n2 - j * n1));     // in units of 1/lcm·g, here lcm = 12
      }
      ds.push(d / 2);                                    // |i/4 - j/6|·12 = |3i - 2j| = |6i-4j|/2
    }
    for (const h of [1, 3, 5, 7, 9, 12]) {
      const p = ds.filter((v) => v >= h).length / ds.length;
      expect(ksTwoSampleExactPValue(n1, n2, h)).to.be.closeTo(p, 1e-14);
    }
  });

  it('rejects bad input with the field named', () => {
    expect(() => ksTwoSample([], [1])).to.throw('a: expected at least 1 sample, got 0');
    expect(() => ksTwoSample([1], [2, NaN])).to.throw('b[1]: expected a finite number, got NaN');
    expect(() => ksTwoSampleExactPValue(4, 0, 1)).to.throw('n2: expected an integer >= 1, got 0');
    expect(() => ksTwoSample([1], [2], { method: 'fast' as 'auto' })).to.throw(`method: expected one of 'auto'|'exact'|'asymptotic', got "fast"`);
  });
});

describe('core/stats Kolmogorov distributions', () => {
  it('kolmogorovNSf matches scipy.stats.kstwo.sf in every algorithm regime', () => {
    // [n, x, kstwo.sf(x, n)] — Ruben-Gambino, Durbin matrix, Pomeranz, 2·smirnov, Pelz-Good.
    const cases: [number, number, number][] = [
      [1, 0.7, 0.6000000000000001], [5, 0.15, 0.9988], [5, 0.95, 6.250000000000028e-07],
      [10, 0.08, 0.9999978058034054], [10, 0.2, 0.7487190399999999], [10, 0.5, 0.00777741],
      [20, 0.1, 0.976255094592155], [20, 0.3, 0.04306706665851623], [100, 0.05, 0.9532159710635725],
      [100, 0.15, 0.019839242125641813], [140, 0.2, 2.1981563302200222e-05], [141, 0.05, 0.854845693009663],
      [500, 0.02, 0.9859871786857471], [500, 0.05, 0.15866260223815387], [1000, 0.03, 0.3226902143914636],
      [5000, 0.01, 0.6954557253913853], [50000, 0.004, 0.3994316646755731],
      [150000, 0.002, 0.5852546878861703], [150000, 0.005, 0.001102453936024622],
    ];
    for (const [n, x, ref] of cases) relClose(kolmogorovNSf(n, x), ref, 1e-10, 1e-13);
    expect(kolmogorovNSf(10, 0)).to.equal(1);
    expect(kolmogorovNSf(10, 1)).to.equal(0);
    expect(kolmogorovNSf(10, 0.04)).to.equal(1);          // x <= 1/(2n)
  });

  it('smirnovSf matches scipy.special.smirnov', () => {
    const cases: [number, number, number][] = [
      [1, 0.3, 0.7], [7, 0.2, 0.5084261725233533], [50, 0.1, 0.34490701996888],
      [1000, 0.05, 0.006506037390545166], [20000, 0.01, 0.01819312895757209],
    ];
    for (const [n, x, ref] of cases) relClose(smirnovSf(n, x), ref, 1e-11);
  });

  it('kolmogorovSf matches scipy.special.kolmogorov on both series', () => {
    const cases: [number, number][] = [
      [0.3, 0.9999906941986655], [0.6, 0.8642827790506042], [0.82, 0.5119717052984973], [1.0, 0.26999967167735456],
      [1.36, 0.049485876755377876], [2.0, 0.0006709252557796953], [3.0, 3.045995948942526e-08],
    ];
    for (const [y, ref] of cases) relClose(kolmogorovSf(y), ref, 1e-13);
  });
});
