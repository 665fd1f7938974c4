import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryLogger } from '../di/logger.js';
import { loadExperiment } from '../experiment/load-config.js';
import type { Registry } from '../registry/registry.js';
import { createRegistry } from './build-simulator.js';
import type { DatasetManifest } from './dataset-format.js';
import { DatasetSimulator } from './dataset-simulator.js';
import { simulateDataset } from './simulate.js';

const sha = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');

// 10 lenses x 2 views of 16x16 pixels in 3 shards (4 + 4 + 2), simulated by the built-in lensing plugin
const CONFIG = {
  name: 'verify-tiny', seed: 5,
  data: { use: 'lensing/strong-lens', numPix: 16, deltaPix: 0.32 },
  model: { method: 'simsiam/simsiam' },
  simulate: { count: 10, shardSize: 4, views: 2, plotSamples: 4 },
};
const FILES = ['images-00000.npy', 'images-00001.npy', 'images-00002.npy', 'params-00001.json', 'params-00001.csv', 'params.json', 'params.csv', 'samples.png'];

describe('datasets: verified shards and manifests', function () {
  this.timeout(120000);
  let root: string;
  let registry: Registry;
  let ref: string;
  let n = 0;
  const simulate = async (out: string) => {
    const logger = new MemoryLogger();
    const loaded = await loadExperiment(join(root, 'config.json'), registry);
    const m = await simulateDataset(loaded, { out, registry, logger, workers: 1 });
    return { m, lines: logger.lines };
  };
  /** A fresh copy of the uninterrupted reference dataset. */
  const copy = () => { const d = join(root, `copy-${n++}`); cpSync(ref, d, { recursive: true }); return d; };
  const manifestOf = (d: string) => JSON.parse(readFileSync(join(d, 'manifest.json'), 'utf8')) as DatasetManifest;
  const editManifest = (d: string, edit: (m: Record<string, unknown>) => void) => {
    const m = manifestOf(d) as unknown as Record<string, unknown>;
    edit(m);
    writeFileSync(join(d, 'manifest.json'), JSON.stringify(m, null, 2));
  };
  const expectIdentical = (d: string) => {
    for (const f of FILES) expect(readFileSync(join(d, f)).equals(readFileSync(join(ref, f))), f).to.equal(true);
  };

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'lf-verify-'));
    writeFileSync(join(root, 'config.json'), JSON.stringify(CONFIG));
    registry = await createRegistry();
    ref = join(root, 'ref');
    await simulate(ref);
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('records the size and sha256 of every file in manifest.json (version 2)', () => {
    const m = manifestOf(ref);
    expect(m.version).to.equal(2);
    expect(m.complete).to.equal(true);
    expect(Object.keys(m.shards[1].files).sort()).to.deep.equal(['images-00001.npy', 'params-00001.csv', 'params-00001.json']);
    for (const s of m.shards) for (const [f, d] of Object.entries(s.files)) {
      const buf = readFileSync(join(ref, f));
      expect(d, f).to.deep.equal({ bytes: buf.length, sha256: sha(buf) });
    }
    expect(Object.keys(m.files!).sort()).to.deep.equal(['params.csv', 'params.json', 'samples.png']);
    expect(m.files!['params.json'].sha256).to.equal(sha(readFileSync(join(ref, 'params.json'))));
  });

  it('reading: a flipped byte in a shard is an error naming the file and both digests', () => {
    const d = copy();
    const p = join(d, 'images-00001.npy');
    const buf = readFileSync(p);
    const expected = sha(buf);
    buf[3000] ^= 0x01;
    writeFileSync(p, buf);
    const ds = new DatasetSimulator({ path: d });
    expect(ds.sample(0).labels.theta_E).to.be.a('number');
    expect(() => ds.sample(5)).to.throw(`${p}: sha256 mismatch: expected ${expected}, got ${sha(buf)} (same size, ${buf.length} bytes); the file is damaged`);
  });

  it('reading: <f4 changed to <i4 in a .npy header is an error naming file, field, value and expected', () => {
    const d = copy();
    const p = join(d, 'images-00000.npy');
    const buf = readFileSync(p);
    buf.write("'<i4'", buf.indexOf("'<f4'"), 'latin1');
    writeFileSync(p, buf);
    expect(() => new DatasetSimulator({ path: d }).sample(1)).to.throw(`${p}: npy header descr: expected '<f4' (float32 images, as every lensforge dataset stores), got '<i4'`);
  });

  it('reading: a wrong imageShape in manifest.json is an error naming the shard, its shape and the manifest\'s', () => {
    const d = copy();
    editManifest(d, (m) => { m.imageShape = [32, 16, 1]; });
    expect(() => new DatasetSimulator({ path: d }).sample(0)).to.throw(`${join(d, 'images-00000.npy')}: npy header shape: expected [4, 2, 32, 16] (count 4, views 2, imageShape [32, 16, 1] in manifest.json), got [4, 2, 16, 16]`);
  });

  it('reading: a truncated shard or a short params table is refused with both sizes', () => {
    const d = copy();
    const p = join(d, 'images-00002.npy');
    const full = readFileSync(p);
    truncateSync(p, 5000);
    expect(() => new DatasetSimulator({ path: d }).sample(9)).to.throw(`${p}: size mismatch: expected ${full.length} bytes, got 5000 (sha256 expected ${sha(full)}, got ${sha(readFileSync(p))}); the file is truncated or damaged`);
    const q = join(d, 'params-00001.json');
    const rows = JSON.parse(readFileSync(q, 'utf8')) as unknown[];
    writeFileSync(q, JSON.stringify(rows.slice(0, 2)));
    expect(() => new DatasetSimulator({ path: d }).sample(4)).to.throw(`${q}: size mismatch: expected ${manifestOf(d).shards[1].files['params-00001.json'].bytes} bytes, got`);
  });

  it('manifest.json is schema-validated: field path, value and expectation; version 1 and escaping file names refused', () => {
    const d = copy();
    const mp = join(d, 'manifest.json');
    editManifest(d, (m) => { m.count = 'ten'; });
    expect(() => new DatasetSimulator({ path: d })).to.throw(`${mp}: count: expected a sample count (positive integer), got "ten"`);
    editManifest(d, (m) => { m.count = 10; (m.shards as Array<Record<string, unknown>>)[1].images = '../other/images-00001.npy'; });
    expect(() => new DatasetSimulator({ path: d })).to.throw(`${mp}: shards.1.images: expected a file name inside the dataset folder (letters, digits, _ . -, optionally under fits/; no ".."), got "../other/images-00001.npy"`);
    editManifest(d, (m) => { (m.shards as Array<Record<string, unknown>>)[1].images = 'images-00001.npy'; m.version = 1; });
    expect(() => new DatasetSimulator({ path: d })).to.throw(`${mp}: version: expected 2, got 1; version-1 datasets carry no sizes or checksums and cannot be verified`);
    writeFileSync(mp, '{"format": "lensforge-dataset", ');
    expect(() => new DatasetSimulator({ path: d })).to.throw(`${mp}: not valid JSON: `);
  });

  it('simulate resume regenerates a shard truncated to 5,000 bytes, naming it, and ends byte-identical', async () => {
    const d = copy();
    const p = join(d, 'images-00001.npy');
    const full = readFileSync(p);
    truncateSync(p, 5000);
    const { m, lines } = await simulate(d);
    expect(lines).to.include(`warning: shard 1 (images-00001.npy) fails verification and is regenerated: ${p}: size mismatch: expected ${full.length} bytes, got 5000 (sha256 expected ${sha(full)}, got ${sha(full.subarray(0, 5000))}); the file is truncated or damaged`);
    expect(m.complete).to.equal(true);
    expect(manifestOf(d).complete).to.equal(true);
    expectIdentical(d);
    expect(manifestOf(d).shards).to.deep.equal(manifestOf(ref).shards);
  });

  it('simulate resume regenerates a shard with a flipped byte or an <i4 header, and a damaged params table', async () => {
    const d = copy();
    const a = join(d, 'images-00000.npy');
    const buf = readFileSync(a);
    buf[buf.length - 1] ^= 0x80;
    writeFileSync(a, buf);
    const b = join(d, 'images-00002.npy');
    const hb = readFileSync(b);
    hb.write("'<i4'", hb.indexOf("'<f4'"), 'latin1');
    writeFileSync(b, hb);
    writeFileSync(join(d, 'params-00001.csv'), 'index\n');
    const { m, lines } = await simulate(d);
    expect(lines.filter((l) => l.startsWith('warning: shard'))).to.deep.equal([
      `warning: shard 0 (images-00000.npy) fails verification and is regenerated: ${a}: sha256 mismatch: expected ${sha(readFileSync(join(ref, 'images-00000.npy')))}, got ${sha(buf)} (same size, ${buf.length} bytes); the file is damaged`,
      `warning: shard 1 (images-00001.npy) fails verification and is regenerated: ${join(d, 'params-00001.csv')}: size mismatch: expected ${readFileSync(join(ref, 'params-00001.csv')).length} bytes, got 6 (sha256 expected ${sha(readFileSync(join(ref, 'params-00001.csv')))}, got ${sha('index\n')}); the file is truncated or damaged`,
      `warning: shard 2 (images-00002.npy) fails verification and is regenerated: ${b}: npy header descr: expected '<f4' (float32 images, as every lensforge dataset stores), got '<i4'`,
    ]);
    expect(m.complete).to.equal(true);
    expectIdentical(d);
  });

  it('simulate resume corrects a wrong imageShape in manifest.json and rebuilds a damaged params.json; an intact dataset is left alone', async () => {
    const d = copy();
    editManifest(d, (m) => { m.imageShape = [32, 16, 1]; });
    writeFileSync(join(d, 'params.json'), '[]');
    const { m, lines } = await simulate(d);
    expect(lines).to.include(`warning: ${join(d, 'manifest.json')}: imageShape: expected [16,16,1] (from the configuration and simulator), got [32,16,1]; corrected`);
    expect(lines.some((l) => l.startsWith('warning: shard'))).to.equal(false);
    expect(m.imageShape).to.deep.equal([16, 16, 1]);
    expectIdentical(d);
    const again = await simulate(d);
    expect(again.lines).to.deep.equal([`dataset in ${d} is already complete (10 samples, every shard verified)`]);
    const e = copy();
    writeFileSync(join(e, 'samples.png'), 'x');
    const r = await simulate(e);
    expect(r.lines[0]).to.equal(`warning: ${join(e, 'samples.png')}: size mismatch: expected ${readFileSync(join(ref, 'samples.png')).length} bytes, got 1 (sha256 expected ${sha(readFileSync(join(ref, 'samples.png')))}, got ${sha('x')}); the file is truncated or damaged; the parameter tables and preview are rebuilt from the verified shards`);
    expectIdentical(e);
  });
});
