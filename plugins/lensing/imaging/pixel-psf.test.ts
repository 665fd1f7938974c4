import { expect } from 'chai';
import { SpecValidationError } from '../profiles/spec-validation-error.js';
import { GaussianPsf } from './gaussian-psf.js';
import { convolveSameZero, PixelPsf, validatePixelKernel } from './pixel-psf.js';

describe('lensing/PIXEL PSF', () => {
  it('accepts number[][] and flat typed arrays, requiring an odd square', () => {
    expect(new PixelPsf([[0, 0, 0], [0, 1, 0], [0, 0, 0]]).size).to.equal(3);
    expect(new PixelPsf(Float32Array.from([0, 0, 0, 0, 1, 0, 0, 0, 0])).size).to.equal(3);
    expect(() => new PixelPsf(new Float64Array(16).fill(1 / 16))).to.throw(SpecValidationError, 'psf.kernel: expected an odd kernel size, got 4x4');
    expect(() => new PixelPsf(new Float64Array(10).fill(0.1))).to.throw(
      'psf.kernel: expected a square kernel (flat length an odd square such as 9, 25, 49), got length 10');
    expect(() => new PixelPsf([[1, 0], [0]])).to.throw('psf.kernel: expected a square array of numbers (2 rows of 2 numbers)');
    expect(() => new PixelPsf('psf.fits' as unknown as number[])).to.throw(
      'psf.kernel: expected a square odd-sized kernel (number[][] or a flat Float32Array/Float64Array), got "psf.fits"');
    expect(() => new PixelPsf([0, 0, 0, 0, NaN, 0, 0, 0, 0])).to.throw('psf.kernel: expected finite numbers, got NaN at index 4');
  });

  it('requires a sum of 1 within tolerance, or normalises when asked', () => {
    const k = new Float64Array(9).fill(0.1);
    expect(() => new PixelPsf(k)).to.throw('psf.kernel: expected the kernel to sum to 1 (within 0.001), got 0.9; set normalize: true to rescale it');
    const p = new PixelPsf(k, { normalize: true });
    expect(p.kernel.reduce((a, b) => a + b, 0)).to.be.closeTo(1, 1e-15);
    expect(new PixelPsf(k, { tolerance: 0.2 }).kernel[0]).to.equal(0.1);
    expect(validatePixelKernel(new Float64Array(9), 'k', { normalize: true }).errors).to.deep.equal([
      'k: cannot normalise a kernel whose sum is 0; expected a positive sum',
    ]);
    expect(() => new PixelPsf([1], { supersampling: 0, pixelScale: -1 })).to.throw(SpecValidationError)
      .with.property('issues').that.deep.equals([
        'psf.supersampling: expected an integer in [1, 16], got 0',
        'psf.pixelScale: expected a positive number [arcsec], got -1',
      ]);
  });

  it('convolves with zero padding (fftconvolve mode=same), flipping the kernel', () => {
    const rows = 6, cols = 5;
    const img = Float64Array.from({ length: rows * cols }, (_, i) => (i % 7) - 2.5);
    const kernel = Float64Array.from([0.1, 0.2, 0.05, 0.0, 0.3, 0.1, 0.05, 0.1, 0.1]);
    const out = new Float64Array(rows * cols);
    convolveSameZero(img, rows, cols, kernel, 3, out);
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) {
      let s = 0;
      for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) {
        const si = i + 1 - a, sj = j + 1 - b;
        if (si >= 0 && si < rows && sj >= 0 && sj < cols) s += kernel[a * 3 + b] * img[si * cols + sj];
      }
      expect(out[i * cols + j]).to.be.closeTo(s, 1e-14);
    }
  });

  it('a sampled Gaussian kernel equals the separable Gaussian PSF away from the borders', () => {
    const g = new GaussianPsf(0.15, 0.05, 4);
    const p = new PixelPsf(g.kernel2d());
    const N = 30, r = g.radius;
    const img = Float64Array.from({ length: N * N }, (_, i) => Math.cos(i * 0.37) + 1.5);
    const a = g.convolve(img, N, N, new Float64Array(N * N));
    const b = p.convolve(img, N, N, new Float64Array(N * N));
    for (let i = r; i < N - r; i++) for (let j = r; j < N - r; j++) expect(b[i * N + j]).to.be.closeTo(a[i * N + j], 1e-13);
  });
});
