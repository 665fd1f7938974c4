import { expect } from 'chai';
import { fft, fft2d, fftfreq, ifft2d } from './fft.js';

// Reference values: numpy 1.24.2 / scipy 1.10.1 (Debian python3-numpy/python3-scipy).
// numpy.fft.fft2 of a 3 x 5 real input.
const a35 = [1.0, -0.416, -0.654, 0.96, -0.146, 0.54, -0.99, 0.284, 0.754, -0.911, -0.416, -0.654, 0.96, -0.146, -0.839]; // 3 x 5
const F35re = [-0.6739999999999997, -1.8443299036084286, 4.991329903608428, 4.991329903608428, -1.8443299036084286, 1.4529999999999998, 2.8100077981415446, -1.3354942947568984, 0.9918446445008324, 0.7706418521145209, 1.4529999999999998, 0.7706418521145209, 0.9918446445008324, -1.3354942947568984, 2.8100077981415446];
const F35im = [0.0, 0.730827245414444, -0.8337364915606946, 0.8337364915606946, -0.730827245414444, -0.6685716117215864, 0.8810005919507713, -2.821309691934161, 0.47386341404937427, -2.004584132434014, 0.6685716117215864, 2.004584132434014, -0.47386341404937427, 2.821309691934161, -0.8810005919507713];

function expectRelClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rel: number, abs = 0): void {
  expect(actual.length).to.equal(expected.length);
  for (let i = 0; i < expected.length; i++) {
    expect(Math.abs(actual[i] - expected[i])).to.be.at.most(rel * Math.abs(expected[i]) + abs, `index ${i}: ${actual[i]} vs ${expected[i]}`);
  }
}

describe('core/signal fft', () => {
  it('matches numpy.fft.fft2 on a non-power-of-two 3 x 5 input (Bluestein path)', () => {
    const F = fft2d(a35, null, 3, 5);
    expectRelClose(F.re, F35re, 0, 1e-13);
    expectRelClose(F.im, F35im, 0, 1e-13);
  });

  it('matches a direct DFT for lengths 1..40 and round-trips through the inverse', () => {
    for (let n = 1; n <= 40; n++) {
      const re = Array.from({ length: n }, (_, i) => Math.sin(1.7 * i) + 0.1 * i);
      const im = Array.from({ length: n }, (_, i) => Math.cos(0.3 * i));
      const X = fft(re, im);
      for (let k = 0; k < n; k++) {
        let sr = 0, si = 0;
        for (let j = 0; j < n; j++) {
          const a = (-2 * Math.PI * ((j * k) % n)) / n;
          sr += re[j] * Math.cos(a) - im[j] * Math.sin(a);
          si += re[j] * Math.sin(a) + im[j] * Math.cos(a);
        }
        expect(X.re[k]).to.be.closeTo(sr, 1e-11);
        expect(X.im[k]).to.be.closeTo(si, 1e-11);
      }
    }
    for (const [r, c] of [[6, 9], [8, 8], [1, 7], [11, 4]]) {
      const x = Float32Array.from({ length: r * c }, (_, i) => Math.sin(i));
      const F = fft2d(x, null, r, c);
      const y = ifft2d(F.re, F.im, r, c);
      for (let i = 0; i < r * c; i++) { expect(y.re[i]).to.be.closeTo(x[i], 1e-13); expect(y.im[i]).to.be.closeTo(0, 1e-13); }
    }
  });

  it('fftfreq follows numpy for even and odd n', () => {
    expect(Array.from(fftfreq(4))).to.deep.equal([0, 0.25, -0.5, -0.25]);
    expect(Array.from(fftfreq(5, 0.5))).to.deep.equal([0, 0.4, 0.8, -0.8, -0.4]);
  });

  it('rejects a wrong length with the field named', () => {
    expect(() => fft2d([1, 2, 3], null, 2)).to.throw('re: expected length 4, got length 3');
    expect(() => fft2d([1, 2, 3, 4], [1], 2)).to.throw('im: expected length 4, got length 1');
  });
});
