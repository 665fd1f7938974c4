import { expect } from 'chai';
import { ConfigError, Rng } from '../../../core/index.js';
import { Renderer } from '../imaging/renderer.js';
import { LensPopulation } from './lens-population.js';
import { coreSersicAmpForFlux, sersicAmpForFlux } from './light-flux.js';
import type { LensParams } from './lens-prior.js';
import { PopulationSchema } from './population-options.js';
import { SourceBank } from './source-bank.js';
import { lensingCatalog } from '../testing/lensing-catalog.js';

/** The lensing plugin's profiles from a registry, passed explicitly (no default catalog anywhere). */
const catalog = lensingCatalog();
const LENS: LensParams = { theta_E: 1.1, gamma: 2.05, e1: 0.1, e2: -0.05, center_x: 0.02, center_y: -0.03, gamma1: 0.01, gamma2: -0.02 };
const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const sd = (v: number[]) => { const m = mean(v); return Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length); };

describe('lensing/population/lens-population', () => {
  const pop = LensPopulation.fromOptions({ numPix: 32, deltaPix: 0.16 }, catalog);
  const nuis = Array.from({ length: 3000 }, (_, i) => pop.drawNuisance(LENS, Rng.fromSeed(11).derive(`n:${i}`)));

  it('lens light follows the mass centre and ellipticity with sd = 2.5% of the prior range', () => {
    const dx = nuis.map((n) => n.lensLight.center_x - LENS.center_x), de1 = nuis.map((n) => n.lensLight.e1 - LENS.e1);
    expect(mean(dx)).to.be.closeTo(0, 3e-4);
    expect(sd(dx)).to.be.closeTo(0.025 * 0.2, 0.1 * 0.005);
    expect(sd(de1)).to.be.closeTo(0.025 * 0.4, 0.1 * 0.01);
    expect(sd(nuis.map((n) => n.lensLight.e2 - LENS.e2))).to.be.closeTo(0.01, 0.001);
    const o = PopulationSchema.parse({});
    for (const n of nuis.slice(0, 300)) {
      expect(n.lensLight.R_sersic).to.be.within(o.prior.lensLight.R_sersic[0], o.prior.lensLight.R_sersic[1]);
      expect(n.lensLight.n_sersic).to.be.within(o.prior.lensLight.n_sersic[0], o.prior.lensLight.n_sersic[1]);
    }
  });

  it('draws the source mixture (25% analytic, 75% procedural), 10% mergers, every PSF and noise in range', () => {
    const first = nuis.map((n) => n.sources[0]);
    expect(first.filter((s) => s.kind === 'analytic').length / nuis.length).to.be.closeTo(0.25, 0.03);
    expect(first.filter((s) => s.kind === 'procedural').length / nuis.length).to.be.closeTo(0.75, 0.03);
    const analytic = first.filter((s) => s.kind === 'analytic') as Array<{ type: string }>;
    expect(analytic.filter((s) => s.type === 'CORE_SERSIC').length / analytic.length).to.be.closeTo(0.5, 0.07);
    expect(nuis.filter((n) => n.sources.length === 2).length / nuis.length).to.be.closeTo(0.1, 0.015);
    expect(nuis.every((n) => n.sources.length <= 2)).to.equal(true);
    for (const s of first) {
      expect(s.center_x - LENS.center_x).to.be.within(-0.25, 0.25);
      expect(s.center_y - LENS.center_y).to.be.within(-0.25, 0.25);
    }
    const counts = [0, 0, 0, 0];
    for (const n of nuis) counts[n.psf]++;
    for (const c of counts) expect(c / nuis.length).to.be.closeTo(0.25, 0.03);
    for (const n of nuis.slice(0, 300)) {
      expect(n.noise!.background_rms).to.be.within(0.01, 0.03);
      expect(n.noise!.exposure_time!).to.be.within(500, 2000);
    }
    const quiet = LensPopulation.fromOptions({ numPix: 32, noise: null, psfs: { fwhm: [] } }, catalog);
    const q = quiet.drawNuisance(LENS, Rng.fromSeed(1));
    expect(q.noise).to.equal(null);
    expect(quiet.psfs.map((p) => p.label)).to.deep.equal(['NONE']);
  });

  it('every source kind is rendered with the drawn total flux', () => {
    const stamps = Float32Array.from({ length: 2 * 15 * 15 }, (_, k) => 1 + Math.sin(k) ** 2);
    const bank = SourceBank.fromArray(stamps, [2, 15, 15]);
    const o = PopulationSchema.parse({ numPix: 32, sources: { mix: { analytic: 1, procedural: 1, bank: 1 }, bank: { paths: ['unused.npy'] }, flux: [20, 20], offset: [0, 0] } });
    const p = new LensPopulation(o, { bank, catalog });
    const flat = new Renderer({ numPix: 120, deltaPix: 0.03, supersampling: 3 }); // no lens, no PSF: pixel sum = flux (3.6" field holds any rotated stamp)
    const seen = new Set<string>();
    for (let i = 0; i < 40; i++) {
      const n = p.drawNuisance({ ...LENS, center_x: 0, center_y: 0 }, Rng.fromSeed(2).derive(`${i}`));
      const s = n.sources[0];
      seen.add(s.kind === 'analytic' ? s.type : s.kind);
      if (s.kind === 'analytic') {
        // analytic profiles extend far beyond any field: use their exact total flux (tested vs scipy in light-flux.test)
        const f = s.type === 'SERSIC_ELLIPSE' ? sersicAmpForFlux(1, s.R_sersic, s.n_sersic) : coreSersicAmpForFlux(1, s);
        expect(s.amp / f).to.be.closeTo(20, 1e-9);
        continue;
      }
      const img = flat.renderComponent({ lens: [], source: [p.sourceProfile(s)], lensLight: [] }, 'source', false);
      const total = img.reduce((a, b) => a + b, 0);
      expect(total, s.kind).to.be.closeTo(20, 0.01 * 20);
    }
    expect([...seen].sort()).to.deep.equal(['CORE_SERSIC', 'SERSIC_ELLIPSE', 'bank', 'procedural']);
  });

  it('renders normalised images deterministically from (scene, noise stream)', () => {
    const scene = pop.drawScene(Rng.fromSeed(4));
    const a = pop.render(scene, Rng.fromSeed(5)), b = pop.render(scene, Rng.fromSeed(5)), c = pop.render(scene, Rng.fromSeed(6));
    expect(a.length).to.equal(32 * 32);
    expect(Math.max(...a)).to.equal(1);
    expect(Array.from(a)).to.deep.equal(Array.from(b));
    expect(Array.from(a)).to.not.deep.equal(Array.from(c));
    // without noise the image is the same whatever the stream
    const quiet = LensPopulation.fromOptions({ numPix: 32, deltaPix: 0.16, noise: null }, catalog);
    const s2 = quiet.drawScene(Rng.fromSeed(4));
    expect(Array.from(quiet.render(s2, Rng.fromSeed(1)))).to.deep.equal(Array.from(quiet.render(s2, Rng.fromSeed(2))));
  });

  it('reports option and file problems with their config paths', () => {
    expect(() => LensPopulation.fromOptions({ numPix: 2, sources: { R_half: [0.3, 0.1] } }, catalog, 'data')).to.throw(ConfigError)
      .with.property('message').that.matches(/data\.numPix: [\s\S]*data\.sources\.R_half: expected \[min, max\] with min <= max/);
    expect(() => LensPopulation.fromOptions({ sources: { mix: { bank: 1 }, bank: { paths: ['/nonexistent/cosmos.npy'] } }, psfs: { kernels: [{ path: 'k.txt' }] } }, catalog, 'data'))
      .to.throw(/data\.psfs\.kernels\[0\]\.path: expected a \.npy, \.fits, \.fit, \.fts file, got "k\.txt"[\s\S]*data\.sources\.bank\.paths\[0\]: file not found: \/nonexistent\/cosmos\.npy/);
    expect(() => LensPopulation.fromOptions({ supersampling: 2, psfs: { kernels: [{ path: 'k.npy', supersampling: 3 }] } }, catalog))
      .to.throw(/psfs\.kernels\[0\]\.supersampling: expected 1 or the render supersampling 2, got 3/);
  });
});
