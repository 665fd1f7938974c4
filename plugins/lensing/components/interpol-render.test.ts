import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFits, writeNpy } from '../../../core/index.js';
import { renderSystem } from '../imaging/render-system.js';
import { parseRenderSpec } from '../imaging/render-spec.js';
import { SpecValidationError } from '../profiles/spec-validation-error.js';
import { renderSpecFile } from './render-command.js';
import { lensingCatalog } from '../testing/lensing-catalog.js';

/** The lensing plugin's profiles from a registry, passed explicitly (no default catalog anywhere). */
const catalog = lensingCatalog();
// 5 x 4 stamp (rows x cols) of surface brightness; row 0 at the most negative y
const STAMP = [[0, 1, 2, 0], [1, 3, 5, 2], [2, 6, 9, 4], [0, 2, 4, 1], [0, 0, 1, 0]];
const flat = Float32Array.from(STAMP.flat());

describe('lensing/INTERPOL in render specs', () => {
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'lensforge-interpol-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('an unlensed stamp with scale = deltaPix lands on the pixel grid exactly (pixel flux = amp x stamp x deltaPix^2, row 0 at the most negative y)', () => {
    // 5 x 5 image; stamp columns x = (j - 1.5) * 0.1 fall between pixel centres (j - 2) * 0.1, so
    // shift the stamp by +0.05 in x to put its nodes on pixel centres 0..3 (pixel column 4 is outside)
    const img = renderSystem({
      numPix: 5, deltaPix: 0.1, source: [{ type: 'INTERPOL', image: STAMP, amp: 2, scale: 0.1, center_x: -0.05 }],
    }, catalog);
    for (let i = 0; i < 5; i++) {
      for (let j = 0; j < 5; j++) expect(img[i * 5 + j], `(${i}, ${j})`).to.be.closeTo(j < 4 ? 2 * STAMP[i][j] * 0.01 : 0, 1e-8);
    }
  });

  it('the render command reads the stamp from .npy and FITS files relative to the JSON, giving the same image', () => {
    const spec = {
      numPix: 16, deltaPix: 0.08,
      lens: [{ type: 'SIE', theta_E: 0.5, e1: 0.1, e2: 0 }],
      source: [{ type: 'INTERPOL', image: STAMP, amp: 3, scale: 0.06, phi_G: 0.4, center_x: 0.02 }],
      psf: { type: 'GAUSSIAN', fwhm: 0.1 },
    };
    const want = renderSystem(spec, catalog);
    expect(Math.max(...want)).to.be.greaterThan(0.05);
    writeNpy(join(dir, 'stamp.npy'), flat, [5, 4]);
    writeFits(join(dir, 'stamp.fits'), flat, [1, 5, 4]);
    for (const f of ['stamp.npy', 'stamp.fits']) {
      writeFileSync(join(dir, 'sys.json'), JSON.stringify({ ...spec, source: [{ ...spec.source[0], image: f }] }));
      const r = renderSpecFile(join(dir, 'sys.json'), join(dir, 'out.npy'), catalog);
      expect(Array.from(r.image), f).to.deep.equal(Array.from(want));
    }
    writeNpy(join(dir, 'cube.npy'), new Float32Array(40), [2, 5, 4]);
    writeFileSync(join(dir, 'cube.json'), JSON.stringify({ ...spec, lensLight: [{ type: 'INTERPOL', image: 'cube.npy' }] }));
    expect(() => renderSpecFile(join(dir, 'cube.json'), join(dir, 'out.npy'), catalog)).to.throw(/lensLight\[0\]\.image: expected a 2-D stamp \[rows, cols\] in .*cube\.npy, got shape \[2, 5, 4\]/);
  });

  it('names a missing, ragged or non-finite image and unknown parameters', () => {
    const issues = (source: unknown[]) => {
      try { parseRenderSpec({ numPix: 4, deltaPix: 0.1, source }, { catalog }); return []; } catch (e) { return (e as SpecValidationError).issues; }
    };
    expect(issues([{ type: 'INTERPOL', amp: 1 }])).to.deep.equal([
      'source[0].image: missing; expected a 2-D array of finite numbers [rows][cols] (the render command also takes a path to a .npy or FITS file)']);
    expect(issues([{ type: 'INTERPOL', image: [[1, 2], [3]] }])).to.deep.equal([
      'source[0].image: expected a 2-D array of finite numbers [rows][cols] (the render command also takes a path to a .npy or FITS file), got an array of length 2']);
    expect(issues([{ type: 'INTERPOL', image: [[1, 2], [3, '4']], scale: 0 }])).to.deep.equal([
      'source[0].scale: expected a number in (0, 100] for INTERPOL, got 0',
      'source[0].image[1][1]: expected a finite number, got "4"',
    ]);
    expect(issues([{ type: 'INTERPOL', image: [[1]], R_sersic: 1 }])).to.deep.equal([
      'source[0].R_sersic: unknown parameter for INTERPOL; allowed: image, amp, center_x, center_y, phi_G, scale']);
    expect(issues([{ type: 'INTERPOLL', image: [[1]] }])).to.deep.equal([
      'source[0].type: unknown light profile "INTERPOLL"; expected one of SERSIC, SERSIC_ELLIPSE, CORE_SERSIC, INTERPOL; closest match: INTERPOL']);
  });
});
