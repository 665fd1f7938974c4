import { expect } from 'chai';
import { loadFixture } from '../testing/fixtures.js';
import { EplProfile } from './epl.js';
import { SieProfile } from './sie.js';

describe('lensing/SIE (closed form)', () => {
  const lens = loadFixture('lens_models.json');

  it('equals EPL with gamma = 2 (deflection, potential, Hessian) to 1e-9', () => {
    for (const c of lens.cases) {
      const kw = c.models.SIE.kwargs_list[0];
      const sie = new SieProfile(kw);
      const epl = new EplProfile({ ...kw, gamma: 2 }, { tolerance: 1e-14 });
      lens.points.x.forEach((x: number, i: number) => {
        const y = lens.points.y[i];
        const a = sie.deflection(x, y), b = epl.deflection(x, y);
        expect(a[0]).to.be.closeTo(b[0], 1e-9);
        expect(a[1]).to.be.closeTo(b[1], 1e-9);
        expect(sie.potential(x, y)).to.be.closeTo(epl.potential(x, y), 1e-9);
        const h = sie.hessian(x, y), g = epl.hessian(x, y);
        for (let k = 0; k < 4; k++) expect(h[k]).to.be.closeTo(g[k], 1e-8 * Math.max(1, Math.abs(g[k])));
        expect(sie.convergence(x, y)).to.be.closeTo(epl.convergence(x, y), 1e-9 * Math.max(1, epl.convergence(x, y)));
      });
    }
  });

  it('handles a round lens (q = 1) continuously', () => {
    const round = new SieProfile({ theta_E: 1.2, e1: 0, e2: 0, center_x: 0, center_y: 0 });
    const almost = new SieProfile({ theta_E: 1.2, e1: 1e-9, e2: 0, center_x: 0, center_y: 0 });
    const [ax, ay] = round.deflection(0.6, -0.8);
    expect(ax).to.be.closeTo(1.2 * 0.6, 1e-14);
    expect(ay).to.be.closeTo(-1.2 * 0.8, 1e-14);
    const [bx, by] = almost.deflection(0.6, -0.8);
    expect(bx).to.be.closeTo(ax, 1e-8);
    expect(by).to.be.closeTo(ay, 1e-8);
  });

  it('render kernel agrees with the closed form to 1e-9 relative', () => {
    const kw = lens.cases[1].models.SIE.kwargs_list[0];
    const sie = new SieProfile(kw);
    const xs = Float64Array.from(lens.points.x), ys = Float64Array.from(lens.points.y);
    const ax = new Float64Array(xs.length), ay = new Float64Array(xs.length);
    sie.addDeflections(xs, ys, ax, ay, xs.length);
    xs.forEach((x, i) => {
      const [ex, ey] = sie.deflection(x, ys[i]);
      expect(Math.hypot(ax[i] - ex, ay[i] - ey) / Math.hypot(ex, ey)).to.be.lessThan(1e-9);
    });
  });
});
