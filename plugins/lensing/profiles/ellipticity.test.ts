import { expect } from 'chai';
import { loadFixture } from '../testing/fixtures.js';
import { ellipticityToPhiQ, phiQToEllipticity, productAverageMatrix, rotate } from './ellipticity.js';
import { EplProfile } from './epl.js';
import { SersicProfile } from './sersic.js';

describe('lensing/ellipticity conventions (lenstronomy param_util)', () => {
  const lens = loadFixture('lens_models.json');
  const light = loadFixture('light_profiles.json');

  it('maps (e1, e2) to the fixture q and phi for every lens and light case', () => {
    for (const c of lens.cases) {
      const kw = c.models.EPL.kwargs_list[0];
      const { phi, q } = ellipticityToPhiQ(kw.e1, kw.e2);
      expect(q).to.be.closeTo(c.derived.q, 1e-6);
      expect(phi).to.be.closeTo(c.derived.phi_rad, 1e-6);
      expect(kw.theta_E * Math.sqrt(q)).to.be.closeTo(c.derived.b_internal, 1e-6);
    }
    for (const c of light.cases) {
      const kw = c.SERSIC_ELLIPSE.kwargs;
      const { phi, q } = ellipticityToPhiQ(kw.e1, kw.e2);
      expect(q).to.be.closeTo(c.derived.q, 1e-6);
      expect(phi).to.be.closeTo(c.derived.phi_rad, 1e-6);
    }
  });

  it('round-trips through phiQToEllipticity and clips |e| at 0.9999', () => {
    const { e1, e2 } = phiQToEllipticity(0.3, 0.6);
    const back = ellipticityToPhiQ(e1, e2);
    expect(back.phi).to.be.closeTo(0.3, 1e-12);
    expect(back.q).to.be.closeTo(0.6, 1e-12);
    expect(ellipticityToPhiQ(1.5, 0).q).to.be.closeTo((1 - 0.9999) / 1.9999, 1e-15);
  });

  it('rotates into the major-axis frame as util.rotate does', () => {
    const [x, y] = rotate(1, 0, Math.PI / 2);
    expect(x).to.be.closeTo(0, 1e-15);
    expect(y).to.be.closeTo(-1, 1e-15);
  });

  it('e1 > 0 puts the major axis along x, e2 > 0 along the diagonal y = x', () => {
    const alongX = new EplProfile({ theta_E: 1, gamma: 2, e1: 0.2, e2: 0, center_x: 0, center_y: 0 });
    expect(alongX.convergence(1, 0)).to.be.greaterThan(alongX.convergence(0, 1));
    const diag = new SersicProfile({ amp: 1, R_sersic: 1, n_sersic: 1, e1: 0, e2: 0.2 });
    expect(diag.surfaceBrightness(0.7, 0.7)).to.be.greaterThan(diag.surfaceBrightness(-0.7, 0.7));
  });

  it('product-average matrix gives R = sqrt(q x_maj^2 + y_min^2 / q)', () => {
    const e1 = -0.2142, e2 = -0.0528;
    const { phi, q } = ellipticityToPhiQ(e1, e2);
    const [a11, a12, a22] = productAverageMatrix(e1, e2);
    for (const [dx, dy] of [[0.3, -1.1], [2, 0.5], [-0.7, 0.2]]) {
      const [xm, ym] = rotate(dx, dy, phi);
      const want = Math.sqrt(q * xm * xm + (ym * ym) / q);
      expect(Math.hypot(a11 * dx + a12 * dy, a12 * dx + a22 * dy)).to.be.closeTo(want, 1e-12);
    }
  });
});
