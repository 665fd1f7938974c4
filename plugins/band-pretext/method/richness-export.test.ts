import 'reflect-metadata';
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSimulator, createRegistry, Rng } from '../../../core/index.js';
import { testBackendRequest } from '../../../core/testing/test-backend.js';
import { partitionByGroup } from '../data/group-split.js';

const BIN = 'dist/core/cli/bin.js';
function ok(args: string[]): string {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' } });
  if (r.status !== 0) throw new Error(`lensforge ${args.join(' ')} exited ${r.status}: ${r.stderr.slice(-2000)}`);
  return r.stdout;
}

const DATA = { use: 'band-pretext/clusters', size: 16, pixelScale: 1.5, count: 1000 };
const POOL = 30;

describe('band-pretext/richness export and predict (tiny trained run, real CLI) @backend', function () {
  this.timeout(240000);
  let work: string;
  let run: string;
  before(() => {
    work = mkdtempSync(join(tmpdir(), 'lf-bp-export-'));
    writeFileSync(join(work, 'bp.json'), JSON.stringify({
      name: 'bp-tiny', seed: 5, backend: testBackendRequest(), data: DATA,
      model: { method: {
        use: 'band-pretext/richness', poolSize: POOL, labelFraction: 0.25, pretrain: 'band',
        extractor: { depth: 18, width: 2, stem: 'stride2', featureDim: 8 }, head: { conv2Filters: 2, conv3Filters: 2, fc: [8] },
        pretext: { epochs: 1, stepsPerEpoch: 2, batchSize: 10, optimizer: { use: 'core/adam', lr: 0.01 }, evalImages: 6 },
      } },
      loss: { use: 'band-pretext/mse-std', alpha: 0.5 },
      train: { epochs: 2, batchSize: 4, trainSize: 8, optimizer: { use: 'core/adam', lr: 0.01 } },
      evaluate: ['band-pretext/mae', 'band-pretext/sigma'],
    }));
    // the run's seed, so the simulator draws the run's own catalogue
    writeFileSync(join(work, 'clusters.json'), JSON.stringify({ seed: 5, data: DATA }));
    run = join(work, 'run');
    ok(['run', join(work, 'bp.json'), '--out', run]);
  });

  it('exports extractor, head and the raw-image richness network (custom layers listed in the model card)', () => {
    const out = ok(['export', run, '--out', join(work, 'export')]);
    expect(out).to.match(/richness \(head\): .*input \[N, 16, 16, 5\]; needs lensforge to load \(custom layers: LensforgeBandSplit, LensforgeBandStack\)/);
    const card = JSON.parse(readFileSync(join(work, 'export', 'lensforge-model.json'), 'utf8')) as { networks: Array<{ name: string; role: string; output: { targets?: string[]; scale?: number[]; offset?: number[]; scatter?: string }; plainTfjs: { loadable: boolean } }> };
    expect(card.networks.map((n) => `${n.name}:${n.role}`)).to.deep.equal(['extractor:band-extractor', 'richnessHead:richness-head', 'bandFeatures:encoder', 'richness:head']);
    expect(card.networks[0].plainTfjs.loadable).to.equal(true); // plain ResNet + dense
    const r = card.networks[3].output;
    expect(r.targets).to.deep.equal(['lambda']);
    expect(r.scatter).to.equal('std-abs-error');
    expect(r.scale![0]).to.be.greaterThan(1); // std of the labelled λ, recorded from the finetune checkpoint
  });

  it("predict on the run's catalogue reproduces the run's held-out MAE and Sigma (std of |λ - λ̂|) and writes the CSV and metrics file", async () => {
    const csv = join(work, 'pred.csv');
    const out = ok(['predict', run, join(work, 'clusters.json'), '--split', 'train', '--limit', String(POOL), '--out', csv]);
    expect(out).to.match(/lambda: R2 -?[\d.e-]+, MAE [\d.e-]+, scatter \(std of \|error\|\) [\d.e-]+, bias -?[\d.e-]+ \(n = 30\)/);
    const lines = readFileSync(csv, 'utf8').trim().split('\n');
    expect(lines[0]).to.equal('row,id,lambda_pred,lambda');
    expect(lines).to.have.length(POOL + 1);
    const rows = lines.slice(1).map((l) => l.split(',').map(Number));
    const m = JSON.parse(readFileSync(join(work, 'pred.metrics.json'), 'utf8')) as { n: number; metrics: { lambda: { mae: number; scatter: number; n: number; scatterDefinition: string } } };
    expect(m.metrics.lambda.n).to.equal(POOL);
    expect(m.metrics.lambda.scatterDefinition).to.equal('std-abs-error');
    // the run held out clusters with its own stream; predictions on those rows must give its metrics
    const sim = await buildSimulator({ spec: DATA, seed: 5, baseDir: work, plugins: [] }, await createRegistry());
    const groups = Array.from({ length: POOL }, (_, i) => sim.sample(i, 'train').group ?? i);
    const test = partitionByGroup(groups, 0.2, Rng.fromSeed(5).derive('method').derive('split')).test;
    const err = test.map((i) => Math.abs(rows[i][2] - rows[i][3]));
    const mae = err.reduce((a, b) => a + b, 0) / err.length;
    const sigma = Math.sqrt(err.reduce((a, b) => a + (b - mae) ** 2, 0) / (err.length - 1));
    const summary = JSON.parse(readFileSync(join(run, 'summary.json'), 'utf8')) as { metrics: Record<string, number> };
    expect(mae).to.be.closeTo(summary.metrics.mae_lambda, 1e-3 * summary.metrics.mae_lambda);
    expect(sigma).to.be.closeTo(summary.metrics.sigma_lambda, 1e-3 * summary.metrics.sigma_lambda);
    // the metrics file's scatter is the same definition over all rows
    const all = rows.map((r) => Math.abs(r[2] - r[3]));
    const am = all.reduce((a, b) => a + b, 0) / all.length;
    expect(m.metrics.lambda.mae).to.be.closeTo(am, 1e-4);
    expect(m.metrics.lambda.scatter).to.be.closeTo(Math.sqrt(all.reduce((a, b) => a + (b - am) ** 2, 0) / (all.length - 1)), 1e-4);
  });
});
