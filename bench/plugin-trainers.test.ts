import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { LensforgeError } from '../core/index.js';
import { withTestBackend } from '../core/testing/test-backend.js';
import { PLUGIN_BENCH_MODELS, adamOf, pluginSpec, type PluginBenchModel } from './plugin-trainers.js';
import { buildTrainer, identityMismatches } from './train-bench.js';

/**
 * What bench/torch_reference.py's twins count, computed once with PyTorch 1.13 (Debian
 * python3-torch) through `node dist/bench/train-bench.js --models <these> --steps 2` on
 * 2026-12-02: trainable parameters, and forward multiply-adds of one training step counted by
 * forward hooks. A change of a preset or a builder must change both sides and these numbers.
 */
const TORCH: Record<PluginBenchModel, { params: number; macsPerStep: number }> = {
  'gan-quick': { params: 204_970, macsPerStep: 477_075_456 },
  'rcgan-quick': { params: 1_046_394, macsPerStep: 1_883_545_600 },
  'band-pretext-quick': { params: 478_356, macsPerStep: 183_439_616 },
  'band-pretext-pretext': { params: 182_077, macsPerStep: 140_781_568 },
};

describe('train-bench plugin models', () => {
  for (const model of PLUGIN_BENCH_MODELS) {
    it(`${model}: one training step on the current backend, with the PyTorch twin's parameter and multiply-add counts @backend`, async () => {
      await withTestBackend(() => {
        const before = tf.memory().numTensors;
        const t = buildTrainer(model);
        try {
          const ex = t.step();
          if (model === 'rcgan-quick') expect(ex).to.be.a('number').greaterThan(0); // the host-side conditioning it reports
          expect(t.params, `${model} params`).to.equal(TORCH[model].params);
          expect(t.macsPerStep, `${model} forward multiply-adds per step`).to.equal(TORCH[model].macsPerStep);
          expect(identityMismatches(model, t, TORCH[model])).to.deep.equal([]);
        } finally {
          t.dispose();
        }
        expect(tf.memory().numTensors - before, `${model}: tensors left after dispose`).to.equal(0);
      });
    });
  }

  it('reads batch and sizes from the example presets', () => {
    const gan = pluginSpec('gan-quick'), rc = pluginSpec('rcgan-quick'), bp = pluginSpec('band-pretext-quick'), pre = pluginSpec('band-pretext-pretext');
    expect([gan.batch, gan.size]).to.deep.equal([32, 64]);
    expect([rc.batch, rc.size]).to.deep.equal([8, 64]);
    expect(rc.model === 'rcgan-quick' && rc.condChannels).to.equal(4); // KS E, B + E smoothed at 2 and 4 px
    expect([bp.batch, bp.size, pre.batch]).to.deep.equal([16, 32, 64]);
    expect(gan.model === 'gan-quick' && gan.generator.referenceSize).to.equal(8);
  });

  it('names the model and both counts when a twin differs', () => {
    const msgs = identityMismatches('gan-quick', { params: 204_970, macsPerStep: 10 }, { params: 204_969, macsPerStep: 12 });
    expect(msgs).to.deep.equal([
      'gan-quick: trainable parameter count mismatch: TF.js 204,970 vs PyTorch 204,969 (bench/torch_reference.py must build the identical architecture)',
      'gan-quick: forward multiply-adds per step mismatch: TF.js 10 vs PyTorch 12 (bench/torch_reference.py must build the identical architecture and step)',
    ]);
  });

  it('rejects an optimizer the PyTorch twin does not implement, naming the field', () => {
    expect(() => adamOf({ use: 'core/sgd', lr: 0.1 }, 'train.optimizer', 'x.yaml')).to.throw(LensforgeError,
      "x.yaml: train.optimizer.use: the bench's PyTorch twin uses Adam; expected 'core/adam', got \"core/sgd\"");
    expect(() => adamOf({ use: 'core/adam', lr: 1e-3, weightDecay: 1e-4 }, 'train.optimizer', 'x.yaml')).to.throw(LensforgeError,
      "x.yaml: train.optimizer.weightDecay: the bench's PyTorch twin uses plain Adam; expected 0, got 0.0001");
    expect(adamOf({ use: 'core/adam', lr: 2e-4, beta1: 0.5 }, 'train.optimizer', 'x.yaml')).to.deep.equal({ lr: 2e-4, beta1: 0.5, beta2: 0.999, epsilon: 1e-7 });
  });
});
