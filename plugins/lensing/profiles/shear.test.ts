import { expect } from 'chai';
import { ShearProfile } from './shear.js';

describe('lensing/SHEAR', () => {
  it('is centred on (ra_0, dec_0) = (0, 0) by default, not on a lens centre', () => {
    const s = new ShearProfile({ gamma1: 0.05, gamma2: -0.02, ra_0: 0, dec_0: 0 });
    const [zx, zy] = s.deflection(0, 0);
    expect(Math.abs(zx) + Math.abs(zy)).to.equal(0);
    const [ax, ay] = s.deflection(1, 2);
    expect(ax).to.be.closeTo(0.05 * 1 - 0.02 * 2, 1e-15);
    expect(ay).to.be.closeTo(-0.02 * 1 - 0.05 * 2, 1e-15);
    expect(s.potential(1, 2)).to.be.closeTo(0.5 * (0.05 * (1 - 4) + 2 * -0.02 * 2), 1e-15);
    expect(s.hessian()).to.deep.equal([0.05, -0.02, -0.02, -0.05]);
    expect(s.convergence()).to.equal(0);
  });

  it('honours ra_0 / dec_0', () => {
    const s = new ShearProfile({ gamma1: 0.05, gamma2: 0.01, ra_0: 0.5, dec_0: -0.5 });
    const [zx, zy] = s.deflection(0.5, -0.5);
    expect(Math.abs(zx) + Math.abs(zy)).to.equal(0);
    const ax = new Float64Array(1), ay = new Float64Array(1);
    s.addDeflections(Float64Array.of(1.5), Float64Array.of(0.5), ax, ay, 1);
    expect(ax[0]).to.be.closeTo(0.05 + 0.01, 1e-15);
    expect(ay[0]).to.be.closeTo(0.01 - 0.05, 1e-15);
  });
});
