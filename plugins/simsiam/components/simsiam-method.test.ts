import 'reflect-metadata';
import { expect } from 'chai';
import { testBackendRequest } from '../../../core/testing/test-backend.js';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRegistry, MemoryLogger, runExperiment, SilentProgress, validateExperiment, type Registry } from '../../../core/index.js';
import { ringsPlugin } from './rings.fixture.js';

const base = (out: Record<string, unknown> = {}) => ({
  name: 'simsiam-test', seed: 3, backend: testBackendRequest(),
  data: { use: 'test/rings', size: 16 },
  augment: { use: 'simsiam/default', crop: { scale: [0.6, 1] } },
  model: {
    encoder: { use: 'encoders/small-cnn', width: 4 },
    method: { use: 'simsiam/simsiam', projector: { hidden: 32, out: 32 }, predictor: { bottleneck: 8 }, evaluation: { size: 40 }, downstream: { target: 'radius', trainSize: 32, testSize: 32, epochs: 2, batchSize: 16 } },
  },
  loss: { use: 'simsiam/neg-cosine' },
  train: { epochs: 2, batchSize: 16, trainSize: 64, optimizer: { use: 'core/sgd', lr: 0.05, momentum: 0.9, weightDecay: 1e-4 } },
  evaluate: [{ use: 'simsiam/knn-r2', k: 5, folds: 4 }, { use: 'simsiam/linear-probe-r2' }, { use: 'simsiam/r2' }],
  ...out,
});

describe('simsiam/simsiam method @backend', function () {
  this.timeout(120000);
  let reg: Registry;
  before(async () => {
    reg = await createRegistry();
    reg.loadPlugin(ringsPlugin);
  });

  it('pre-trains, embeds, fine-tunes and reports every metric', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'lf-ss-')), 'run');
    const r = await runExperiment(validateExperiment(base(), reg), { registry: reg, out, logger: new MemoryLogger(), progress: new SilentProgress() });
    for (const k of ['pretrain_loss', 'collapse_std', 'knn_r2_radius', 'knn_r2_noise', 'probe_r2_radius', 'downstream_r2_radius', 'r2_radius']) {
      expect(r.metrics[k], k).to.be.a('number').and.satisfy(Number.isFinite);
    }
    expect(r.metrics.collapse_std_healthy).to.be.closeTo(1 / Math.sqrt(32), 1e-12);
    expect(r.metrics.r2_radius).to.equal(r.metrics.downstream_r2_radius);
    // the trivial floor beside it: predicting the training mean scores R² <= 0 on the test set
    expect(r.metrics.downstream_r2_radius_floor).to.be.a('number').and.satisfy((v: number) => v <= 0 && v > -0.5);
    // the whole run's wall time is a timing, only when every phase ran in this process
    expect(r.timings.run_minutes).to.be.greaterThan(0).and.lessThan(2);
    expect(r.metrics).to.not.have.property('run_minutes');
    // the pre-training step time is a timing: in summary.json `timings`, never in `metrics`
    expect(r.metrics).to.not.have.property('pretrain_ms_per_step');
    expect(r.timings.pretrain_ms_per_step).to.be.greaterThan(0);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { metrics: Record<string, number>; timings: Record<string, number> };
    expect(summary.timings).to.deep.equal(r.timings);
    expect(summary.metrics).to.deep.equal(r.metrics);
    const recs = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { phase: string; epoch?: number; loss?: number; collapse_std?: number });
    const pre = recs.filter((x) => x.phase === 'pretrain');
    expect(pre.map((x) => x.epoch)).to.deep.equal([0, 1]);
    // the reported pre-training figures are the last epoch's: its mean step loss and collapse monitor
    expect(r.metrics.pretrain_loss).to.equal(pre[1].loss);
    expect(r.metrics.collapse_std).to.equal(pre[1].collapse_std);
    expect(pre[0].loss).to.not.equal(pre[1].loss);
    expect(recs.filter((x) => x.phase === 'downstream').length).to.equal(2);
    expect(existsSync(join(out, 'plots', 'pretrain-loss-simsiam-test.png'))).to.equal(true);
    expect(existsSync(join(out, 'checkpoints', 'pretrain', 'latest.json'))).to.equal(true);
  });

  it('runs the from-scratch baseline without pre-training', async () => {
    const cfg = base();
    (cfg.model as { method: Record<string, unknown> }).method.pretrain = false;
    const out = join(mkdtempSync(join(tmpdir(), 'lf-ss-')), 'run');
    const r = await runExperiment(validateExperiment(cfg, reg), { registry: reg, out, logger: new MemoryLogger(), progress: new SilentProgress() });
    expect(r.metrics).to.not.have.property('pretrain_loss');
    expect(r.metrics.downstream_r2_radius).to.be.a('number');
    expect(r.metrics.downstream_r2_radius_floor).to.be.at.most(0);
    expect(r.timings.run_minutes).to.be.greaterThan(0);
    expect(existsSync(join(out, 'checkpoints', 'pretrain'))).to.equal(false);
  });

  it('stops with a clear message and keeps the last good checkpoint when the loss becomes NaN', async () => {
    const cfg = base({ train: { epochs: 3, batchSize: 16, trainSize: 32, optimizer: { use: 'core/sgd', lr: 1e30, momentum: 0.9 } } });
    const out = join(mkdtempSync(join(tmpdir(), 'lf-ss-')), 'run');
    await runExperiment(validateExperiment(cfg, reg), { registry: reg, out, logger: new MemoryLogger(), progress: new SilentProgress() })
      .then(() => expect.fail('should diverge'), (e: Error) => {
        expect(e.name).to.equal('DivergenceError');
        expect(e.message).to.match(/^pretrain: loss became NaN at epoch \d, step \d+; /);
        expect(e.message).to.contain('Lower the learning rate');
      });
  });

  it('explains a missing augmenter, encoder or wrong loss', async () => {
    const noAug = base(); delete (noAug as Record<string, unknown>).augment;
    await runExperiment(validateExperiment(noAug, reg), { registry: reg, out: join(mkdtempSync(join(tmpdir(), 'lf-ss-')), 'r'), logger: new MemoryLogger(), progress: new SilentProgress() })
      .then(() => expect.fail('should fail'), (e: Error) => expect(e.message).to.contain('augment: SimSiam pre-training needs an augmenter'));
    const bad = base({ model: { method: { use: 'simsiam/simsiam', downstream: { target: 'radius', trainSize: 1 } } } });
    expect(() => validateExperiment(bad, reg)).to.throw('model.method.downstream.trainSize: Too small: expected number to be >=2, got 1');
  });
});
