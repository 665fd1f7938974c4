import { expect } from 'chai';
import { MassModel } from './mass-model.js';
import { SieProfile } from './sie.js';
import { SisProfile } from './sis.js';

describe('lensing/SIS', () => {
  const sis = new SisProfile({ theta_E: 1.3, center_x: 0.2, center_y: -0.1 });

  it('has alpha = theta_E r_hat, psi = theta_E r, kappa = theta_E/(2r)', () => {
    const [ax, ay] = sis.deflection(0.2 + 0.3, -0.1 + 0.4);
    expect(ax).to.be.closeTo(1.3 * 0.6, 1e-14);
    expect(ay).to.be.closeTo(1.3 * 0.8, 1e-14);
    expect(sis.potential(0.5, 0.3)).to.be.closeTo(1.3 * 0.5, 1e-14);
    expect(sis.convergence(0.5, 0.3)).to.be.closeTo(1.3 / (2 * 0.5), 1e-14);
  });

  it('Hessian is the derivative of the deflection and has trace 2 kappa', () => {
    const h = 1e-6, x = 0.9, y = 0.4;
    const [fxx, fxy, fyx, fyy] = sis.hessian(x, y);
    const dxp = sis.deflection(x + h, y), dxm = sis.deflection(x - h, y);
    const dyp = sis.deflection(x, y + h), dym = sis.deflection(x, y - h);
    expect(fxx).to.be.closeTo((dxp[0] - dxm[0]) / (2 * h), 1e-7);
    expect(fxy).to.be.closeTo((dyp[0] - dym[0]) / (2 * h), 1e-7);
    expect(fyx).to.equal(fxy);
    expect(fyy).to.be.closeTo((dyp[1] - dym[1]) / (2 * h), 1e-7);
    expect(0.5 * (fxx + fyy)).to.be.closeTo(sis.convergence(x, y), 1e-12);
  });

  it('is zero at its centre (lenstronomy) and equals a round SIE elsewhere', () => {
    expect(sis.deflection(0.2, -0.1)).to.deep.equal([0, 0]);
    expect(sis.hessian(0.2, -0.1)).to.deep.equal([0, 0, 0, 0]);
    const sie = new SieProfile({ theta_E: 1.3, e1: 0, e2: 0, center_x: 0.2, center_y: -0.1 });
    for (const [x, y] of [[1, 1], [-2, 0.3], [0.01, 0.5]]) {
      const a = sis.deflection(x, y), b = sie.deflection(x, y);
      expect(a[0]).to.be.closeTo(b[0], 1e-12);
      expect(a[1]).to.be.closeTo(b[1], 1e-12);
    }
  });

  it('render kernel matches the scalar deflection', () => {
    const model = new MassModel([sis]);
    const xs = Float64Array.from([0.2, 1, -0.5]), ys = Float64Array.from([-0.1, 2, 0.3]);
    const bx = new Float64Array(3), by = new Float64Array(3);
    model.rayShootMany(xs, ys, bx, by);
    for (let i = 0; i < 3; i++) {
      const [ex, ey] = model.rayShoot(xs[i], ys[i]);
      expect(bx[i]).to.be.closeTo(ex, 1e-14);
      expect(by[i]).to.be.closeTo(ey, 1e-14);
    }
  });
});
