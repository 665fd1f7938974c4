import { expect } from 'chai';
import { Rng } from '../../../core/index.js';
import { SpecValidationError } from '../profiles/spec-validation-error.js';
import { renderSystem, renderSystemParts } from './render-system.js';
import { lensingCatalog } from '../testing/lensing-catalog.js';

/** The lensing plugin's profiles from a registry, passed explicitly (no default catalog anywhere). */
const catalog = lensingCatalog();
const spec = {
  numPix: 32, deltaPix: 0.08, supersampling: 1,
  lens: [{ type: 'EPL', theta_E: 1.2, gamma: 2.1, e1: 0.1, e2: -0.05, center_x: 0.0, center_y: 0.0 }, { type: 'SHEAR', gamma1: 0.02, gamma2: -0.01 }],
  source: [{ type: 'SERSIC_ELLIPSE', amp: 20, R_sersic: 0.3, n_sersic: 1.5, e1: 0.1, e2: 0.0, center_x: 0.05, center_y: 0.02 }],
  lensLight: [{ type: 'SERSIC_ELLIPSE', amp: 5, R_sersic: 1.0, n_sersic: 3, e1: 0.05, e2: 0.0, center_x: 0.0, center_y: 0.0 }],
  psf: { type: 'GAUSSIAN', fwhm: 0.1, truncation: 5 }, noise: null, normalize: false,
};

describe('lensing/renderSystem', () => {
  it('returns numPix^2 float32 values equal to the sum of its parts', () => {
    const img = renderSystem(spec, catalog);
    expect(img).to.be.instanceOf(Float32Array);
    expect(img.length).to.equal(32 * 32);
    const parts = renderSystemParts(spec, catalog);
    img.forEach((v, i) => expect(v).to.be.closeTo(parts.source[i] + parts.lensLight[i], 1e-6 * v));
    expect(parts.normalization).to.equal(1);
  });

  it('noise from noise.seed is reproducible; an explicit Rng takes precedence', () => {
    const noisy = { ...spec, noise: { background_rms: 0.05, exposure_time: 1000, seed: 7 } };
    const a = renderSystem(noisy, catalog), b = renderSystem(noisy, catalog);
    expect(Array.from(a)).to.deep.equal(Array.from(b));
    const c = renderSystem(noisy, catalog, Rng.fromSeed(8));
    expect(Array.from(c)).to.not.deep.equal(Array.from(a));
    const d = renderSystem({ ...noisy, noise: { background_rms: 0.05, exposure_time: 1000 } }, catalog, Rng.fromSeed(8));
    expect(Array.from(d)).to.deep.equal(Array.from(c));
    expect(() => renderSystem({ ...noisy, noise: { background_rms: 0.05, exposure_time: 1000 } }, catalog)).to.throw(
      SpecValidationError, 'noise.seed: missing; expected an integer seed (or pass an Rng to the renderer)');
  });

  it('normalize: true scales the maximum to 1', () => {
    const img = renderSystem({ ...spec, normalize: true, noise: { background_rms: 0.01, exposure_time: 100, seed: 1 } }, catalog);
    expect(Math.max(...img)).to.be.closeTo(1, 1e-7);
  });

  it('renders with a PIXEL kernel given as number[][]', () => {
    const delta = [[0, 0, 0], [0, 1, 0], [0, 0, 0]];
    const img = renderSystem({ ...spec, psf: { type: 'PIXEL', kernel: delta } }, catalog);
    const none = renderSystem({ ...spec, psf: { type: 'NONE' } }, catalog);
    img.forEach((v, i) => expect(v).to.equal(none[i]));
  });

  it('throws one error listing every bad field', () => {
    expect(() => renderSystem({ ...spec, numPix: -3, lens: [{ type: 'EPL', theta_E: 1.2 }] }, catalog)).to.throw(SpecValidationError)
      .with.property('issues').that.deep.equals([
        'numPix: expected an integer in [1, 4096], got -3',
        'lens[0].gamma: missing required parameter of EPL (expected a number in [1.2, 2.9])',
      ]);
  });
});
