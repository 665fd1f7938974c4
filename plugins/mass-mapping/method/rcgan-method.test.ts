import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRegistry, MemoryLogger, runExperiment, SilentProgress, validateExperiment, type Registry } from '../../../core/index.js';
import { testBackendRequest, withTestBackend } from '../../../core/testing/test-backend.js';

/** A tiny but complete experiment: 64x64 maps, 2-filter nets, 1 epoch of 2 steps. */
function tinyConfig(): Record<string, unknown> {
  return {
    name: 'mm-tiny', seed: 3, backend: testBackendRequest(),
    data: { use: 'cosmology/convergence-maps', size: 64, count: 16 },
    model: {
      method: {
        use: 'mass-mapping/rcgan',
        forward: { use: 'mass-mapping/shear-forward', nGal: 30, pixelArcmin: 0.7 },
        regulariser: { use: 'mass-mapping/rcgan-regulariser', samples: 2, tuneSamples: 2, tuneRate: 0.5 },
        generator: { baseFilters: 2, residualBlocks: 1, batchNorm: false },
        critic: { baseFilters: 2 },
        valSize: 2, testSize: 2, posteriorSamples: 4, sweep: [1, 2, 4], sampleBatch: 8, panelMaps: 2,
      },
    },
    loss: { use: 'gan/wgan-gp' },
    train: { epochs: 1, batchSize: 2, trainSize: 4, optimizer: { name: 'adam', lr: 0.001 } },
    evaluate: ['mass-mapping/rmse', 'mass-mapping/pearson', 'mass-mapping/psnr', 'mass-mapping/ssim', 'mass-mapping/coverage'],
  };
}

describe('mass-mapping/rcgan method (end to end, tiny) @backend', function () {
  this.timeout(120000);
  let registry: Registry;
  before(async () => { registry = await createRegistry(); });

  it('trains, samples the posterior, scores GAN and KS, writes figures; β_SD survives a checkpoint round trip', async () => {
    const out = mkdtempSync(join(tmpdir(), 'mm-rcgan-'));
    const loaded = validateExperiment(tinyConfig(), registry);
    const opts = { registry, out, logger: new MemoryLogger(), progress: new SilentProgress() };
    const first = await withTestBackend(() => runExperiment(loaded, opts));
    const m = first.metrics;
    for (const k of ['rmse_gan', 'rmse_ks', 'rmse_wf', 'pearson_gan', 'pearson_ks', 'pearson_wf', 'psnr_gan', 'psnr_ks', 'ssim_gan', 'ssim_ks',
      'coverage1_gan', 'coverage2_gan', 'ksSmoothing', 'rmse_gan_n1', 'rmse_gan_n2', 'rmse_gan_n4', 'pearson_gan_n4', 'betaSD']) {
      expect(m[k], k).to.be.a('number');
      expect(Number.isFinite(m[k]), k).to.equal(true);
    }
    expect(m.coverage1_gan).to.be.within(0, 1);
    expect(m.coverage1_wf, 'the Wiener filter has no posterior std').to.equal(undefined);
    expect(m.rmse_wf).to.not.equal(m.rmse_ks);
    expect(m.coverage2_gan).to.be.at.least(m.coverage1_gan);
    expect(m.secondsPerSample, 'a timing, not a metric').to.equal(undefined);
    expect(first.timings.secondsPerSample).to.be.greaterThan(0);
    expect(m.rmse_gan_n4).to.equal(m.rmse_gan);     // posteriorSamples = 4 = last sweep point
    for (const f of ['posterior-panel.png', 'posterior-sweep.png']) expect(existsSync(join(out, 'plots', f)), f).to.equal(true);
    const records = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records.filter((r) => r.phase === 'posterior-sweep').map((r) => r.samples)).to.deep.equal([1, 2, 4]);
    expect(records.filter((r) => r.phase === 'posterior-sweep').map((r) => r.rmse_wf)).to.deep.equal([m.rmse_wf, m.rmse_wf, m.rmse_wf]);

    // β_SD was tuned after the epoch and saved in the checkpoint ...
    expect(m.betaSD).to.not.equal(1);
    const tag = (JSON.parse(readFileSync(join(out, 'checkpoints', 'train', 'latest.json'), 'utf8')) as { tag: string }).tag;
    const state = JSON.parse(readFileSync(join(out, 'checkpoints', 'train', tag, 'state.json'), 'utf8')) as { extra: { betaSD: number; kappaScale: number } };
    expect(state.extra.betaSD).to.equal(m.betaSD);
    expect(state.extra.kappaScale).to.equal(m.kappaScale);
    // ... and a resumed (already finished) run restores it instead of starting again from β_SD = 1.
    const again = await withTestBackend(() => runExperiment(loaded, { ...opts, resume: true }));
    expect(again.metrics.betaSD).to.equal(m.betaSD);
    expect(again.metrics.kappaScale).to.equal(m.kappaScale);
    expect(again.metrics.rmse_ks).to.equal(m.rmse_ks);
  });

  it('rejects a regulariser that is not the rcGAN one, naming the option', async () => {
    const cfg = tinyConfig();
    (cfg.model as { method: Record<string, unknown> }).method.regulariser = 'gan/hinge';
    const loaded = validateExperiment(cfg, registry);
    let msg = '';
    try {
      await withTestBackend(() => runExperiment(loaded, { registry, out: mkdtempSync(join(tmpdir(), 'mm-rcgan-')), logger: new MemoryLogger(), progress: new SilentProgress() }));
    } catch (e) { msg = (e as Error).message; }
    expect(msg).to.equal('model.method.regulariser: expected mass-mapping/rcgan-regulariser, got "gan/hinge"');
  });
});
