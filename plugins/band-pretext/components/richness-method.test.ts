import { expect } from 'chai';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodersPlugin } from '../../encoders/index.js';
import { MemoryLogger, Registry, runExperiment, SilentProgress, trainingCorePlugin, validateExperiment } from '../../../core/index.js';
import { testBackendRequest, withTestBackend } from '../../../core/testing/test-backend.js';
import { bandPretextPlugin } from '../plugin.js';

/** A tiny but complete experiment: 16x16 cutouts, width-2 ResNet-18, a few steps per phase. */
function tinyConfig(method: Record<string, unknown>): Record<string, unknown> {
  return {
    name: 'bp-test', seed: 5, backend: testBackendRequest(),
    data: { use: 'band-pretext/clusters', size: 16, pixelScale: 1.5, count: 1000 },
    model: {
      method: {
        use: 'band-pretext/richness', poolSize: 30, labelFraction: 0.25,
        extractor: { depth: 18, width: 2, stem: 'stride2', featureDim: 8 },
        head: { conv2Filters: 2, conv3Filters: 2, fc: [8] },
        pretext: { epochs: 1, stepsPerEpoch: 2, batchSize: 10, optimizer: { use: 'core/adam', lr: 0.01 }, evalImages: 6 },
        ...method,
      },
    },
    loss: { use: 'band-pretext/mse-std', alpha: 0.5 },
    train: { epochs: 1, batchSize: 4, trainSize: 8, optimizer: { use: 'core/adam', lr: 0.001, weightDecay: { value: 1e-4, mode: 'coupled', applyTo: 'kernels' } } },
    evaluate: ['band-pretext/mae', 'band-pretext/sigma'],
  };
}

describe('band-pretext/richness method (tiny end-to-end) @backend', function () {
  this.timeout(120000);
  let dir: string;
  let registry: Registry;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'bp-method-'));
    registry = new Registry();
    registry.loadPlugin(trainingCorePlugin);
    registry.loadPlugin(encodersPlugin);
    registry.loadPlugin(bandPretextPlugin);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const run = (cfg: Record<string, unknown>, out: string, resume = false) => {
    const logger = new MemoryLogger();
    return withTestBackend(() => runExperiment(validateExperiment(cfg, registry), { registry, out: join(dir, out), resume, overwrite: true, logger, progress: new SilentProgress() }))
      .then((r) => ({ ...r, logger }));
  };

  it('pre-trains on bands, writes the occlusion figure, shares the extractor through the cache, and resumes', async () => {
    const cfg = tinyConfig({ pretrain: 'band', occlusion: { use: 'band-pretext/occlusion', patch: 4, stride: 4 }, occlusionImages: 2, pretrainCacheDir: '../cache' });
    const a = await run(cfg, 'ours');
    expect(a.metrics.band_acc).to.be.within(0, 1);
    expect(a.metrics.mae_lambda).to.be.greaterThan(0);
    expect(a.metrics.sigma_lambda).to.be.greaterThan(0);
    expect(a.metrics.n_test).to.equal(6); // round(0.2 * 30) clusters held out
    expect(a.metrics.n_labelled).to.equal(6); // round(0.25 * 24)
    expect(existsSync(join(dir, 'ours', 'plots', 'occlusion.png'))).to.equal(true);
    expect(readdirSync(join(dir, 'cache')).filter((f) => f.startsWith('band-'))).to.have.length(1);
    // another label fraction re-uses the pre-trained extractor (same seed, same catalogue)
    const b = await run(tinyConfig({ pretrain: 'band', labelFraction: 0.5, pretrainCacheDir: '../cache' }), 'ours-50');
    expect(b.logger.lines.some((l) => l.includes('pre-trained band extractor loaded from'))).to.equal(true);
    expect(b.metrics.band_acc).to.equal(a.metrics.band_acc);
    // resuming a finished run restores both phases from their checkpoints: same predictions
    const c = await run(cfg, 'ours', true);
    expect(c.logger.lines.some((l) => l.includes('finetune: resuming'))).to.equal(true);
    expect(c.metrics.mae_lambda).to.be.closeTo(a.metrics.mae_lambda, 1e-4);
  });

  it('trains from scratch (Base) and with the channel-order pretext', async () => {
    const base = await run(tinyConfig({ pretrain: 'none' }), 'base');
    expect(base.metrics.band_acc).to.equal(undefined);
    expect(base.metrics.mae_lambda).to.be.greaterThan(0);
    const order = await run(tinyConfig({ pretrain: 'channel-order', freezeExtractor: true }), 'order');
    expect(order.metrics.order_acc).to.be.within(0, 1);
    expect(order.metrics.mae_lambda).to.be.greaterThan(0);
    // the floor (test clusters predicted by the labelled mean) depends on the data and labels, not on the model
    for (const k of ['mae_lambda_floor', 'sigma_lambda_floor']) {
      expect(base.metrics[k], k).to.be.greaterThan(0);
      expect(order.metrics[k], k).to.equal(base.metrics[k]);
    }
    const more = await run(tinyConfig({ pretrain: 'none', labelFraction: 1 }), 'base-all');
    // (the MAE floor can coincide: with 6 test clusters it is flat between the middle two; the scatter is not)
    expect(more.metrics.sigma_lambda_floor).to.not.equal(base.metrics.sigma_lambda_floor);
  });

  it('rejects a regression target the simulator lacks, naming the option', async () => {
    const err = await run(tinyConfig({ pretrain: 'none', target: 'mass' }), 'bad').then(() => undefined, (e: Error) => e);
    expect(err?.message).to.contain('model.method.target: expected one of lambda, cluster, members, members_in_image, got "mass"');
  });
});
