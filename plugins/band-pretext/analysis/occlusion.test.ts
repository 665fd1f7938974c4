import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { withBackend } from '../../../core/index.js';
import { OcclusionAnalysis, OcclusionOptions } from '../components/occlusion-analysis.js';
import { occlusionFigurePng } from './occlusion-figure.js';

const N = 16;
const inRegion = (y: number, x: number) => y >= 4 && y < 8 && x >= 10 && x < 14;
const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

/**
 * A hand-built 2-class model whose answer depends only on the 4x4 region rows 4-7, cols 10-13:
 * logit0 = sum(region) / 4 - 2, logit1 = 0. For the test image (1 in the region, 0.7 elsewhere)
 * P(class 0) = sigmoid(2 - k/4) when a zero patch hides k region pixels.
 */
function regionModel(): tf.LayersModel {
  const m = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [N, N, 1] }), tf.layers.dense({ units: 2 })] });
  const kernel = new Float32Array(N * N * 2);
  for (let y = 0; y < N; y++) for (let x = 0; x < N; x++) if (inRegion(y, x)) kernel[(y * N + x) * 2] = 0.25;
  m.layers[1].setWeights([tf.tensor2d(kernel, [N * N, 2]), tf.tensor1d([-2, 0])]);
  return m;
}

describe('band-pretext/occlusion analysis', () => {
  it('finds the one region a hand-built model depends on, with exact probabilities', async () => {
    await withBackend('cpu', () => {
      const image = new Float32Array(N * N);
      for (let y = 0; y < N; y++) for (let x = 0; x < N; x++) image[y * N + x] = inRegion(y, x) ? 1 : 0.7;
      const a = new OcclusionAnalysis(OcclusionOptions.parse({ patch: 4, stride: 1 }));
      const model = regionModel();
      const r = a.analyze(model, image, [N, N, 1], 0);
      expect(r.ys).to.have.length(13);
      expect(r.baseline).to.be.closeTo(sigmoid(2), 1e-6);
      const at = (y: number, x: number) => r.map[r.ys.indexOf(y) * r.xs.length + r.xs.indexOf(x)];
      expect(at(4, 10)).to.be.closeTo(sigmoid(-2), 1e-6); // region fully hidden
      expect(at(2, 10)).to.be.closeTo(0.5, 1e-6); // 8 of 16 region pixels hidden
      expect(at(0, 0)).to.be.closeTo(sigmoid(2), 1e-6); // far away: unchanged
      let argmin = 0;
      r.map.forEach((v, i) => { if (v < r.map[argmin]) argmin = i; });
      expect([r.ys[Math.floor(argmin / r.xs.length)], r.xs[argmin % r.xs.length]]).to.deep.equal([4, 10]);
      // pixel map: low over the region, baseline far from it
      expect(r.pixelMap[5 * N + 11]).to.be.lessThan(0.5);
      expect(r.pixelMap[14 * N + 1]).to.be.closeTo(sigmoid(2), 1e-6);
      // probability of the other class is the complement
      const r1 = a.analyze(model, image, [N, N, 1], 1);
      expect(r1.map[r1.ys.indexOf(4) * r1.xs.length + r1.xs.indexOf(10)]).to.be.closeTo(1 - sigmoid(-2), 1e-6);
      // the last patch position touches the edge even when the stride does not land on it
      const r3 = new OcclusionAnalysis(OcclusionOptions.parse({ patch: 5, stride: 4 })).analyze(model, image, [N, N, 1], 0);
      expect(r3.ys).to.deep.equal([0, 4, 8, 11]);
      model.dispose();
    });
  });

  it('writes a PNG figure and rejects bad settings with messages naming the field', async () => {
    await withBackend('cpu', () => {
      const image = new Float32Array(N * N).fill(0.5);
      const a = new OcclusionAnalysis(OcclusionOptions.parse({ patch: 4, stride: 4 }));
      const model = regionModel();
      const r = a.analyze(model, image, [N, N, 1], 0);
      const png = occlusionFigurePng([{ image, result: r, markers: [{ x: 3, y: 3, kind: 'member' }, { x: 8, y: 8, kind: 'star' }] }], 2);
      expect(Array.from(png.subarray(1, 4))).to.deep.equal([0x50, 0x4e, 0x47]);
      expect(png.readUInt32BE(16)).to.equal(3 * N * 2 + 4 * 4); // width: 3 panels + 4 gaps
      expect(() => a.analyze(model, image, [N, N, 1], 2)).to.throw('target: expected a class index in [0, 1], got 2');
      expect(() => new OcclusionAnalysis(OcclusionOptions.parse({ patch: 17 })).analyze(model, image, [N, N, 1], 0)).to.throw('patch: expected an integer in [1, 16], got 17');
      expect(() => a.analyze(model, new Float32Array(3), [N, N, 1], 0)).to.throw('image: expected 256 values (16x16x1), got 3');
      model.dispose();
    });
  });
});
