import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { PopulationSchema, type PopulationOptions } from '../plugins/lensing/index.js';

/**
 * examples/lensiam-paper-res.yaml: the downstream population differs from pre-training the way
 * its header says (and the README's LenSiam section repeats); a change to either block that
 * breaks a documented difference fails here, naming it.
 */
describe('examples/lensiam-paper-res.yaml: a shifted downstream population', () => {
  const cfg = parse(readFileSync('examples/lensiam-paper-res.yaml', 'utf8')) as {
    data: Record<string, unknown>; model: { method: { downstream: { data: Record<string, unknown>; trainSize: number; testSize: number } } }; bench: { seeds: number[] };
  };
  const strip = ({ use: _u, size: _s, ...pop }: Record<string, unknown>) => pop;
  const pre: PopulationOptions = PopulationSchema.parse(strip(cfg.data));
  const down: PopulationOptions = PopulationSchema.parse(strip(cfg.model.method.downstream.data));

  it('keeps the paper\'s grid (110 x 110 at 0.05"), 1,000 + 1,000 downstream images and seeds 1-3', () => {
    for (const p of [pre, down]) expect([p.numPix, p.deltaPix]).to.deep.equal([110, 0.05]);
    expect([cfg.model.method.downstream.trainSize, cfg.model.method.downstream.testSize]).to.deep.equal([1000, 1000]);
    expect(cfg.bench.seeds).to.deep.equal([1, 2, 3]);
  });

  it('has wider PSFs than any pre-training PSF (Euclid-VIS-like 0.16-0.2")', () => {
    expect(Math.min(...down.psfs.fwhm), 'narrowest downstream FWHM').to.be.greaterThan(Math.max(...pre.psfs.fwhm));
    expect(Math.min(...down.psfs.fwhm)).to.be.at.least(0.16);
    expect(Math.max(...down.psfs.fwhm)).to.be.at.most(0.2);
  });

  it('is sky-dominated and fainter: the lowest background rms above the highest of pre-training, fainter sources', () => {
    expect(down.noise!.background_rms[0]).to.be.greaterThan(pre.noise!.background_rms[1]);
    expect(down.sources.flux[1]).to.be.lessThan(pre.sources.flux[1]);
    expect(down.sources.flux[0]).to.be.lessThan(pre.sources.flux[0]);
  });

  it('draws another source family: clumpy irregulars without arms, no core-Sersic, more mergers', () => {
    expect(pre.sources.procedural.armProbability).to.be.greaterThan(0);
    expect(down.sources.procedural.armProbability).to.equal(0);
    expect(down.sources.procedural.clumps[0]).to.be.at.least(pre.sources.procedural.clumps[1] / 2);
    expect(down.sources.procedural.clumpFraction[0]).to.be.greaterThan(pre.sources.procedural.clumpFraction[1]);
    expect(pre.sources.analytic.types).to.include('CORE_SERSIC');
    expect(down.sources.analytic.types).to.deep.equal(['SERSIC_ELLIPSE']);
    expect(down.sources.mergerFraction).to.be.greaterThan(pre.sources.mergerFraction);
  });

  it('shifts the theta_E prior so that it overlaps pre-training\'s and keeps the arcs in the field', () => {
    const [a, b] = pre.prior.lens.theta_E, [c, d] = down.prior.lens.theta_E;
    expect(c, 'downstream theta_E min').to.be.lessThan(a);
    expect(d, 'downstream theta_E max').to.be.greaterThan(b);
    expect(Math.min(b, d) - Math.max(a, c), 'overlap [arcsec]').to.be.greaterThan(0.5);
    // theta_E + |source offset| (both axes) + 2 R_half inside the half-field
    const reach = d + Math.hypot(down.sources.offset[1], down.sources.offset[1]) + 2 * down.sources.R_half[1];
    expect(reach).to.be.lessThan((down.numPix * down.deltaPix) / 2);
  });
});
