import { expect } from 'chai';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng, type EvalContext } from '../../../core/index.js';
import { ksTwoSample } from '../../../core/index.js';
import { PcaMetric } from '../components/pca-metric.js';
import { PixelKsMetric, PixelKsOptions, pooledPixels } from '../components/pixel-ks-metric.js';
import { PowerSpectrumMetric, PowerSpectrumOptions } from '../components/power-spectrum-metric.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'lf-cosmo-'));
const sinMaps = (k: number, n: number, f: (i: number, m: number) => number) =>
  Array.from({ length: k }, (_, m) => Float32Array.from({ length: n * n }, (_, i) => f(i, m)));
const ctx = (generatedMaps: Float32Array[], validationMaps: Float32Array[], mapSize: number, plotDir?: string, epoch?: number): EvalContext =>
  ({ extra: { generatedMaps, validationMaps, mapSize, ...(epoch === undefined ? {} : { epoch }) }, rng: Rng.fromSeed(1), plotDir, tag: 'test' });

describe('cosmology/pixel-ks metric', () => {
  it('pools all pixels and matches scipy.stats.ks_2samp (exact p-value)', async () => {
    // scipy 1.10.1: i = arange(16); gen = [sin(1.3 i + 0.7 m) for m in 0..1] (float32),
    // val = [0.9 sin(1.1 i + 0.5 m) + 0.05 for m in 0..2] (float32); ks_2samp(gen, val) →
    // statistic 0.15625, pvalue 0.6989863931049001 (exact); method='asymp' → 0.6857969883185902.
    const gen = sinMaps(2, 4, (i, m) => Math.sin(1.3 * i + 0.7 * m));
    const val = sinMaps(3, 4, (i, m) => 0.9 * Math.sin(1.1 * i + 0.5 * m) + 0.05);
    const dir = tmp();
    const r = await new PixelKsMetric(PixelKsOptions.parse({})).evaluate(ctx(gen, val, 4, dir));
    expect(r.ks_D).to.be.closeTo(0.15625, 1e-12);
    expect(r.ks_pValue).to.be.closeTo(0.6989863931049001, 1e-9);
    expect([r.ks_exact, r.ks_nGenerated, r.ks_nValidation, r.ks_maps]).to.deep.equal([1, 32, 48, 2]);
    expect(existsSync(join(dir, 'ks-pixel-histogram.png'))).to.equal(true);
    const a = await new PixelKsMetric(PixelKsOptions.parse({ prefix: 'ksa', method: 'asymptotic', histogram: false })).evaluate(ctx(gen, val, 4));
    expect(a.ksa_pValue).to.be.closeTo(0.6857969883185902, 1e-9);
    expect(a.ksa_exact).to.equal(0);
  });

  it('with pixelsPerMap = k draws k distinct pixels per map', async () => {
    const maps = sinMaps(3, 4, (i, m) => 100 * m + i);
    const all = pooledPixels(maps, 16, Rng.fromSeed(3));
    for (let m = 0; m < 3; m++) expect(Array.from(all.slice(16 * m, 16 * m + 16)).sort((x, y) => x - y)).to.deep.equal(Array.from(maps[m]));
    const one = pooledPixels(maps, 1, Rng.fromSeed(3));
    expect(Array.from(one).map((v) => Math.floor(v / 100))).to.deep.equal([0, 1, 2]);
    const val = sinMaps(3, 4, (i, m) => 100 * m + 2 * i);
    const r = await new PixelKsMetric(PixelKsOptions.parse({ pixelsPerMap: 1, histogram: false })).evaluate(ctx(maps, val, 4));
    const want = ksTwoSample(pooledPixels(maps, 1, Rng.fromSeed(1).derive('generated')), pooledPixels(val, 1, Rng.fromSeed(1).derive('validation')));
    expect(r.ks_D).to.equal(want.statistic);
    expect(r.ks_nGenerated).to.equal(3);
    expect(() => pooledPixels(maps, 17, Rng.fromSeed(1))).to.throw('pixelsPerMap: expected at most 16 (pixels per map), got 17');
  });

  it('names the missing or malformed EvalContext.extra key', async () => {
    const m = new PixelKsMetric(PixelKsOptions.parse({}));
    let err = '';
    try { await m.evaluate({ rng: Rng.fromSeed(1) }); } catch (e) { err = (e as Error).message; }
    expect(err).to.contain('cosmology/pixel-ks: needs EvalContext.extra with generatedMaps, validationMaps and mapSize');
    try { await m.evaluate(ctx([new Float32Array(15)], [new Float32Array(16)], 4)); } catch (e) { err = (e as Error).message; }
    expect(err).to.equal('cosmology/pixel-ks: extra.generatedMaps[0]: expected 16 values (4x4), got 15');
  });
});

describe('cosmology/power-spectrum metric', () => {
  const maps = (k: number, amp: number, seed: number) => {
    const r = Rng.fromSeed(seed);
    return Array.from({ length: k }, () => Float32Array.from(r.normalArray(16 * 16), (v) => amp * v));
  };

  it('is 0 for identical sets and |a² − 1| when the generated maps are scaled by a', async () => {
    const val = maps(3, 1, 1);
    const dir = tmp();
    const m = new PowerSpectrumMetric(PowerSpectrumOptions.parse({}));
    const same = await m.evaluate(ctx(val, val, 16, dir));
    expect(same.ps_meanAbsRelErr).to.equal(0);
    expect([same.ps_kMin, same.ps_kMax]).to.deep.equal([2, 4]);
    expect(existsSync(join(dir, 'power-spectrum.png'))).to.equal(true);
    const scaled = await m.evaluate(ctx(val.map((v) => Float32Array.from(v, (x) => 1.5 * x)), val, 16, undefined));
    expect(scaled.ps_meanAbsRelErr).to.be.closeTo(1.25, 1e-5);
    expect(scaled.ps_maxAbsRelErr).to.be.closeTo(1.25, 1e-5);
  });

  it('averages P(k) over maps before comparing, over k = kMin..kMax', async () => {
    // Two generated maps with power 0 and 4·P give the same mean as the validation scaled by 2: error 1.
    const val = maps(2, 1, 2);
    const gen = [new Float32Array(256), Float32Array.from(val[0], (x) => 2 * x), new Float32Array(256), Float32Array.from(val[1], (x) => 2 * x)];
    const r = await new PowerSpectrumMetric(PowerSpectrumOptions.parse({ kMin: 1, kMax: 8, plot: false })).evaluate(ctx(gen, val, 16));
    expect(r.ps_meanAbsRelErr).to.be.closeTo(1, 1e-5);
    await new PowerSpectrumMetric(PowerSpectrumOptions.parse({ kMax: 9 })).evaluate(ctx(val, val, 16)).then(
      () => expect.fail('should throw'),
      (e: Error) => expect(e.message).to.equal('cosmology/power-spectrum: kMax: expected an integer in [kMin=2, 8] for 16x16 maps, got 9'));
  });
});

describe('cosmology/pca metric', () => {
  it('recovers a rank-1 set: one component, centroid distance and spread by hand', async () => {
    // Maps t·u with u a fixed unit pattern; t = [1, 2, 3] (generated), [-1, -2, -3] (validation).
    // Pooled t: mean 0, variance (ddof 1) 28/5 = λ1, λ2 = 0. Centroids ±2 → distance 4 / √(λ1/2) = 2.3904572;
    // spread (RMS about the centroid) √(2/3) in both sets → ratio 1.
    const u = Float32Array.from({ length: 16 }, (_, i) => Math.cos(i) / 2.8);
    const norm = Math.hypot(...u);
    const unit = Float32Array.from(u, (v) => v / norm);
    const set = (ts: number[]) => ts.map((t) => Float32Array.from(unit, (v) => t * v));
    const dir = tmp();
    const r = await new PcaMetric({ plot: true }).evaluate(ctx(set([1, 2, 3]), set([-1, -2, -3]), 4, dir, 4));
    expect(r.pca_explainedRatio1).to.be.closeTo(1, 1e-6);
    expect(r.pca_explainedRatio2).to.be.closeTo(0, 1e-6);
    expect(r.pca_centroidDistance).to.be.closeTo(4 / Math.sqrt(2.8), 1e-4);
    expect(r.pca_spreadRatio).to.be.closeTo(1, 1e-5);
    expect(existsSync(join(dir, 'pca-epoch-0005.png'))).to.equal(true);
  });
});
