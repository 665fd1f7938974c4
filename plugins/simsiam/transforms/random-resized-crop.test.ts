import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { Rng } from '../../../core/index.js';
import { randomResizedCrop, sampleCropBox } from './random-resized-crop.js';

/** [B, N, N, 2] ramp: channel 0 = 3 i + 0.5 j, channel 1 = -2 j (linear in row i, column j). */
function ramp(B: number, N: number): tf.Tensor4D {
  const v = new Float32Array(B * N * N * 2);
  for (let b = 0; b < B; b++) for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) {
    const o = ((b * N + i) * N + j) * 2;
    v[o] = 3 * i + 0.5 * j; v[o + 1] = -2 * j;
  }
  return tf.tensor4d(v, [B, N, N, 2]);
}

describe('simsiam/transforms/random-resized-crop', () => {
  before(async () => { await tf.setBackend('cpu'); });

  it('samples boxes with area fraction in scale and aspect in ratio (torchvision rule)', () => {
    const rng = Rng.fromSeed(4);
    let minA = 1, maxA = 0, minR = 10, maxR = 0;
    for (let t = 0; t < 500; t++) {
      const c = sampleCropBox(64, 64, rng, [0.2, 1], [3 / 4, 4 / 3]);
      expect(c.top >= 0 && c.left >= 0 && c.top + c.height <= 64 && c.left + c.width <= 64).to.equal(true);
      const a = c.height * c.width / 4096, r = c.width / c.height;
      minA = Math.min(minA, a); maxA = Math.max(maxA, a); minR = Math.min(minR, r); maxR = Math.max(maxR, r);
    }
    // integer rounding of sqrt(area * ratio) allows a pixel of slack
    expect(minA).to.be.within(0.18, 0.25);
    expect(maxA).to.be.within(0.9, 1);
    expect(minR).to.be.within(0.7, 0.8);
    expect(maxR).to.be.within(1.25, 1.4);
    // a crop of the whole image when scale = ratio = 1
    expect(sampleCropBox(10, 10, rng, [1, 1], [1, 1])).to.deep.equal({ top: 0, left: 0, height: 10, width: 10 });
    // impossible ratio falls back to a centre crop clamped to the ratio range
    expect(sampleCropBox(10, 20, rng, [0.99, 1], [1, 1])).to.deep.equal({ top: 0, left: 5, height: 10, width: 10 });
  });

  it('keeps a constant image constant and copies exactly for a full-size box', () => {
    const c = tf.fill([3, 9, 9, 2], 2.5) as tf.Tensor4D;
    const y = randomResizedCrop(c, Rng.fromSeed(1));
    for (const v of y.dataSync()) expect(v).to.be.closeTo(2.5, 1e-6);
    const x = ramp(1, 8);
    const same = randomResizedCrop(x, Rng.fromSeed(1), { scale: [1, 1], ratio: [1, 1] });
    const d = tf.max(tf.abs(tf.sub(same, x))).dataSync()[0];
    expect(d).to.be.below(1e-5);
    tf.dispose([c, y, x, same]);
  });

  it('crops and resizes a linear ramp into a linear ramp inside the original range', () => {
    const N = 16;
    const x = ramp(6, N);
    const y = randomResizedCrop(x, Rng.fromSeed(7), { size: 8 });
    expect(y.shape).to.deep.equal([6, 8, 8, 2]);
    const v = y.dataSync();
    const at = (b: number, i: number, j: number, c: number) => v[((b * 8 + i) * 8 + j) * 2 + c];
    const slopes = new Set<string>();
    for (let b = 0; b < 6; b++) {
      for (let i = 0; i < 8; i++) for (let j = 0; j < 8; j++) {
        expect(at(b, i, j, 0)).to.be.within(-1e-4, 3 * 15 + 0.5 * 15 + 1e-4);
        // bilinear resampling of a linear function is linear: second differences vanish
        if (i > 0 && i < 7) expect(at(b, i - 1, j, 0) - 2 * at(b, i, j, 0) + at(b, i + 1, j, 0)).to.be.closeTo(0, 1e-3);
        if (j > 0 && j < 7) expect(at(b, i, j - 1, 1) - 2 * at(b, i, j, 1) + at(b, i, j + 1, 1)).to.be.closeTo(0, 1e-3);
      }
      slopes.add((at(b, 0, 7, 1) - at(b, 0, 0, 1)).toFixed(3));
    }
    expect(slopes.size).to.be.greaterThan(1); // different crops per sample
    const y2 = randomResizedCrop(x, Rng.fromSeed(7), { size: 8 });
    expect(Array.from(y2.dataSync())).to.deep.equal(Array.from(v));
    tf.dispose([x, y, y2]);
  });

  it('validates its options', () => {
    const x = tf.zeros([1, 4, 4, 1]) as tf.Tensor4D;
    expect(() => randomResizedCrop(x, Rng.fromSeed(1), { scale: [0.5, 0.2] }))
      .to.throw('randomResizedCrop.scale: expected [lo, hi] with 0 < lo <= hi <= 1, got [0.5,0.2]');
    expect(() => randomResizedCrop(x, Rng.fromSeed(1), { size: 0 })).to.throw('randomResizedCrop.size: expected an integer >= 1, got 0');
    x.dispose();
  });
});
