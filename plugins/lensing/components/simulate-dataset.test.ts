import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createRegistry, DatasetSimulator, loadExperiment, MemoryLogger, readNpy, simulateDataset, stackSamples, Rng,
  type DatasetManifest, type Registry,
} from '../../../core/index.js';
import { withBackend } from '../../../core/index.js';
import { LensPairAugmenter } from './lens-pair-augmenter.js';

// a small LenSiam dataset: 10 lenses x 2 views of 16x16 pixels in 3 shards (4 + 4 + 2)
const CONFIG = {
  name: 'lensiam-tiny', seed: 5,
  data: { use: 'lensing/strong-lens', numPix: 16, deltaPix: 0.32 },
  augment: 'lensing/lens-pair',
  model: { method: 'simsiam/simsiam' },
  simulate: { count: 10, shardSize: 4, views: 2, plotSamples: 4 },
};

describe('lensing: lensforge simulate with lensing/strong-lens', function () {
  this.timeout(60000);
  let dir: string;
  let registry: Registry;
  const files = (d: string) => ['images-00000.npy', 'images-00001.npy', 'images-00002.npy', 'params.json', 'params.csv'].map((f) => readFileSync(join(d, f)));
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lensforge-sim-'));
    writeFileSync(join(dir, 'config.json'), JSON.stringify(CONFIG));
    registry = await createRegistry();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const run = async (out: string, workers: number, maxShards?: number) => {
    const loaded = await loadExperiment(join(dir, 'config.json'), registry);
    return simulateDataset(loaded, { out: join(dir, out), registry, logger: new MemoryLogger(), workers, maxShards });
  };

  it('writes the same dataset with 1 and 2 workers, pairs of one lens in [n, 2, H, W] shards, and the preview', async () => {
    const [m1, m2] = [await run('w1', 1), await run('w2', 2)];
    for (const m of [m1, m2]) {
      expect(m.complete).to.equal(true);
      expect(m.shards.map((s) => s.count)).to.deep.equal([4, 4, 2]);
      expect(m.labelNames).to.deep.equal(['theta_E', 'gamma', 'e1', 'e2', 'center_x', 'center_y', 'gamma1', 'gamma2']);
    }
    const [a, b] = [files(join(dir, 'w1')), files(join(dir, 'w2'))];
    a.forEach((buf, k) => expect(buf.equals(b[k]), `file ${k}`).to.equal(true));
    const shard = readNpy(join(dir, 'w1', 'images-00000.npy'));
    expect(shard.shape).to.deep.equal([4, 2, 16, 16]);
    const d = shard.data as Float32Array, per = 256;
    for (let i = 0; i < 4; i++) {
      const v0 = d.subarray((2 * i) * per, (2 * i + 1) * per), v1 = d.subarray((2 * i + 1) * per, (2 * i + 2) * per);
      expect(Math.max(...v0)).to.equal(1);
      expect(Math.max(...v1)).to.equal(1);
      expect(Array.from(v0)).to.not.deep.equal(Array.from(v1));
    }
    expect(existsSync(join(dir, 'w1', 'samples.png'))).to.equal(true);
    const params = JSON.parse(readFileSync(join(dir, 'w1', 'params.json'), 'utf8')) as Array<{ index: number; labels: Record<string, number> }>;
    expect(params.map((p) => p.index)).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(params[3].labels.theta_E).to.be.within(0.8, 1.5);
  });

  it('resumes an interrupted generation and ends identical', async () => {
    const part = await run('resume', 1, 1);
    expect(part.complete).to.equal(false);
    expect(part.shards.map((s) => s.index)).to.deep.equal([0]);
    const manifest = JSON.parse(readFileSync(join(dir, 'resume', 'manifest.json'), 'utf8')) as DatasetManifest;
    expect(manifest.complete).to.equal(false);
    expect(existsSync(join(dir, 'resume', 'params.json'))).to.equal(false);
    const done = await run('resume', 1);
    expect(done.complete).to.equal(true);
    const [a, b] = [files(join(dir, 'w1')), files(join(dir, 'resume'))];
    a.forEach((buf, k) => expect(buf.equals(b[k]), `file ${k}`).to.equal(true));
  });

  it('the stored pairs feed lensing/lens-pair through io/dataset, labels alongside', () => withBackend('cpu', () => {
    const ds = new DatasetSimulator({ path: join(dir, 'w1') });
    const samples = [0, 5].map((i) => ds.sample(i));
    const images = stackSamples(samples, ds.imageShape);
    const [x1, x2] = new LensPairAugmenter({ useStoredViews: true }).pair({ images, samples, simulator: ds }, Rng.fromSeed(1));
    const shard1 = readNpy(join(dir, 'w1', 'images-00001.npy')).data as Float32Array; // sample 5 = shard 1, row 1
    expect(Array.from(x1.dataSync().slice(256, 512))).to.deep.equal(Array.from(shard1.subarray(2 * 256, 3 * 256)));
    expect(Array.from(x2.dataSync().slice(256, 512))).to.deep.equal(Array.from(shard1.subarray(3 * 256, 4 * 256)));
    expect(samples[1].labels.theta_E).to.be.a('number');
    tf.dispose([images, x1, x2]);
  }));
});
