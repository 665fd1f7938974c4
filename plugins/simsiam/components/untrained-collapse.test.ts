import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { Rng, withBackend } from '../../../core/index.js';
import { buildSmallCnn } from '../../encoders/index.js';
import { buildProjector } from '../nets/index.js';
import { collapseStd } from '../losses/index.js';

describe('collapse monitor on an untrained encoder', () => {
  it('reads close to the healthy 1/sqrt(d) for random images, and 0 when every input is the same', async () => {
    await withBackend('cpu', () => {
      const rng = Rng.fromSeed(11);
      const enc = buildSmallCnn({ inChannels: 1, inputSize: 16, width: 4, rng });
      const proj = buildProjector(enc.featureDim, { hidden: 32, out: 64, layers: 3, rng });
      const x = tf.tensor4d(rng.normalArray(64 * 16 * 16), [64, 16, 16, 1]);
      const z = proj.apply(enc.model.apply(x, { training: true }), { training: true }) as tf.Tensor2D;
      const healthy = collapseStd(z);
      expect(healthy).to.be.within(0.6 / Math.sqrt(64), 1.2 / Math.sqrt(64));
      const same = tf.tile(x.slice([0, 0, 0, 0], [1, 16, 16, 1]), [64, 1, 1, 1]);
      const zc = proj.apply(enc.model.apply(same, { training: false }), { training: false }) as tf.Tensor2D;
      expect(collapseStd(zc)).to.be.below(1e-4);
      tf.dispose([x, z, same, zc]);
    });
  });
});
