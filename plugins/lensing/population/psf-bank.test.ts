import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFits, writeNpy } from '../../../core/index.js';
import { PixelPsf } from '../imaging/pixel-psf.js';
import { buildPsfChoices } from './psf-bank.js';

function gaussKernel(k: number, s: number): Float32Array {
  const out = new Float32Array(k * k);
  const c = (k - 1) / 2;
  let sum = 0;
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) { out[i * k + j] = Math.exp(-((i - c) ** 2 + (j - c) ** 2) / (2 * s * s)); sum += out[i * k + j]; }
  return out.map((v) => v / sum);
}

describe('lensing/population/psf-bank', () => {
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'lensforge-psf-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('lists the Gaussian FWHMs, then every kernel of every .npy/FITS file', () => {
    const stack = new Float32Array(2 * 25);
    stack.set(gaussKernel(5, 0.8), 0);
    stack.set(gaussKernel(5, 1.2).map((v) => v * 3), 25); // normalised on load
    writeNpy(join(dir, 'stack.npy'), stack, [2, 5, 5]);
    writeFits(join(dir, 'one.fits'), gaussKernel(7, 1), [7, 7]);
    const c = buildPsfChoices({ fwhm: [0.1, 0.15], truncation: 4, kernels: [{ path: 'stack.npy', supersampling: 1, normalize: true }, { path: 'one.fits', supersampling: 1, normalize: false }] }, 0.05, 'psfs', dir);
    expect(c.map((p) => p.label.replace(dir, 'D'))).to.deep.equal(['GAUSSIAN fwhm=0.1', 'GAUSSIAN fwhm=0.15', 'PIXEL D/stack.npy[0]', 'PIXEL D/stack.npy[1]', 'PIXEL D/one.fits[0]']);
    expect(c[1].psf).to.deep.equal({ type: 'GAUSSIAN', fwhm: 0.15, truncation: 4 });
    const k1 = c[3].psf as PixelPsf;
    expect(k1.size).to.equal(5);
    expect(k1.kernel.reduce((a, b) => a + b, 0)).to.be.closeTo(1, 1e-12);
    expect(k1.pixelScale).to.equal(0.05);
  });

  it('no PSF at all gives a single NONE choice', () => {
    expect(buildPsfChoices({ fwhm: [], truncation: 5, kernels: [] }, 0.08)).to.deep.equal([{ psf: { type: 'NONE' }, label: 'NONE' }]);
  });

  it('names the kernel file and the problem', () => {
    writeNpy(join(dir, 'even.npy'), new Float32Array(16).fill(1 / 16), [4, 4]);
    writeNpy(join(dir, 'rect.npy'), new Float32Array(15).fill(1 / 15), [3, 5]);
    writeNpy(join(dir, 'sum.npy'), gaussKernel(3, 1).map((v) => 2 * v), [3, 3]);
    const o = (path: string, normalize = false) => ({ fwhm: [], truncation: 5, kernels: [{ path, supersampling: 1, normalize }] });
    expect(() => buildPsfChoices(o('even.npy'), 0.08, 'data.psfs', dir)).to.throw(/data\.psfs\.kernels\[0\]\.path: kernel 0 of .*even\.npy: .*expected an odd kernel size, got 4x4/);
    expect(() => buildPsfChoices(o('rect.npy'), 0.08, 'data.psfs', dir)).to.throw(/data\.psfs\.kernels\[0\]\.path: expected a square kernel \[k, k\] or a stack \[n, k, k\], got shape \[3, 5\]/);
    expect(() => buildPsfChoices(o('sum.npy'), 0.08, 'data.psfs', dir)).to.throw(/expected the kernel to sum to 1 \(within 0\.001\), got 2; set normalize: true/);
    expect(() => buildPsfChoices(o('nope.fits'), 0.08, 'data.psfs', dir)).to.throw(/data\.psfs\.kernels\[0\]\.path: file not found/);
  });
});
