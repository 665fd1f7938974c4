import { expect } from 'chai';
import { PopulationSchema } from './population-options.js';

function issues(input: unknown): string[] {
  const r = PopulationSchema.safeParse(input);
  if (r.success) return [];
  return r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('lensing/population/population-options', () => {
  it('has documented defaults for every field', () => {
    const o = PopulationSchema.parse({});
    expect(o.numPix).to.equal(64);
    expect(o.deltaPix).to.equal(0.08);
    expect(o.prior.lens.theta_E).to.deep.equal([0.8, 1.5]);
    expect(o.prior.lens.gamma).to.deep.equal([1.8, 2.2]);
    expect(o.prior.lensLight.offsetFraction).to.equal(0.025);
    expect(o.sources.mix).to.deep.equal({ analytic: 0.25, procedural: 0.75, bank: 0 });
    expect(o.sources.mergerFraction).to.equal(0.1);
    expect(o.psfs.fwhm.length).to.be.greaterThan(1);
    expect(o.noise).to.not.equal(null);
    expect(o.normalize).to.equal(true);
    expect(PopulationSchema.parse({ noise: null }).noise).to.equal(null);
  });

  it('reports every bad field with its path', () => {
    const errs = issues({
      numPix: 4,
      prior: { lens: { gamma: [2.5, 3.5], theta_E: [1.5, 1.0] } },
      sources: { mix: { analytic: -1 } },
      psfs: { fwhm: [0] },
    });
    const text = errs.join('\n');
    expect(text).to.match(/^numPix: .*>=8/m);
    expect(text).to.match(/^prior\.lens\.gamma\.1: .*<=2\.9/m);
    expect(text).to.match(/^prior\.lens\.theta_E: expected \[min, max\] with min <= max/m);
    expect(text).to.match(/^sources\.mix\.analytic: .*>=0/m);
    expect(text).to.match(/^psfs\.fwhm\.0: /m);
    expect(errs.length).to.be.at.least(5);
  });

  it('rejects an e1/e2 box whose corners exceed |e| = 0.9', () => {
    expect(issues({ prior: { lens: { e1: [-0.7, 0.7], e2: [-0.7, 0.7] } } }).join('\n'))
      .to.match(/prior\.lens\.e1: expected the e1\/e2 box to keep sqrt\(e1\^2 \+ e2\^2\) <= 0\.9 at its corners \(got 0\.990\)/);
  });

  it('asks for stamp files when the bank has weight, and for a weight when files are given', () => {
    expect(issues({ sources: { mix: { bank: 0.75 } } }).join('\n')).to.match(/sources\.bank\.paths: expected at least one stamp file because sources\.mix\.bank is 0\.75/);
    expect(issues({ sources: { bank: { paths: ['a.npy'] } } }).join('\n')).to.match(/sources\.mix\.bank: expected a positive weight/);
    expect(issues({ sources: { mix: { analytic: 0, procedural: 0 } } }).join('\n')).to.match(/sources\.mix: expected at least one positive weight/);
  });
});
