import { expect } from 'chai';
import { loadFixture } from '../testing/fixtures.js';
import { gridCoordinates } from '../imaging/pixel-grid.js';
import { addPowerLawDeflections, clenshawFourier, EPL_TABLE_MIN_POINTS, EplProfile, hypergeometricSeriesCoefficients } from './epl.js';

describe('lensing/EPL (Tessore & Metcalf 2015)', () => {
  const lens = loadFixture('lens_models.json');

  it('sums 2F1(1, t/2; 2 - t/2; -f e^{i th}) like scipy.special.hyp2f1', () => {
    // reference: scipy 1.17.1 hyp2f1(1, t/2, 2 - t/2, -f*exp(1j*th))
    const cases: [number, number, number, number, number][] = [
      [1.1379, 0.1608, 0.7, 0.9525491147286537, -0.03529834642737712],
      [1.144, 0.3, -2.0, 1.0298521641437461, 0.12409910516571004],
      [0.5, 0.6, 2.5, 1.0675379948866253, -0.08242392868196823],
      [1.8, 0.85, 1.0, 0.6255136385683788, -0.2458506115690629],
    ];
    for (const [t, f, th, re, im] of cases) {
      const coef = hypergeometricSeriesCoefficients(f, t, 1e-13);
      const [r, i] = clenshawFourier(coef, Math.cos(th), Math.sin(th));
      expect(r).to.be.closeTo(re, 1e-12);
      expect(i).to.be.closeTo(im, 1e-12);
    }
  });

  it('stops the series at the requested tolerance (fewer terms for rounder lenses)', () => {
    const k = (f: number, tol: number): number => hypergeometricSeriesCoefficients(f, 1.1, tol).length - 1;
    expect(k(0, 1e-10)).to.equal(0);
    expect(k(0.1, 1e-10)).to.be.lessThan(k(0.3, 1e-10));
    expect(k(0.3, 1e-6)).to.be.lessThan(k(0.3, 1e-10));
    expect(k(0.3, 1e-10)).to.be.at.most(25);
    // the tail bound holds: dropping the remaining terms changes F by less than the tolerance
    const short = hypergeometricSeriesCoefficients(0.5, 1.2, 1e-8);
    const long = hypergeometricSeriesCoefficients(0.5, 1.2, 1e-15);
    for (const th of [0, 0.4, 1.3, Math.PI]) {
      const a = clenshawFourier(short, Math.cos(th), Math.sin(th));
      const b = clenshawFourier(long, Math.cos(th), Math.sin(th));
      expect(Math.hypot(a[0] - b[0], a[1] - b[1])).to.be.lessThan(1e-8);
    }
  });

  it('fast render kernel agrees with the exact deflection to 1e-12 relative, including near the centre', () => {
    const c = lens.cases[0].models.EPL.kwargs_list[0];
    const epl = new EplProfile(c);
    const xs = Float64Array.from([...lens.points.x, c.center_x, c.center_x + 1e-12, -3.1, 1e-3]);
    const ys = Float64Array.from([...lens.points.y, c.center_y, c.center_y, 4.2, c.center_y]);
    const ax = new Float64Array(xs.length), ay = new Float64Array(xs.length);
    epl.addDeflections(xs, ys, ax, ay, xs.length);
    xs.forEach((x, i) => {
      const [ex, ey] = epl.deflection(x, ys[i]);
      const scale = Math.max(Math.hypot(ex, ey), 1e-12);
      expect(Math.hypot(ax[i] - ex, ay[i] - ey) / scale, `point ${i}`).to.be.lessThan(1e-12);
    });
    // exactly at the centre: zero deflection and potential (lenstronomy's nan_to_num)
    expect(epl.deflection(c.center_x, c.center_y)).to.deep.equal([0, 0]);
    expect(epl.potential(c.center_x, c.center_y)).to.equal(0);
  });

  it('on large grids the kernel reads tables (angle, power) and stays within 1e-10 of the series kernel', () => {
    const g = gridCoordinates(110, 0.05, 3);
    const n = g.x.length;
    expect(n).to.be.at.least(EPL_TABLE_MIN_POINTS);
    for (const p of [
      { theta_E: 1.3, gamma: 2.15, e1: 0.18, e2: -0.12, center_x: 0.03, center_y: -0.04 },
      { theta_E: 0.9, gamma: 1.8, e1: -0.05, e2: 0.02, center_x: 0, center_y: 0 },
    ]) {
      const epl = new EplProfile(p);
      const ax = new Float64Array(n), ay = new Float64Array(n), sx = new Float64Array(n), sy = new Float64Array(n);
      epl.addDeflections(g.x, g.y, ax, ay, n);
      expect(epl.geometry.angular, 'table built').to.be.an('object');
      addPowerLawDeflections(epl.geometry, g.x, g.y, sx, sy, n);
      let worst = 0, differs = 0;
      for (let i = 0; i < n; i++) {
        const d = Math.hypot(ax[i] - sx[i], ay[i] - sy[i]);
        if (d > 0) differs++;
        worst = Math.max(worst, d / Math.max(Math.hypot(sx[i], sy[i]), 1e-12));
      }
      expect(worst).to.be.below(1e-10);
      expect(differs).to.be.greaterThan(n / 2); // the table path really ran
    }
  });

  it('kernel adds to existing values and leaves points beyond n untouched', () => {
    const epl = new EplProfile({ theta_E: 1, gamma: 2.2, e1: 0.1, e2: 0, center_x: 0, center_y: 0 });
    const ax = Float64Array.from([1, 1, 7]), ay = Float64Array.from([2, 2, 7]);
    epl.addDeflections(Float64Array.from([0.5, 0, 9]), Float64Array.from([0, 0.5, 9]), ax, ay, 2);
    const [a0x, a0y] = epl.deflection(0.5, 0);
    expect(ax[0]).to.be.closeTo(1 + a0x, 1e-12);
    expect(ay[0]).to.be.closeTo(2 + a0y, 1e-12);
    expect(ax[2]).to.equal(7);
  });

  it('theta_E is circularised: mean convergence inside the ellipse q x^2 + y^2/q = theta_E^2 is 1', () => {
    for (const gamma of [1.7, 2.0, 2.3]) {
      const thetaE = 1.3;
      const epl = new EplProfile({ theta_E: thetaE, gamma, e1: 0.25, e2: 0, center_x: 0, center_y: 0 });
      const q = epl.geometry.q;
      // mass inside the ellipse via Gauss' law on the deflection flux through its boundary:
      // integral of alpha . n dl = 2 * integral of kappa dA
      const M = 4000;
      let flux = 0;
      for (let k = 0; k < M; k++) {
        const th = (2 * Math.PI * (k + 0.5)) / M;
        const a = thetaE / Math.sqrt(q), b = thetaE * Math.sqrt(q);
        const x = a * Math.cos(th), y = b * Math.sin(th);
        const [ax, ay] = epl.deflection(x, y);
        // outward normal times arc length: (b cos th, a sin th) dth
        flux += (ax * b * Math.cos(th) + ay * a * Math.sin(th)) * ((2 * Math.PI) / M);
      }
      const meanKappa = flux / 2 / (Math.PI * thetaE * thetaE);
      expect(meanKappa, `gamma ${gamma}`).to.be.closeTo(1, 1e-6);
    }
  });

  it('gamma = 2 and q = 1 reduces to an SIS with the same Einstein radius', () => {
    const epl = new EplProfile({ theta_E: 1.5, gamma: 2, e1: 0, e2: 0, center_x: 0.1, center_y: -0.2 });
    const [ax, ay] = epl.deflection(1.1, 0.8);
    const r = Math.hypot(1.0, 1.0);
    expect(ax).to.be.closeTo((1.5 * 1.0) / r, 1e-12);
    expect(ay).to.be.closeTo((1.5 * 1.0) / r, 1e-12);
  });
});
