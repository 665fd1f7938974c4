import { expect } from 'chai';
import { pearson } from './pearson.js';
import { regularizedIncompleteBeta, logGamma } from './special-functions.js';

// Reference values: scipy 1.10.1 `scipy.stats.pearsonr` (two-sided); inputs from
// numpy.random.default_rng(42) rounded to 4 decimals (see the r2-score test for the stream).
const x = [-0.1849, -0.6809, 1.2225, -0.1545, -0.4283, -0.3521, 0.5323, 0.3654, 0.4127, 0.4308, 2.1416, -0.4064, -0.5122, -0.8138, 0.616];
const y = [1.055, -0.3863, -0.3512, -0.8863, 0.4793, 0.6024, 0.7561, -0.5193, 0.3972, 0.289, 1.0753, 0.7089, 0.0187, 0.3534, 0.314];

function relClose(actual: number, expected: number, rel: number): void {
  expect(Math.abs(actual - expected)).to.be.at.most(rel * Math.abs(expected), `${actual} vs ${expected}`);
}

describe('core/stats pearson', () => {
  it('matches scipy.stats.pearsonr r and two-sided p', () => {
    const a = pearson(x, y);
    relClose(a.r, 0.18608601533325864, 1e-13);
    relClose(a.pValue, 0.5066764188574141, 1e-12);
    const b = pearson(x, y.map((v, i) => -v + 0.1 * x[i]));
    relClose(b.r, -0.049980759338223546, 1e-12);
    relClose(b.pValue, 0.859594499868187, 1e-12);
    const c = pearson([1, 2, 3.5], [2, 1, 7]);          // n = 3: Beta(1/2, 1/2)
    relClose(c.r, 0.8446877845160875, 1e-14);
    relClose(c.pValue, 0.35957222234441777, 1e-12);
  });

  it('keeps relative precision for tiny p-values (n = 200)', () => {
    const xs = Array.from({ length: 200 }, (_, i) => i);
    const ys = xs.map((v) => v + 40 * Math.sin(v));
    const r = pearson(xs, ys);
    relClose(r.r, 0.8972778313214629, 1e-12);
    relClose(r.pValue, 3.0854902171810595e-72, 1e-9);
  });

  it('handles n = 2, perfect correlation and constant input like scipy', () => {
    expect(pearson([1, 2], [5, 3])).to.deep.equal({ r: -1, pValue: 1 });
    const p = pearson([1, 2, 3, 4], [2, 4, 6, 8]);
    expect(p.r).to.be.closeTo(1, 1e-15);
    expect(p.pValue).to.be.closeTo(0, 1e-15);
    const k = pearson([1, 1, 1], [1, 2, 3]);
    expect(Number.isNaN(k.r) && Number.isNaN(k.pValue)).to.equal(true);
  });

  it('rejects bad input with the field named', () => {
    expect(() => pearson([1], [1])).to.throw('x: expected at least 2 samples, got 1');
    expect(() => pearson([1, 2, 3], [1, 2])).to.throw('y: expected length 3, got length 2');
  });
});

describe('core/stats special functions', () => {
  it('logGamma matches known values', () => {
    // exact values, and scipy 1.10.1 scipy.special.gammaln(3.7), gammaln(1e6)
    expect(logGamma(0.5)).to.be.closeTo(0.5 * Math.log(Math.PI), 1e-15);
    expect(logGamma(1)).to.be.closeTo(0, 1e-15);
    expect(logGamma(10)).to.be.closeTo(Math.log(362880), 1e-13);
    expect(logGamma(3.7)).to.be.closeTo(1.428072326665388, 1e-14);  // scipy.special.gammaln(3.7)
    expect(logGamma(1e6)).to.be.closeTo(12815504.569147611, 1e-7);   // scipy.special.gammaln(1e6)
  });

  it('regularizedIncompleteBeta matches scipy.special.betainc', () => {
    // scipy 1.10.1: betainc(2.5, 3.0, 0.4), betainc(0.5, 0.5, 0.1), betainc(50, 50, 0.3), betainc(3, 7, 0.9)
    relClose(regularizedIncompleteBeta(0.4, 2.5, 3.0), 0.4123610068859568, 1e-13);
    relClose(regularizedIncompleteBeta(0.1, 0.5, 0.5), 0.2048327646991335, 1e-13);
    relClose(regularizedIncompleteBeta(0.3, 50, 50), 1.5547799761443244e-05, 1e-11);
    relClose(regularizedIncompleteBeta(0.9, 3, 7), 0.999997002, 1e-13);
  });
});
