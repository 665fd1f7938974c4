import 'reflect-metadata';
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { encodeNpy, readFits, readNpy, readNpyHeader, Rng } from '../../../core/index.js';
import { testBackendRequest } from '../../../core/testing/test-backend.js';
import { buildPixelTransform, type PixelTransformOptions } from '../method/pixel-transform.js';
import '../nets/index.js'; // registers the custom layers (VBN, minibatch discrimination) with tfjs
import { SAMPLE_STREAM } from './sample-run.js';

const BIN = 'dist/core/cli/bin.js';

function cli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
function ok(args: string[]): string {
  const r = cli(args);
  if (r.status !== 0) throw new Error(`lensforge ${args.join(' ')} exited ${r.status}: ${r.stderr.slice(-2000)}`);
  return r.stdout;
}

/** 64 smooth positive 16x16 maps as a .npy stack (a tiny stand-in for convergence maps). */
function writeMaps(path: string): void {
  const r = Rng.fromSeed(11);
  const n = 64, s = 16;
  const out = new Float32Array(n * s * s);
  for (let i = 0; i < n; i++) {
    const [a, b, p] = [r.uniform(0.2, 1), r.uniform(0.2, 1), r.uniform(0, 6.28)];
    for (let k = 0; k < s * s; k++) out[i * s * s + k] = 0.05 + 0.02 * (a * Math.cos((k % s) / 2 + p) + b * Math.sin(Math.floor(k / s) / 3));
  }
  writeFileSync(path, encodeNpy(out, [n, s, s]));
}

describe('lensforge sample and the gan/dcgan export (tiny trained run, real CLI) @backend', function () {
  this.timeout(240000);
  let work: string;
  let run: string;

  before(() => {
    work = mkdtempSync(join(tmpdir(), 'lf-sample-'));
    writeMaps(join(work, 'maps.npy'));
    writeFileSync(join(work, 'gan.json'), JSON.stringify({
      name: 'tiny-gan', seed: 3, backend: testBackendRequest(),
      data: { use: 'io/images', path: 'maps.npy', normalize: 'none' },
      model: { method: {
        use: 'gan/dcgan', preset: 'quick', generator: { channels: [8, 4], referenceSize: 2 },
        discriminator: { channels: [4, 8], minibatch: { kernels: 2, kernelDim: 3 } },
        evalMaps: 4, evalBatch: 4, sampleGrid: 2, stabilityEpochs: 1, ema: { decay: 0.9 }, pixelTransform: { kind: 'cosmogan' },
      } },
      loss: 'gan/hinge', train: { epochs: 1, batchSize: 4, trainSize: 8 }, evaluate: [],
    }));
    run = join(work, 'run');
    ok(['run', join(work, 'gan.json'), '--out', run]);
  });

  it('writes float32 [N, H, W] .npy maps, byte-identical for a seed, different across seeds, and says which generator it used', () => {
    const a = join(work, 'a.npy'), b = join(work, 'b.npy'), c = join(work, 'c.npy');
    const out = ok(['sample', run, '--count', '10', '--out', a, '--seed', '7', '--batch', '3']);
    expect(out).to.contain('from generatorEma');
    expect(out).to.match(/pixel transform inverted: cosmogan: s = 2y\/\(y \+ [\d.]+\) - 1/);
    ok(['sample', run, '--count', '10', '--out', b, '--seed', '7', '--batch', '3']);
    ok(['sample', run, '--count', '10', '--out', c, '--seed', '8', '--batch', '3']);
    const h = readNpyHeader(readFileSync(a));
    expect(h.descr).to.equal('<f4');
    expect(h.shape).to.deep.equal([10, 16, 16]);
    expect(readFileSync(a).equals(readFileSync(b))).to.equal(true);
    const ma = readNpy(a).data, mc = readNpy(c).data;
    let diff = 0;
    for (let i = 0; i < ma.length; i++) diff = Math.max(diff, Math.abs(ma[i] - mc[i]));
    expect(diff).to.be.greaterThan(1e-4);
    // per-example VBN: a map does not depend on the other maps of its batch
    const d = join(work, 'd.npy');
    ok(['sample', run, '--count', '10', '--out', d, '--seed', '7', '--batch', '64']);
    const md = readNpy(d).data;
    for (let i = 0; i < ma.length; i++) expect(md[i]).to.be.closeTo(ma[i], 1e-5);
  });

  it('equals the exported generatorEma run directly on the same latents, inverse pixel transform applied (1e-5)', async () => {
    const maps = join(work, 'e.npy'), exp = join(work, 'export');
    ok(['sample', run, '--count', '5', '--out', maps, '--seed', '2']);
    const out = ok(['export', run, '--out', exp]);
    expect(out).to.contain('generatorEma (generator)');
    expect(out).to.match(/generatorEma \(generator\): .*needs lensforge to load \(custom layers: LensforgeVirtualBatchNorm\)/);
    expect(out).to.match(/discriminator \(discriminator\): .*custom layers: LensforgeMinibatchDiscrimination/);
    const card = JSON.parse(readFileSync(join(exp, 'lensforge-model.json'), 'utf8')) as {
      networks: Array<{ name: string; role: string; inputShape: unknown[]; output: { kind: string; pixelTransform: PixelTransformOptions & { description: string }; latent: { dim: number; referenceRows: number; referenceLatents: number[] } }; plainTfjs: { loadable: boolean; needsLensforge?: string[] } }>;
    };
    expect(card.networks.map((n) => `${n.name}:${n.role}`)).to.deep.equal(['generatorEma:generator', 'generator:generator', 'discriminator:discriminator']);
    const g = card.networks[0];
    expect(g.inputShape).to.deep.equal([null, 64]);
    expect(g.plainTfjs.needsLensforge).to.deep.equal(['LensforgeVirtualBatchNorm']);
    expect(card.networks[2].plainTfjs.needsLensforge).to.deep.equal(['LensforgeMinibatchDiscrimination']);
    expect(g.output.kind).to.equal('image');
    expect(g.output.pixelTransform.kind).to.equal('cosmogan');
    const pt = g.output.pixelTransform as { shift: number; a: number };
    // 'auto' constants resolved from the training maps: shift = -min, a = median of the shifted pixels (> 0)
    expect(pt.a).to.be.greaterThan(0);
    expect(pt.shift).to.be.lessThan(0);
    const { dim, referenceRows: m, referenceLatents } = g.output.latent;
    expect([dim, m, referenceLatents.length]).to.deep.equal([64, 2, 128]);
    // load model.json + shards (tfjs with lensforge's custom layers registered) and run it on the latents sample drew
    const mj = JSON.parse(readFileSync(join(exp, 'generatorEma', 'model.json'), 'utf8'));
    const w = Buffer.concat(mj.weightsManifest[0].paths.map((p: string) => readFileSync(join(exp, 'generatorEma', p))));
    const model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: mj.modelTopology, weightSpecs: mj.weightsManifest[0].weights, weightData: w.buffer.slice(w.byteOffset, w.byteOffset + w.byteLength) }));
    const z = Rng.fromSeed(2).derive(SAMPLE_STREAM).normalArray(5 * dim);
    const y = tf.tidy(() => tf.slice(model.predict(tf.concat([tf.tensor2d(referenceLatents, [m, dim]), tf.tensor2d(z, [5, dim])], 0)) as tf.Tensor, m, 5).dataSync() as Float32Array);
    const expected = buildPixelTransform(g.output.pixelTransform, () => new Float32Array(0)).inverse(y);
    const got = readNpy(maps).data;
    expect(got.length).to.equal(5 * 256);
    let maxDiff = 0;
    for (let i = 0; i < got.length; i++) maxDiff = Math.max(maxDiff, Math.abs(got[i] - expected[i]));
    expect(maxDiff).to.be.lessThan(1e-5);
    // maps in data units: around the training maps' level (0.05 ± 0.04), not the tanh range
    let mean = 0;
    for (let i = 0; i < got.length; i++) mean += got[i] / got.length;
    expect(mean).to.be.within(-0.5, 0.5);
    model.dispose();
  });

  it('writes a FITS cube with run, seed and count in its header', () => {
    const f = join(work, 'maps.fits');
    ok(['sample', run, '--count', '4', '--out', f, '--seed', '5']);
    const r = readFits(f);
    expect(r.shape).to.deep.equal([4, 16, 16]);
    expect([r.header.RUN, r.header.SEED, r.header.COUNT, r.header.NETWORK, r.header.TRANSF]).to.deep.equal(['tiny-gan', 5, 4, 'generatorEma', 'cosmogan']);
    const n = join(work, 'same.npy');
    ok(['sample', run, '--count', '4', '--out', n, '--seed', '5']);
    const a = readNpy(n).data;
    for (let i = 0; i < a.length; i++) expect(r.data[i]).to.be.closeTo(a[i], 1e-7);
  });

  it('refuses a bad --count, an unknown extension and a run without a generator, saying why', () => {
    let r = cli(['sample', run, '--count', '0', '--out', join(work, 'x.npy')]);
    expect(r.status).to.not.equal(0);
    expect(r.stderr).to.contain('--count: expected an integer >= 1, got "0"');
    r = cli(['sample', run, '--count', 'ten', '--out', join(work, 'x.npy')]);
    expect(r.stderr).to.contain('--count: expected an integer >= 1, got "ten"');
    r = cli(['sample', run, '--count', '3', '--out', join(work, 'x.png')]);
    expect(r.stderr).to.contain('x.png: unknown extension ".png"; expected .npy (float32 [N, H, W(, C)]) or .fits (a float32 cube)');
    // a trained run of a method that has no generator: a tiny band-pretext richness run
    writeFileSync(join(work, 'bp.json'), JSON.stringify({
      name: 'bp-tiny', seed: 5, backend: testBackendRequest(),
      data: { use: 'band-pretext/clusters', size: 16, pixelScale: 1.5, count: 100 },
      model: { method: { use: 'band-pretext/richness', poolSize: 20, labelFraction: 0.25, pretrain: 'none',
        extractor: { depth: 18, width: 2, stem: 'stride2', featureDim: 8 }, head: { conv2Filters: 2, conv3Filters: 2, fc: [8] } } },
      loss: { use: 'band-pretext/mse-std', alpha: 0.5 },
      train: { epochs: 1, batchSize: 4, trainSize: 4, optimizer: { name: 'adam', lr: 0.001 } }, evaluate: ['band-pretext/mae'],
    }));
    ok(['run', join(work, 'bp.json'), '--out', join(work, 'bp-run')]);
    r = cli(['sample', join(work, 'bp-run'), '--count', '3', '--out', join(work, 'x.npy')]);
    expect(r.status).to.not.equal(0);
    expect(r.stderr).to.contain('method band-pretext/richness has no generator to sample from (it exports extractor (band-extractor), richnessHead (richness-head), bandFeatures (encoder), richness (head)); sample needs a GAN run (e.g. gan/dcgan)');
  });
});
