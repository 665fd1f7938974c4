import { expect } from 'chai';
import { loadFixture } from '../testing/fixtures.js';
import { fwhmToSigma, gaussianPsfKernel1d, GaussianPsf } from './gaussian-psf.js';

describe('lensing/Gaussian PSF (scipy.ndimage.gaussian_filter, mode=nearest)', () => {
  const images = loadFixture('images.json');

  for (const key of ['0.08', '0.05']) {
    it(`reproduces the fixture 1-D weights, radius and sigma at ${key}"/pixel`, () => {
      const ref = images.psf[key];
      const d = Number(key);
      expect(fwhmToSigma(ref.fwhm_arcsec)).to.be.closeTo(ref.sigma_arcsec, 1e-9);
      const psf = new GaussianPsf(ref.fwhm_arcsec, d, ref.truncation_sigmas);
      expect(psf.sigmaPix).to.be.closeTo(ref.sigma_pix, 1e-6);
      expect(psf.radius).to.equal(ref.gaussian_filter_radius_pix);
      const w = gaussianPsfKernel1d(ref.fwhm_arcsec, d, ref.truncation_sigmas);
      expect(w.length).to.equal(ref.gaussian_filter_1d_weights.length);
      w.forEach((v, i) => expect(v).to.be.closeTo(ref.gaussian_filter_1d_weights[i], 1e-6 * Math.max(v, 1e-3)));
      // the 2-D kernel w w^T equals lenstronomy's kernel_point_source up to rounding
      const k2 = psf.kernel2d();
      expect(k2.length).to.equal(ref.kernel_point_source.length);
      k2.forEach((v, i) => expect(v).to.be.closeTo(ref.kernel_point_source[i], 1e-6 * Math.max(ref.kernel_point_source[i], 1e-2)));
    });
  }

  it('each 1-D kernel is normalised and symmetric, so flux is conserved', () => {
    for (const [fwhm, d, tr] of [[0.1, 0.08, 5], [0.3, 0.05, 3], [0.02, 0.1, 5]] as const) {
      const w = gaussianPsfKernel1d(fwhm, d, tr);
      expect(w.reduce((a, b) => a + b, 0)).to.be.closeTo(1, 1e-15);
      for (let i = 0; i < w.length; i++) expect(w[i]).to.equal(w[w.length - 1 - i]);
    }
    const psf = new GaussianPsf(0.3, 0.05);
    const img = new Float64Array(40 * 40);
    img[20 * 40 + 20] = 5; // far from the edges: total flux preserved
    psf.convolve(img, 40, 40);
    expect(img.reduce((a, b) => a + b, 0)).to.be.closeTo(5, 1e-12);
  });

  it('replicates edge pixels (not zero padding, not wrap-around): brute-force check', () => {
    const rows = 9, cols = 7;
    const img = Float64Array.from({ length: rows * cols }, (_, i) => Math.sin(i * 1.7) + 2);
    const psf = new GaussianPsf(0.2, 0.06, 4);
    const w = psf.weights, r = psf.radius;
    const clamp = (v: number, n: number): number => Math.min(n - 1, Math.max(0, v));
    const want = new Float64Array(rows * cols);
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) {
      let s = 0;
      for (let a = -r; a <= r; a++) for (let b = -r; b <= r; b++) s += w[a + r] * w[b + r] * img[clamp(i + a, rows) * cols + clamp(j + b, cols)];
      want[i * cols + j] = s;
    }
    const got = psf.convolve(img, rows, cols, new Float64Array(rows * cols));
    got.forEach((v, i) => expect(v).to.be.closeTo(want[i], 1e-13));
    // a constant image stays constant at the borders (it would dim with zero padding)
    const flat = new Float64Array(rows * cols).fill(3);
    psf.convolve(flat, rows, cols);
    flat.forEach((v) => expect(v).to.be.closeTo(3, 1e-14));
  });
});
