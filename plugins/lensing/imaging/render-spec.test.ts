import { expect } from 'chai';
import { SpecValidationError } from '../profiles/spec-validation-error.js';
import { parseRenderSpec, validateRenderSpec } from './render-spec.js';
import { lensingCatalog } from '../testing/lensing-catalog.js';

/** The lensing plugin's profiles from a registry, passed explicitly (no default catalog anywhere). */
const catalog = lensingCatalog();
const good = {
  numPix: 64, deltaPix: 0.08, supersampling: 1,
  lens: [{ type: 'EPL', theta_E: 1.2, gamma: 2.1, e1: 0.1, e2: -0.05, center_x: 0.0, center_y: 0.0 }, { type: 'SHEAR', gamma1: 0.02, gamma2: -0.01 }],
  source: [{ type: 'SERSIC_ELLIPSE', amp: 20, R_sersic: 0.3, n_sersic: 1.5, e1: 0.1, e2: 0.0, center_x: 0.05, center_y: 0.02 }],
  lensLight: [{ type: 'SERSIC_ELLIPSE', amp: 5, R_sersic: 1.0, n_sersic: 3, e1: 0.05, e2: 0.0, center_x: 0.0, center_y: 0.0 }],
  psf: { type: 'GAUSSIAN', fwhm: 0.1, truncation: 5 }, noise: null, normalize: false,
};

function issues(spec: unknown, requireNoiseSeed = false): string[] {
  return validateRenderSpec(spec, { requireNoiseSeed, catalog }).errors;
}

describe('lensing/render spec validation', () => {
  it('accepts the documented example and fills defaults', () => {
    const v = parseRenderSpec(good, { catalog });
    expect(v.lens[1].params).to.deep.equal({ gamma1: 0.02, gamma2: -0.01, ra_0: 0, dec_0: 0 });
    expect(v.psf).to.deep.equal({ type: 'GAUSSIAN', fwhm: 0.1, truncation: 5 });
    const minimal = parseRenderSpec({ numPix: 8, deltaPix: 0.1 }, { catalog });
    expect(minimal.supersampling).to.equal(1);
    expect(minimal.psf).to.deep.equal({ type: 'NONE' });
    expect(minimal.noise).to.equal(null);
    expect(minimal.lens).to.deep.equal([]);
    expect(parseRenderSpec({ ...good, psf: { type: 'GAUSSIAN', fwhm: 0.2 } }, { catalog }).psf).to.deep.equal({ type: 'GAUSSIAN', fwhm: 0.2, truncation: 5 });
  });

  it('reports every bad field of a spec at once, with its path', () => {
    const bad = {
      numPix: 64.5, deltaPix: -1, supersampling: 0, colour: 'red',
      lens: [{ type: 'EPL', theta_E: 1.2, gamma: 3.5, e1: 0.1 }, { type: 'SHEER', gamma1: 0 }],
      source: [{ type: 'SERSIC_ELLIPSE', amp: 20, n_sersic: 1.5 }],
      lensLight: { type: 'SERSIC' },
      psf: { type: 'GAUSSIAN', fwhm: 0, truncation: 5, size: 3 },
      noise: { background_rms: -0.1, exposure_time: 0, seed: 1.5 },
      normalize: 'yes',
    };
    let err: SpecValidationError | undefined;
    try { parseRenderSpec(bad, { catalog }); } catch (e) { err = e as SpecValidationError; }
    expect(err).to.be.instanceOf(SpecValidationError);
    expect(err!.issues).to.deep.equal([
      'colour: unknown field; allowed: numPix, deltaPix, supersampling, lens, source, lensLight, psf, noise, normalize',
      'numPix: expected an integer in [1, 4096], got 64.5',
      'deltaPix: expected a number in (0, 10], got -1',
      'supersampling: expected an integer in [1, 16], got 0',
      'lens[0].gamma: expected a number in [1.2, 2.9] for EPL, got 3.5',
      'lens[1].type: unknown mass profile "SHEER"; expected one of EPL, SIE, SIS, SHEAR; closest match: SHEAR',
      'source[0].R_sersic: missing required parameter of SERSIC_ELLIPSE (expected a number in (0, 100])',
      'lensLight: expected an array of profiles, got {"type":"SERSIC"}',
      'psf.size: unknown field; allowed: type, fwhm, truncation',
      'psf.fwhm: expected a number in (0, 100], got 0',
      'noise.background_rms: expected a number in [0, 1000000000000], got -0.1',
      'noise.exposure_time: expected a number in (0, 1000000000000], got 0',
      'noise.seed: expected a safe integer, got 1.5',
      'normalize: expected a boolean, got "yes"',
    ]);
    expect(err!.message.split('\n')[0]).to.equal('render spec is invalid (14 problems):');
  });

  it('names missing top-level fields and bad PSF types', () => {
    expect(issues({})).to.deep.equal([
      'numPix: missing; expected an integer in [1, 4096]',
      'deltaPix: missing; expected a number in (0, 10] [arcsec/pixel]',
    ]);
    expect(issues({ numPix: 8, deltaPix: 0.1, psf: { type: 'MOFFAT' } })).to.deep.equal(['psf.type: expected one of NONE, GAUSSIAN, PIXEL, got "MOFFAT"']);
    expect(issues({ numPix: 8, deltaPix: 0.1, psf: { type: 'GAUSSIAN' } })).to.deep.equal(['psf.fwhm: missing; expected a number in (0, 100] [arcsec]']);
    expect(issues([])).to.deep.equal(['spec: expected an object with numPix, deltaPix, lens, source, ..., got an array of length 0']);
  });

  it('validates PIXEL kernels, their supersampling and pixel scale', () => {
    const k = [[0, 0, 0], [0, 1, 0], [0, 0, 0]];
    expect(issues({ numPix: 8, deltaPix: 0.1, psf: { type: 'PIXEL', kernel: k } })).to.deep.equal([]);
    expect(issues({ numPix: 8, deltaPix: 0.1, psf: { type: 'PIXEL' } })).to.deep.equal([
      'psf.kernel: missing; expected a square odd-sized kernel (number[][] or flat Float32Array)',
    ]);
    expect(issues({ numPix: 8, deltaPix: 0.1, supersampling: 3, psf: { type: 'PIXEL', kernel: [[0.5, 0.5], [0.5, 0.5]], supersampling: 2, pixelScale: 0.1 } })).to.deep.equal([
      'psf.kernel: expected an odd kernel size, got 2x2',
      'psf.kernel: expected the kernel to sum to 1 (within 0.001), got 2; set normalize: true to rescale it',
      'psf.supersampling: expected 1 or the render supersampling 3, got 2',
      'psf.pixelScale: expected 0.05 (deltaPix / psf.supersampling), got 0.1',
    ]);
    const v = parseRenderSpec({ numPix: 8, deltaPix: 0.1, supersampling: 3, psf: { type: 'PIXEL', kernel: new Float32Array(9).fill(0.2), normalize: true, supersampling: 3 } }, { catalog });
    expect(v.psf.type === 'PIXEL' && v.psf.kernel[4]).to.be.closeTo(1 / 9, 1e-15);
  });

  it('requires noise.seed only when no Rng will be supplied', () => {
    const noisy = { ...good, noise: { background_rms: 0.05, exposure_time: 1000 } };
    expect(issues(noisy)).to.deep.equal([]);
    expect(issues(noisy, true)).to.deep.equal(['noise.seed: missing; expected an integer seed (or pass an Rng to the renderer)']);
    expect(issues({ ...good, noise: { exposure_time: 10, seed: 1, rms: 2 } })).to.deep.equal([
      'noise.rms: unknown field; allowed: background_rms, exposure_time, seed',
      'noise.background_rms: missing; expected a number in [0, 1e12]',
    ]);
    expect(parseRenderSpec({ ...good, noise: { background_rms: 0.1, exposure_time: null, seed: 2 } }, { catalog }).noise).to.deep.equal({ background_rms: 0.1, exposure_time: null, seed: 2 });
  });
});
