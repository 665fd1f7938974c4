import { expect } from 'chai';
import { Rng } from '../../../core/index.js';
import { ellipticityToPhiQ } from '../profiles/ellipticity.js';
import { EplProfile } from '../profiles/epl.js';
import { drawLens, LENS_PARAM_NAMES, lensMassProfiles } from './lens-prior.js';
import { PopulationSchema } from './population-options.js';
import { lensingCatalog } from '../testing/lensing-catalog.js';

/** The lensing plugin's profiles from a registry, passed explicitly (no default catalog anywhere). */
const catalog = lensingCatalog();
const PRIOR = PopulationSchema.parse({}).prior.lens;

describe('lensing/population/lens-prior', () => {
  const draws = Array.from({ length: 2000 }, (_, i) => drawLens(PRIOR, Rng.fromSeed(5).derive(`lens:${i}`)));

  it('draws every parameter uniformly inside its range', () => {
    for (const name of LENS_PARAM_NAMES) {
      const [lo, hi] = PRIOR[name];
      const v = draws.map((d) => d[name]);
      expect(Math.min(...v), name).to.be.at.least(lo);
      expect(Math.max(...v), name).to.be.at.most(hi);
      // uniform: mean (lo+hi)/2 +- 4 sigma, sd (hi-lo)/sqrt(12) within 5%, both ends reached
      const mean = v.reduce((a, b) => a + b, 0) / v.length;
      const sd = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
      const w = hi - lo;
      expect(mean, name).to.be.closeTo((lo + hi) / 2, (4 * w) / Math.sqrt(12 * v.length));
      expect(sd / (w / Math.sqrt(12)), name).to.be.closeTo(1, 0.05);
      expect(Math.min(...v) - lo, name).to.be.below(0.01 * w);
      expect(hi - Math.max(...v), name).to.be.below(0.01 * w);
    }
  });

  it('fixed ranges consume no randomness and give the value', () => {
    const fixed = { ...PRIOR, gamma: [2, 2] as const };
    const a = drawLens(fixed, Rng.fromSeed(1));
    const b = drawLens(PRIOR, Rng.fromSeed(1));
    expect(a.gamma).to.equal(2);
    expect(a.theta_E).to.equal(b.theta_E);
    expect(a.e1).to.not.equal(b.e1); // the stream shifted by one draw less
  });

  it('drawn e1/e2 follow lenstronomy: q = (1-|e|)/(1+|e|), major axis at phi = atan2(e2, e1)/2', () => {
    const emax = Math.hypot(0.2, 0.2);
    for (const d of draws.slice(0, 200)) {
      const { phi, q } = ellipticityToPhiQ(d.e1, d.e2);
      expect(q).to.be.within((1 - emax) / (1 + emax) - 1e-12, 1);
      const epl = lensMassProfiles(d, catalog)[0] as EplProfile;
      expect(epl.geometry.q).to.be.closeTo(q, 1e-12);
      // convergence is larger along the major axis than along the minor axis at the same radius
      const r = 0.8;
      const kMaj = epl.convergence(d.center_x + r * Math.cos(phi), d.center_y + r * Math.sin(phi));
      const kMin = epl.convergence(d.center_x - r * Math.sin(phi), d.center_y + r * Math.cos(phi));
      if (q < 0.98) expect(kMaj).to.be.greaterThan(kMin);
      // kappa on the ellipse sqrt(q x'^2 + y'^2/q) = theta_E is (3 - gamma)/2 (lenstronomy EPL)
      const xr = d.theta_E / Math.sqrt(q);
      const k = epl.convergence(d.center_x + xr * Math.cos(phi), d.center_y + xr * Math.sin(phi));
      expect(k).to.be.closeTo((3 - d.gamma) / 2, 1e-9);
    }
  });

  it('the shear profile carries gamma1/gamma2 about the origin', () => {
    const d = draws[0];
    const shear = lensMassProfiles(d, catalog)[1];
    const [fxx, fxy, , fyy] = shear.hessian(0.3, -0.2);
    expect((fxx - fyy) / 2).to.be.closeTo(d.gamma1, 1e-15);
    expect(fxy).to.be.closeTo(d.gamma2, 1e-15);
    expect(shear.deflection(0, 0)).to.deep.equal([0, 0]);
  });
});
