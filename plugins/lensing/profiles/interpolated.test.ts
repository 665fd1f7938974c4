import { expect } from 'chai';
import { InterpolatedProfile } from './interpolated.js';

// 5 x 7 stamp: image[i][j] = ((7 i + 3 j) % 11) / 3 + 0.25 i (same construction in the python script)
const ROWS = 5, COLS = 7;
const IMAGE = Float64Array.from({ length: ROWS * COLS }, (_, k) => {
  const i = Math.floor(k / COLS), j = k % COLS;
  return ((i * 7 + j * 3) % 11) / 3 + 0.25 * i;
});
const P = { amp: 1.7, center_x: 0.13, center_y: -0.21, phi_G: 0.6, scale: 0.05 };

/*
 * Reference values: lenstronomy 1.14.2's INTERPOL formula evaluated with scipy 1.10.1
 * (image padded with one ring of zeros, RectBivariateSpline(kx=1, ky=1, s=0) over
 * (rows, cols) at (y', x') after coord2image_pixel), by /tmp/interp_ref.py during development.
 */
const OFFSETS: Array<[number, number]> = [[0.0, 0.0], [0.031, 0.017], [-0.07, 0.05], [0.11, -0.04], [-0.13, -0.09], [0.021, 0.12], [0.16, 0.14], [-0.171, 0.013], [0.09, -0.15], [0.4, 0.0]];
const SCIPY = [1.4166666666666665, 2.740863701072752, 3.669763839924334, 1.3924981370971943, 2.1633685383556984, 5.733918592801456, 0.0, 4.827910212252777, 0.0, 0.0];
// points inside the zero-padding ring (stamp coordinates (3.5, 0), (-3.25, 2.5), (1.2, -2.75))
const RING: Array<[number, number, number]> = [
  [0.27443373260919374, -0.11118756715586882, 3.25833333333333],
  [-0.07469734659720215, -0.19858745006298342, 1.9124999999999999],
  [0.25715847698639804, -0.2896050986463787, 0.22666666666666652],
];

describe('lensing/profiles/interpolated (INTERPOL)', () => {
  const prof = new InterpolatedProfile({ image: IMAGE, rows: ROWS, cols: COLS, ...P });

  it('matches lenstronomy/scipy bilinear interpolation with rotation, scale and centre', () => {
    OFFSETS.forEach(([dx, dy], k) => {
      expect(prof.surfaceBrightness(P.center_x + dx, P.center_y + dy)).to.be.closeTo(SCIPY[k], 1e-12);
    });
  });

  it('fades linearly to 0 across the one-pixel zero-padding ring', () => {
    for (const [x, y, want] of RING) expect(prof.surfaceBrightness(x, y)).to.be.closeTo(want, 1e-12);
  });

  it('reproduces the stamp values at the pixel centres (phi_G = 0, amp = 1)', () => {
    const p0 = new InterpolatedProfile({ image: IMAGE, rows: ROWS, cols: COLS, scale: 0.1 });
    for (let i = 0; i < ROWS; i++) {
      for (let j = 0; j < COLS; j++) {
        expect(p0.surfaceBrightness((j - 3) * 0.1, (i - 2) * 0.1)).to.be.closeTo(IMAGE[i * COLS + j], 1e-12);
      }
    }
  });

  it('the array kernel adds exactly the scalar values', () => {
    const n = 400;
    const xs = new Float64Array(n), ys = new Float64Array(n);
    for (let k = 0; k < n; k++) { xs[k] = P.center_x + 0.22 * Math.sin(1.3 * k); ys[k] = P.center_y + 0.22 * Math.cos(0.7 * k + 0.2); }
    const out = new Float64Array(n).fill(2);
    prof.addSurfaceBrightness(xs, ys, out, n);
    let nonzero = 0;
    for (let k = 0; k < n; k++) {
      const v = prof.surfaceBrightness(xs[k], ys[k]);
      if (v !== 0) nonzero++;
      expect(out[k]).to.be.closeTo(2 + v, 1e-12);
    }
    expect(nonzero).to.be.greaterThan(100);
  });

  it('total flux is amp * sum(image) * scale^2 and equals the integral of the surface brightness', () => {
    expect(prof.totalFlux()).to.be.closeTo(0.3265416666666667, 1e-14); // numpy value
    // midpoint-rule integral over a fine grid covering the rotated stamp
    const h = 0.002, half = 0.3;
    let sum = 0;
    for (let y = -half + h / 2; y < half; y += h) for (let x = -half + h / 2; x < half; x += h) sum += prof.surfaceBrightness(P.center_x + x, P.center_y + y);
    expect(sum * h * h).to.be.closeTo(prof.totalFlux(), 2e-3 * prof.totalFlux());
  });

  it('rejects bad parameters, naming each field', () => {
    expect(() => new InterpolatedProfile({ image: IMAGE, rows: 4, cols: COLS })).to.throw(/source\.image: expected rows\*cols = 28 values, got 35/);
    expect(() => new InterpolatedProfile({ image: IMAGE, rows: ROWS, cols: COLS, scale: 0 })).to.throw(/source\.scale: expected a positive number \[arcsec\/pixel\], got 0/);
    expect(() => new InterpolatedProfile({ image: Float64Array.of(1, NaN, 1, 1), rows: 2, cols: 2 })).to.throw(/source\.image: expected finite values, got NaN at index 1/);
    expect(() => new InterpolatedProfile({ image: IMAGE, rows: 0, cols: COLS, phi_G: Infinity })).to.throw(/source\.rows: expected a positive integer, got 0[\s\S]*source\.phi_G: expected a finite number, got Infinity/);
  });
});
