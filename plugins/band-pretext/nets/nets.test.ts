import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { Rng } from '../../../core/index.js';
import { withBackend } from '../../../core/index.js';
import { buildBandExtractor, extractPerBand } from './band-extractor.js';
import { buildRichnessHead, featuresToHeadInput } from './richness-head.js';

describe('band-pretext networks (paper §2.3, Table S2)', () => {
  it('extractor = ResNet trunk + 1x1 conv/BN/ReLU + GAP + FC, shared across the bands of a cluster', async () => {
    await withBackend('cpu', () => {
      const ex = buildBandExtractor({ depth: 18, width: 2, stem: 'stride2', projChannels: 0, featureDim: 6, inputSize: 16, rng: Rng.fromSeed(1) });
      const names = ex.model.layers.map((l) => l.name);
      const gap = names.indexOf('band_extractor_gap');
      expect(names.slice(gap - 3, gap + 2)).to.deep.equal(['band_extractor_proj_conv', 'band_extractor_proj_bn', 'band_extractor_proj_act', 'band_extractor_gap', 'band_extractor_fc']);
      expect(ex.model.getLayer('band_extractor_proj_conv').outputShape).to.deep.equal([null, 1, 1, 16]); // 8 x width channels
      expect(ex.model.outputs[0].shape).to.deep.equal([null, 6]);
      // the five bands of a cluster go through the same weights: [B, C, D] rows equal single-band outputs
      const x = tf.randomNormal([2, 16, 16, 5], 0, 1, 'float32', 3) as tf.Tensor4D;
      const f = extractPerBand(ex.model, x, false);
      expect(f.shape).to.deep.equal([2, 5, 6]);
      const band3 = ex.model.predict(tf.slice(x, [1, 0, 0, 3], [1, 16, 16, 1])) as tf.Tensor;
      const got = Array.from(tf.slice(f, [1, 3, 0], [1, 1, 6]).dataSync()), want = Array.from(band3.dataSync());
      got.forEach((v, i) => expect(v).to.be.closeTo(want[i], 1e-5));
      tf.dispose([x, f, band3]);
      ex.model.dispose();
    });
  });

  it('head follows Table S2 shapes: D x 5 x 1 -> (D-2) x 5 x 16 -> (D-4) x 5 x 64 -> FC ... -> 1', async () => {
    await withBackend('cpu', () => {
      const head = buildRichnessHead({ featureDim: 512, bands: 5, conv2Filters: 16, conv3Filters: 64, fc: [4], rng: Rng.fromSeed(2) });
      expect(head.getLayer('richness_head_conv1').outputShape).to.deep.equal([null, 512, 5, 1]);
      expect(head.getLayer('richness_head_conv2').outputShape).to.deep.equal([null, 510, 5, 16]);
      expect(head.getLayer('richness_head_conv3').outputShape).to.deep.equal([null, 508, 5, 64]);
      expect(head.getLayer('richness_head_flatten').outputShape).to.deep.equal([null, 508 * 5 * 64]);
      expect(head.outputs[0].shape).to.deep.equal([null, 1]);
      head.dispose();
      // features [B, C, D] -> [B, D, C, 1]: element (b, c, d) lands at (b, d, c)
      const f = tf.tensor3d(Array.from({ length: 2 * 5 * 3 }, (_, i) => i), [2, 5, 3]);
      const h = featuresToHeadInput(f);
      expect(h.shape).to.deep.equal([2, 3, 5, 1]);
      expect(h.arraySync()[1][2][4][0]).to.equal(1 * 15 + 4 * 3 + 2);
      tf.dispose([f, h]);
      expect(() => buildRichnessHead({ featureDim: 4, bands: 5, conv2Filters: 1, conv3Filters: 1, fc: [], rng: Rng.fromSeed(1) }))
        .to.throw('extractor.featureDim: expected an integer >= 5 for the Table S2 head, got 4');
    });
  });
});
