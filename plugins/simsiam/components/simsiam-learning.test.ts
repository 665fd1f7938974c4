import 'reflect-metadata';
import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testBackendRequest } from '../../../core/testing/test-backend.js';
import { createRegistry, MemoryLogger, runExperiment, SilentProgress, validateExperiment, type Registry } from '../../../core/index.js';
import { ringsPlugin } from './rings.fixture.js';

/**
 * Rings whose brightness and position vary (nuisances), two views per ring that share only its
 * radius (test/ring-pair, the LenSiam idea): pre-training has to learn features that ignore the
 * nuisances and keep the radius, which the frozen-embedding kNN R² of the radius measures.
 */
const config = (pretrain: boolean) => ({
  name: 'simsiam-learns', seed: 5, backend: testBackendRequest(),
  data: { use: 'test/rings', size: 16, jitter: true },
  augment: { use: 'test/ring-pair' },
  model: {
    encoder: { use: 'encoders/small-cnn', width: 8 },
    method: { use: 'simsiam/simsiam', pretrain, projector: { hidden: 64, out: 64, layers: 2 }, predictor: { bottleneck: 16 }, evaluation: { size: 200 }, downstream: false },
  },
  loss: { use: 'simsiam/neg-cosine' },
  train: { epochs: 12, batchSize: 32, trainSize: 256, optimizer: { use: 'core/sgd', lr: 0.1, momentum: 0.9, weightDecay: 1e-4 } },
  evaluate: [{ use: 'simsiam/knn-r2', k: 5, folds: 4, labels: ['radius'] }],
});

describe('simsiam/simsiam learns @backend', function () {
  this.timeout(300000);
  let reg: Registry;
  before(async () => {
    reg = await createRegistry();
    reg.loadPlugin(ringsPlugin);
  });

  it('pre-training lifts the frozen kNN R² of the radius well above the untrained encoder\'s (same initial weights)', async () => {
    const run = async (pretrain: boolean) => (await runExperiment(validateExperiment(config(pretrain), reg), {
      registry: reg, out: join(mkdtempSync(join(tmpdir(), 'lf-ss-learn-')), 'run'), logger: new MemoryLogger(), progress: new SilentProgress(),
    })).metrics;
    const untrained = await run(false);
    const trained = await run(true);
    const msg = `kNN R² of radius: untrained ${untrained.knn_r2_radius}, pre-trained ${trained.knn_r2_radius}; pretrain_loss ${trained.pretrain_loss}; collapse_std ${trained.collapse_std} (healthy ${trained.collapse_std_healthy})`;
    console.log(`      ${msg}`);
    expect(trained.knn_r2_radius, msg).to.be.above(untrained.knn_r2_radius + 0.2);
    expect(trained.knn_r2_radius, msg).to.be.above(0.8);
    // not collapsed: the std of the normalised projections stays near the healthy 1/sqrt(64)
    expect(trained.collapse_std, msg).to.be.above(0.3 * trained.collapse_std_healthy);
  });
});
