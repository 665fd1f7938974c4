import { expect } from 'chai';
import { fastExp2, fastLog2, fastPow, fastSinCos } from './fast-math.js';

describe('lensing/fast-math', () => {
  it('fastLog2 is accurate to 1e-13 (relative above 1) over 600 decades', () => {
    let worst = 0;
    for (let k = 0; k < 20000; k++) {
      const x = Math.pow(10, -300 + (600 * k) / 20000) * (1 + ((k * 7919) % 1000) / 1000);
      worst = Math.max(worst, Math.abs(fastLog2(x) - Math.log2(x)) / Math.max(1, Math.abs(Math.log2(x))));
    }
    expect(worst).to.be.lessThan(1e-13);
  });

  it('fastExp2 is accurate to 1e-14 relative and clamps its range', () => {
    let worst = 0;
    for (let k = 0; k < 20000; k++) {
      const y = -1000 + (2000 * k) / 20000 + 0.123;
      worst = Math.max(worst, Math.abs(fastExp2(y) / Math.pow(2, y) - 1));
    }
    expect(worst).to.be.lessThan(1e-14);
    expect(fastExp2(-5000)).to.equal(Math.pow(2, -1022));
    expect(fastExp2(5000)).to.equal(Math.pow(2, 1023));
    expect(fastExp2(0)).to.equal(1);
  });

  it('fastPow matches Math.pow to 1e-13 relative for Sersic-like arguments', () => {
    for (const x of [1e-8, 0.003, 0.5, 1, 7.3, 1e5]) {
      for (const p of [0.05, 0.5, 1 / 3.3, 2.5]) {
        expect(fastPow(x, p) / Math.pow(x, p) - 1).to.be.closeTo(0, 1e-13);
      }
    }
  });

  it('fastSinCos is accurate to 1e-14 absolute for |x| up to 1e3, negative angles and table edges included', () => {
    const out = new Float64Array(2);
    let worst = 0;
    for (let k = 0; k < 40000; k++) {
      const x = -1000 + (2000 * k) / 40000 + 0.0123 * Math.sin(k);
      fastSinCos(x, out);
      worst = Math.max(worst, Math.abs(out[0] - Math.cos(x)), Math.abs(out[1] - Math.sin(x)));
    }
    expect(worst).to.be.lessThan(1e-14);
    // on and half-way between table angles, and the quadrant points
    for (let j = -600; j <= 600; j++) {
      for (const x of [(j * Math.PI) / 128, ((j + 0.5) * Math.PI) / 128]) {
        fastSinCos(x, out);
        expect(out[0], `cos ${x}`).to.be.closeTo(Math.cos(x), 1e-15);
        expect(out[1], `sin ${x}`).to.be.closeTo(Math.sin(x), 1e-15);
      }
    }
    fastSinCos(0, out);
    expect([out[0], out[1]]).to.deep.equal([1, 0]);
  });
});
