import 'reflect-metadata';
import { maxAbsDiff, plainTfjsOutputs } from '../../testing/plain-tfjs.js';
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryLogger } from '../../di/logger.js';
import { SilentProgress } from '../../di/progress.js';
import { createRegistry } from '../../dataset/build-simulator.js';
import { loadExperiment } from '../../experiment/load-config.js';
import { runExperiment } from '../../experiment/runner.js';
import type { Registry } from '../../registry/registry.js';
import { readNpy } from '../../io/npy.js';
import { r2Score } from '../../stats/r2-score.js';
import { fitsFile } from '../../testing/fits-writer.js';
import { exportRun, MODEL_CARD } from '../../export/export-run.js';
import { embedRun } from '../../export/embed-run.js';
import { predictRun } from '../../export/predict-run.js';

const EXAMPLE = 'examples/custom-plugin/experiment.yaml';
const BIN = 'dist/core/cli/bin.js';
const tmp = () => mkdtempSync(join(tmpdir(), 'lf-export-'));

/** A Gaussian blob of `amplitude` (the example plugin's label) on a side x side image, row-major. */
function blob(side: number, amplitude: number, sigma: number): Float32Array {
  const img = new Float32Array(side * side);
  for (let y = 0; y < side; y++) for (let x = 0; x < side; x++) {
    const d2 = (x - (side - 1) / 2) ** 2 + (y - (side - 1) / 2) ** 2;
    img[y * side + x] = amplitude * Math.exp(-d2 / (2 * sigma * sigma));
  }
  return img;
}

/** A folder of FITS cutouts obj0.fits ... and a labels CSV (id, amplitude); returns the pixel values written. */
function writeCutouts(dir: string, n: number, side = 16): { images: Float32Array[]; amplitudes: number[]; csv: string } {
  mkdirSync(dir, { recursive: true });
  const images: Float32Array[] = [], amplitudes: number[] = [];
  const rows = ['id,amplitude'];
  for (let i = 0; i < n; i++) {
    const a = 0.5 + i / n;
    const img = blob(side, a, 1 + (i % 3) * 0.7);
    writeFileSync(join(dir, `obj${i}.fits`), fitsFile([{ bitpix: -32, shape: [side, side], values: img }]));
    images.push(img);
    amplitudes.push(a);
    rows.push(`obj${i},${a}`);
  }
  const csv = join(dir, '..', `${dir.split('/').pop()}-labels.csv`);
  writeFileSync(csv, rows.join('\n') + '\n');
  return { images, amplitudes, csv };
}

describe('export, embed and predict (a tiny trained example/regress run)', function () {
  this.timeout(180000);
  let reg: Registry;
  let run: string;
  let work: string;

  before(async () => {
    reg = await createRegistry();
    work = tmp();
    run = join(work, 'run');
    const loaded = await loadExperiment(EXAMPLE, reg, ['train.epochs=1', 'data.count=64', 'train.trainSize=64', 'model.method.testSize=16']);
    await runExperiment(loaded, { registry: reg, out: run, logger: new MemoryLogger(), progress: new SilentProgress() });
  });

  it('exports every network as a TF.js LayersModel with a model card', async () => {
    const out = join(work, 'export');
    const r = await exportRun(run, out, reg);
    for (const net of ['regressor', 'encoder']) {
      const files = readdirSync(join(out, net)).sort();
      expect(files, net).to.deep.equal(['group1-shard1of1.bin', 'model.json']);
      const mj = JSON.parse(readFileSync(join(out, net, 'model.json'), 'utf8')) as { format: string; modelTopology: unknown; weightsManifest: Array<{ paths: string[]; weights: unknown[] }> };
      expect(mj.format).to.equal('layers-model');
      expect(mj.weightsManifest[0].paths).to.deep.equal(['group1-shard1of1.bin']);
    }
    const card = JSON.parse(readFileSync(join(out, MODEL_CARD), 'utf8')) as Record<string, any>;
    expect(card).to.deep.equal(JSON.parse(JSON.stringify(r.card)));
    expect(card.method).to.equal('example/regress');
    expect(card.configHash).to.equal(JSON.parse(readFileSync(join(run, 'config.resolved.json'), 'utf8')).configHash);
    expect(card.lensforge.version).to.equal(JSON.parse(readFileSync('package.json', 'utf8')).version);
    expect(card.lensforge).to.have.property('gitCommit');
    expect(card.components.encoder).to.deep.equal({ use: 'example/tiny-cnn', width: 8 });
    expect(card.trainingData.use).to.equal('example/blobs');
    expect(card.metrics).to.have.property('mse_amplitude').that.is.a('number');
    const [reg0, enc] = card.networks;
    expect(reg0).to.include({ name: 'regressor', role: 'head' });
    expect(reg0.inputShape).to.deep.equal([null, 16, 16, 1]);
    expect(reg0.output).to.deep.include({ kind: 'prediction', targets: ['amplitude'] });
    expect(reg0.weightsFrom).to.equal('checkpoints/train/epoch-0000');
    expect(reg0.inputNormalisation.description).to.contain('exactly as the simulator example/blobs produces them');
    expect(enc).to.include({ name: 'encoder', role: 'encoder' });
    expect(enc.output.shape).to.deep.equal([null, 16]);
    for (const n of card.networks) expect(n.plainTfjs, n.name).to.deep.equal({ loadable: true });
  });

  it('embeds a folder of FITS cutouts: [N, D] .npy, a CSV of ids and labels, a UMAP PNG; plain tfjs on the export gives the same numbers', async () => {
    const d = join(work, 'cutouts');
    const { images, amplitudes, csv } = writeCutouts(d, 8);
    const out = join(work, 'emb.npy');
    const r = await embedRun(run, d, out, reg, { labels: csv });
    const npy = readNpy(out);
    expect(npy.shape).to.deep.equal([8, 16]);
    expect(r.png && existsSync(r.png)).to.equal(true);
    const lines = readFileSync(join(work, 'emb.csv'), 'utf8').trim().split('\n');
    expect(lines[0]).to.equal('row,id,amplitude');
    expect(lines[3]).to.equal(`2,obj2,${amplitudes[2]}`);
    // the exported encoder, loaded by a script that knows nothing of lensforge, on the same pixels
    const exp = join(work, 'export-embed');
    await exportRun(run, exp, reg);
    const plain = plainTfjsOutputs(join(exp, 'encoder'), images, [16, 16, 1]);
    expect(maxAbsDiff(plain.flat(), npy.data)).to.be.at.most(1e-5);
    // and the embeddings are not all alike (a broken load would give the untrained or zero net's)
    expect(maxAbsDiff(Array.from(npy.data.subarray(0, 16)), Array.from(npy.data.subarray(16 * 7, 16 * 8)))).to.be.greaterThan(0);
  });

  it('predicts the target with the labels beside it, and R², MAE, scatter from a dataset config', async () => {
    const d = join(work, 'pred-cutouts');
    const { csv, images } = writeCutouts(d, 10);
    const cfg = join(work, 'pred-data.yaml');
    writeFileSync(cfg, `data:\n  use: io/images\n  path: pred-cutouts\n  split: { by: none }\n  labels: { file: ${csv.split('/').pop()}, by: id }\n`);
    const out = join(work, 'pred.csv');
    const r = await predictRun(run, cfg, out, reg);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0]).to.equal('row,id,amplitude_pred,amplitude');
    expect(lines).to.have.length(11);
    const rows = lines.slice(1).map((l) => l.split(','));
    const yPred = rows.map((c) => Number(c[2])), yTrue = rows.map((c) => Number(c[3]));
    const m = JSON.parse(readFileSync(join(work, 'pred.metrics.json'), 'utf8')) as { metrics: Record<string, { r2: number; mae: number; scatter: number; n: number }> };
    expect(m.metrics.amplitude.n).to.equal(10);
    expect(m.metrics.amplitude.r2).to.be.closeTo(r2Score(yTrue, yPred), 1e-6);
    expect(m.metrics.amplitude.mae).to.be.closeTo(yPred.reduce((a, p, i) => a + Math.abs(p - yTrue[i]), 0) / 10, 1e-6);
    expect(r.metrics.amplitude.scatter).to.be.greaterThan(0);
    // the predictions are the exported regressor's outputs
    const exp = join(work, 'export-pred');
    await exportRun(run, exp, reg);
    const plain = plainTfjsOutputs(join(exp, 'regressor'), images, [16, 16, 1]);
    expect(maxAbsDiff(plain.flat(), r.predictions.amplitude)).to.be.at.most(1e-5);
  });

  it('predicts on the experiment config itself and reproduces the run\'s test MSE', async () => {
    const r = await predictRun(run, EXAMPLE, join(work, 'self.csv'), reg, { split: 'test', limit: 16 });
    const summary = JSON.parse(readFileSync(join(run, 'summary.json'), 'utf8')) as { metrics: Record<string, number> };
    expect(r.n).to.equal(16);
    expect(r.metrics.amplitude.scatter ** 2).to.be.closeTo(summary.metrics.mse_amplitude, 1e-6);
  });

  it('refuses a directory that is not a run, a run without checkpoints and images of the wrong size, by message', async () => {
    const notRun = join(work, 'not-a-run');
    mkdirSync(notRun);
    let err = await exportRun(notRun, join(work, 'x'), reg).then(() => undefined, (e: Error) => e);
    expect(err?.message).to.equal(`${notRun}: not a run directory (no config.resolved.json); expected a directory written by \`lensforge run\``);
    const noCkpt = join(work, 'no-checkpoints');
    mkdirSync(noCkpt);
    copyFileSync(join(run, 'config.resolved.json'), join(noCkpt, 'config.resolved.json'));
    err = await exportRun(noCkpt, join(work, 'y'), reg).then(() => undefined, (e: Error) => e);
    expect(err?.message).to.equal(`${noCkpt}: no checkpoint of phase train in ${join(noCkpt, 'checkpoints', 'train')}; the run did not finish an epoch of training`);
    const small = join(work, 'small');
    writeCutouts(small, 3, 12);
    err = await embedRun(run, small, join(work, 'small.npy'), reg).then(() => undefined, (e: Error) => e);
    expect(err?.message).to.equal(`DATA ${small}: images of 12x12x1 (first image: ${join(small, 'obj0.fits')}), but the run ${run} was trained on 16x16x1 (height x width x channels); ` +
      'pass --crop to centre-crop / zero-pad them to 16x16, or give images of that size');
    const ok = await embedRun(run, small, join(work, 'small.npy'), reg, { crop: true });
    expect([ok.n, ok.dim]).to.deep.equal([3, 16]);
    expect(existsSync(join(work, 'x'))).to.equal(false);
  });

  it('runs export, embed and predict from the command line', () => {
    const d = join(work, 'cli-cutouts');
    const { csv } = writeCutouts(d, 6);
    const cli = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, LENSFORGE_DEBUG: '' } });
    const e = cli(['export', run, '--out', join(work, 'cli-export')]);
    expect(e.status, e.stderr).to.equal(0);
    expect(e.stdout).to.contain(`regressor (head): ${join(work, 'cli-export')}/regressor/model.json + 1 weight shard(s), input [N, 16, 16, 1]; loads with plain @tensorflow/tfjs`);
    const p = cli(['predict', run, d, '--labels', csv, '--out', join(work, 'cli-pred.csv')]);
    expect(p.status, p.stderr).to.equal(0);
    expect(p.stdout).to.match(/amplitude: R2 -?[\d.e-]+, MAE [\d.e-]+, scatter [\d.e-]+, bias -?[\d.e-]+ \(n = 6\)/);
    const bad = cli(['embed', join(work, 'nope'), d, '--out', join(work, 'z.npy')]);
    expect(bad.status).to.equal(1);
    expect(bad.stderr).to.contain(`${join(work, 'nope')}: no such directory; expected a run directory written by \`lensforge run\``);
  });
});
