import { expect } from 'chai';
import { clenshawFourier, hypergeometricSeriesCoefficients } from './epl.js';
import { angularPolynomials, buildAngularTable, EPL_TABLE_MAX_INTERVALS, EPL_TABLE_MIN_INTERVALS } from './epl-angular-table.js';

/** Reads P and Q at x from a table exactly as the render kernel does. */
function lookup(coef: Float64Array, M: number, x: number): [number, number] {
  const pos = (x + 1) * (M / 2);
  let k = pos | 0;
  if (k > M - 1) k = M - 1;
  const tau = pos - k, o = k << 3;
  return [
    coef[o] + tau * (coef[o + 1] + tau * (coef[o + 2] + tau * coef[o + 3])),
    coef[o + 4] + tau * (coef[o + 5] + tau * (coef[o + 6] + tau * coef[o + 7])),
  ];
}

describe('lensing/EPL angular table', () => {
  it('P(cos th) + i sin th Q(cos th) is the Fourier series, and P\', Q\' are its derivatives', () => {
    const coef = hypergeometricSeriesCoefficients(0.3, 1.1, 1e-12);
    const out = new Float64Array(4), up = new Float64Array(4), dn = new Float64Array(4);
    for (const th of [0.1, 1, 2, 3]) {
      const x = Math.cos(th);
      angularPolynomials(coef, x, out);
      const [re, im] = clenshawFourier(coef, x, Math.sin(th));
      expect(out[0]).to.be.closeTo(re, 1e-14);
      expect(Math.sin(th) * out[2]).to.be.closeTo(im, 1e-14);
      angularPolynomials(coef, x + 1e-6, up);
      angularPolynomials(coef, x - 1e-6, dn);
      expect(out[1]).to.be.closeTo((up[0] - dn[0]) / 2e-6, 1e-7);
      expect(out[3]).to.be.closeTo((up[2] - dn[2]) / 2e-6, 1e-7);
    }
  });

  it('interpolates the series to its own error bound over [-1, 1], finer for flatter lenses', () => {
    let lastM = 0;
    for (const f of [0.05, 0.2, 0.35]) {
      const coef = hypergeometricSeriesCoefficients(f, 1.05, 1e-10);
      const tab = buildAngularTable(coef, 1e-10)!;
      expect(tab, `f ${f}`).to.not.equal(null);
      expect(tab.intervals).to.be.within(EPL_TABLE_MIN_INTERVALS, EPL_TABLE_MAX_INTERVALS);
      expect(tab.intervals).to.be.at.least(lastM);
      lastM = tab.intervals;
      expect(tab.errorBound).to.be.at.most(1e-10);
      const out = new Float64Array(4);
      let worst = 0;
      for (let i = 0; i <= 20000; i++) {
        const x = -1 + i / 10000;
        angularPolynomials(coef, x, out);
        const [p, q] = lookup(tab.coef, tab.intervals, x);
        worst = Math.max(worst, Math.abs(p - out[0]), Math.abs(q - out[2]));
      }
      expect(worst, `f ${f}`).to.be.below(1e-10);
    }
    expect(lastM).to.be.greaterThan(EPL_TABLE_MIN_INTERVALS);
  });

  it('gives up (null) when no table up to 4096 intervals reaches the tolerance', () => {
    const coef = hypergeometricSeriesCoefficients(0.85, 1.0, 1e-10);
    expect(buildAngularTable(coef, 1e-10)).to.equal(null);
    expect(buildAngularTable(coef, 1)).to.not.equal(null);
  });
});
