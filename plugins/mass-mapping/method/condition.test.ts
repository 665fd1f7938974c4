import { expect } from 'chai';
import { gaussianSmooth } from '../../../core/index.js';
import { kaiserSquiresForward, kaiserSquiresInverse } from '../numerics/index.js';
import { conditionChannels, packCondition } from './condition.js';

const n = 16;
const kappa = Float64Array.from({ length: n * n }, (_, p) => 0.02 * Math.cos((2 * Math.PI * (p % n)) / n) + 0.01 * Math.sin((4 * Math.PI * Math.floor(p / n)) / n));
const g = kaiserSquiresForward(kappa, n);

describe('mass-mapping: network condition', () => {
  it('counts channels: 2, + smoothing scales in ks mode, + mask', () => {
    expect(conditionChannels({ mode: 'shear', smoothScales: [2, 4] }, false)).to.equal(2);
    expect(conditionChannels({ mode: 'ks', smoothScales: [2, 4] }, false)).to.equal(4);
    expect(conditionChannels({ mode: 'ks', smoothScales: [] }, true)).to.equal(3);
  });

  it("packs γ/s ('shear') or κ_E/s, κ_B/s and smoothed κ_E/s ('ks'), channels last; mask unscaled", () => {
    const s = 0.5;
    const sh = packCondition(g, n, { mode: 'shear', smoothScales: [] }, undefined, s);
    expect(sh[2 * 7]).to.be.closeTo(g.gamma1[7] / s, 1e-7);
    expect(sh[2 * 7 + 1]).to.be.closeTo(g.gamma2[7] / s, 1e-7);
    const mask = new Uint8Array(n * n).fill(1); mask[5] = 0;
    const ks = packCondition(g, n, { mode: 'ks', smoothScales: [2] }, mask, s);
    const inv = kaiserSquiresInverse(g.gamma1, g.gamma2, n);
    const sm = gaussianSmooth(inv.kappaE, n, n, 2, { mode: 'wrap' });
    for (const i of [0, 5, 100]) {
      expect(ks[4 * i]).to.be.closeTo(inv.kappaE[i] / s, 1e-6);
      expect(ks[4 * i + 1]).to.be.closeTo(inv.kappaB[i] / s, 1e-6);
      expect(ks[4 * i + 2]).to.be.closeTo(sm[i] / s, 1e-6);
      expect(ks[4 * i + 3]).to.equal(mask[i]);
    }
    expect(() => packCondition(g, n, { mode: 'ks', smoothScales: [] }, undefined, 0)).to.throw('kappaScale: expected a number > 0, got 0');
  });
});
