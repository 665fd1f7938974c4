import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { Rng } from '../../../core/index.js';
import { withTestBackend } from '../../../core/testing/test-backend.js';
import { ConvergenceMapOptions, ConvergenceMapSimulator } from '../../cosmology/index.js';
import { ShearForwardModel, ShearForwardOptions } from '../components/shear-forward-model.js';
import { psnr } from '../metrics/map-metrics.js';
import { buildConditionalGenerator } from '../nets/conditional-generator.js';
import { conditionChannels } from './condition.js';
import { heldOutMaps, validatePosterior } from './held-out-maps.js';

const n = 64;
const data = new ConvergenceMapSimulator(ConvergenceMapOptions.parse({ size: n, count: 3 }), Rng.fromSeed(5));
const forward = new ShearForwardModel(ShearForwardOptions.parse({ nGal: 30, pixelArcmin: 0.7 }), Rng.fromSeed(6));
const spec = { mode: 'ks' as const, smoothScales: [2] };
const rng = Rng.fromSeed(7);

describe('mass-mapping/rcgan held-out maps', () => {
  it('takes at most data.size maps of the split, observed with fixed noise per split and index', () => {
    const val = heldOutMaps(data, forward, spec, 'val', 5, rng, () => 1);
    expect(val.truth).to.have.length(3);
    expect(Array.from(val.truth[2])).to.deep.equal(Array.from(data.sample(2, 'val').image));
    const again = heldOutMaps(data, forward, spec, 'val', 2, rng, () => 1);
    expect(Array.from(again.shear[1].gamma1)).to.deep.equal(Array.from(val.shear[1].gamma1));
    const expected = forward.observe(val.truth[1], n, rng.derive('val-noise:1'));
    expect(Array.from(val.shear[1].gamma2)).to.deep.equal(Array.from(expected.gamma2));
    const test = heldOutMaps(data, forward, spec, 'test', 1, rng, () => 1);
    expect(test.shear[0].gamma1[0]).to.not.equal(val.shear[0].gamma1[0]);
  });

  it('packs the conditions again at the current κ scale on refresh()', () => {
    let s = 1;
    const val = heldOutMaps(data, forward, spec, 'val', 1, rng, () => s);
    const at1 = val.conds[0];
    expect(at1).to.have.length(n * n * conditionChannels(spec, false));
    s = 4;
    val.refresh();
    for (const i of [0, 1, 2, 777, at1.length - 1]) expect(val.conds[0][i]).to.be.closeTo(at1[i] / 4, 1e-6 * Math.abs(at1[i]) + 1e-12);
  });

  it('@backend validatePosterior: a generator that outputs 0 scores the zero map (RMSE = RMS of κ, one sample = the mean)', async () => {
    await withTestBackend(() => {
      const val = heldOutMaps(data, forward, spec, 'val', 2, rng, () => 0.02);
      const G = buildConditionalGenerator({ size: n, condChannels: conditionChannels(spec, false), baseFilters: 2, levels: 2, residualBlocks: 0, batchNorm: false, rng: Rng.fromSeed(8) });
      try {
        const out = G.getLayer('generator_out_conv');
        out.setWeights(out.getWeights().map((w) => tf.zerosLike(w)));
        const v = validatePosterior(G, val, { n, C: conditionChannels(spec, false), zc: 2, sampleBatch: 3 }, 0.02, 2, rng.derive('latent'));
        const rms = val.truth.map((t) => Math.sqrt(t.reduce((a, x) => a + x * x, 0) / t.length));
        expect(v.rmseMean).to.be.closeTo((rms[0] + rms[1]) / 2, 1e-9);
        const zero = new Float32Array(n * n);
        expect(v.psnrSingle).to.be.closeTo((psnr(val.truth[0], zero) + psnr(val.truth[1], zero)) / 2, 1e-9);
        expect(v.psnrMean).to.equal(v.psnrSingle);
      } finally {
        G.dispose();
      }
    });
  });
});
