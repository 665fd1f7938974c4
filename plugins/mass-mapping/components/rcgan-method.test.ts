import { expect } from 'chai';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ComponentFactory, createRegistry, MemoryLogger, Rng, runExperiment, SilentProgress, validateExperiment, type Registry, type Simulator } from '../../../core/index.js';
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
    train: { epochs: 1, batchSize: 2, trainSize: 4, optimizer: { use: 'core/adam', lr: 0.001 } },
    evaluate: ['mass-mapping/rmse', 'mass-mapping/pearson', 'mass-mapping/psnr', 'mass-mapping/ssim', 'mass-mapping/coverage'],
  };
}

/** `cfg` with `train` fields replaced. */
function withTrain(cfg: Record<string, unknown>, train: Record<string, unknown>): Record<string, unknown> {
  return { ...cfg, train: { ...(cfg.train as Record<string, unknown>), ...train } };
}

const quiet = () => ({ logger: new MemoryLogger(), progress: new SilentProgress() });
const tmp = () => mkdtempSync(join(tmpdir(), 'mm-rcgan-'));
const latestTag = (dir: string): string => (JSON.parse(readFileSync(join(dir, 'checkpoints', 'train', 'latest.json'), 'utf8')) as { tag: string }).tag;

describe('mass-mapping/rcgan method (end to end, tiny) @backend', function () {
  this.timeout(300000);
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

  it('learns: after a few seconds of training the posterior mean beats the zero map and the untrained generator on held-out maps', async () => {
    // low noise (nGal 200 at 1' pixels), so the smoothed-KS channels of the condition carry the map and a short run can use them
    const cfg = tinyConfig();
    const method = (cfg.model as { method: Record<string, unknown> }).method;
    // and a fixed small β_SD (the tuning's large steps at tuneRate 0.5 let the spread grow in so short a run): 32 steps of 4 maps
    Object.assign(method, {
      forward: { use: 'mass-mapping/shear-forward', nGal: 200, pixelArcmin: 1 }, testSize: 8, sweep: [4], panelMaps: 0, wienerMaps: 0,
      regulariser: { use: 'mass-mapping/rcgan-regulariser', samples: 2, tuneSamples: 2, betaSD: 0.1, autoTune: false },
    });
    cfg.data = { use: 'cosmology/convergence-maps', size: 64, count: 64 };
    const learn = withTrain(cfg, { epochs: 2, batchSize: 4, trainSize: 64, optimizer: { use: 'core/adam', lr: 0.01 }, schedule: 'core/constant' });
    const trained = await withTestBackend(() => runExperiment(validateExperiment(learn, registry), { registry, out: tmp(), ...quiet() }));
    const untrained = await withTestBackend(() => runExperiment(validateExperiment(withTrain(learn, { epochs: 0 }), registry), { registry, out: tmp(), ...quiet() }));
    // the zero map κ = 0 (the prior mean) on the same test maps: the RMS of each map, averaged
    const loaded = validateExperiment(learn, registry);
    const data = new ComponentFactory(registry, Rng.fromSeed(loaded.config.seed)).build<Simulator>(loaded.components.data);
    const zero = Array.from({ length: 8 }, (_, i) => Math.sqrt(data.sample(i, 'test').image.reduce((a, v) => a + v * v, 0) / (64 * 64))).reduce((a, b) => a + b, 0) / 8;
    const t = trained.metrics.rmse_gan, u = untrained.metrics.rmse_gan;
    // measured on native: zero map 0.0241, untrained 0.0241, trained 0.0134
    expect(t, `trained ${t} vs zero map ${zero}`).to.be.below(0.8 * zero);
    expect(t, `trained ${t} vs untrained ${u}`).to.be.below(0.8 * u);
  });

  // Interrupted after epoch 1 of 2 (the last checkpoint and the summary lost) and resumed: the
  // same final weights and optimizer state (tensors.bin) and the same metrics as the uninterrupted run.
  for (const [g, d] of [['core/adam', 'core/adam'], ['core/adamw', 'core/rmsprop']] as const) {
    it(`resumes bit for bit with generator ${g} and discriminator ${d}`, async () => {
      const cfg = withTrain(tinyConfig(), {
        epochs: 2, optimizer: undefined,
        optimizers: { generator: { use: g, lr: 0.002 }, discriminator: { use: d, lr: 0.001 } },
        schedules: { discriminator: 'core/constant' },
      });
      const loaded = validateExperiment(cfg, registry);
      const full = tmp();
      const a = await withTestBackend(() => runExperiment(loaded, { registry, out: full, ...quiet() }));
      expect(latestTag(full)).to.equal('epoch-0001');
      const cut = join(tmp(), 'run');
      cpSync(full, cut, { recursive: true });
      rmSync(join(cut, 'checkpoints', 'train', 'epoch-0001'), { recursive: true });
      rmSync(join(cut, 'checkpoints', 'train', 'latest.json'));
      rmSync(join(cut, 'summary.json'));
      const logger = new MemoryLogger();
      const b = await withTestBackend(() => runExperiment(loaded, { registry, out: cut, logger, progress: new SilentProgress(), resume: true }));
      expect(logger.lines).to.include('[mm-tiny] train: resuming at epoch 2/2');
      const bin = (dir: string) => readFileSync(join(dir, 'checkpoints', 'train', 'epoch-0001', 'tensors.bin'));
      expect(bin(cut).equals(bin(full)), 'tensors.bin of epoch 2').to.equal(true);
      const index = (dir: string) => JSON.parse(readFileSync(join(dir, 'checkpoints', 'train', 'epoch-0001', 'tensors.json'), 'utf8')) as { tensors: Array<{ name: string }> };
      const names = index(full).tensors.map((x) => x.name);
      expect(names.some((k) => k.startsWith('opt:generator/')) && names.some((k) => k.startsWith('opt:critic/')), 'both optimizers are checkpointed').to.equal(true);
      expect(JSON.stringify(b.metrics)).to.equal(JSON.stringify(a.metrics));
    });
  }

  it('early stopping on val_rmse ends training and evaluates the best epoch\'s generator', async () => {
    // minDelta 1 (κ units): nothing after the first validation counts as better, so it stops after epoch 2 with epoch 1 the best
    const base = withTrain(tinyConfig(), { schedule: 'core/constant' });
    const cfg = withTrain(base, { epochs: 4, earlyStopping: { metric: 'val_rmse', mode: 'min', patience: 1, minDelta: 1 } });
    const out = tmp();
    const logger = new MemoryLogger();
    const stopped = await withTestBackend(() => runExperiment(validateExperiment(cfg, registry), { registry, out, logger, progress: new SilentProgress() }));
    const epochs = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, number | string>)
      .filter((r) => r.phase === 'train');
    expect(epochs.map((e) => e.epoch)).to.deep.equal([0, 1]);
    for (const e of epochs) for (const k of ['val_rmse', 'val_psnr1', 'val_psnr_mean', 'betaSD', 'betaSDNext']) expect(e[k], k).to.be.a('number');
    const best = (epochs[0].val_rmse as number).toFixed(4);
    expect(logger.lines).to.include(`[mm-tiny] train: early stop after epoch 2: val_rmse did not improve for 1 validation(s); best ${best} at epoch 1 (its weights restored)`);
    // the generator evaluated is epoch 1's: the same test metrics as a run of 1 epoch
    const one = await withTestBackend(() => runExperiment(validateExperiment(withTrain(base, { epochs: 1 }), registry), { registry, out: tmp(), ...quiet() }));
    for (const k of ['rmse_gan', 'pearson_gan', 'coverage1_gan']) expect(stopped.metrics[k], k).to.equal(one.metrics[k]);
  });

  it('refuses an optimizer for a network it does not have, naming its networks', async () => {
    const cfg = withTrain(tinyConfig(), { optimizers: { critic: { use: 'core/adam' } } });
    const err = await withTestBackend(() => runExperiment(validateExperiment(cfg, registry), { registry, out: tmp(), ...quiet() })).then(() => undefined, (e: Error) => e);
    expect(err?.message).to.equal('train.optimizers.critic: mass-mapping/rcgan has no network "critic"; expected one of generator, discriminator');
  });
});

