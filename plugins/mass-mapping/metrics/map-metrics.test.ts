import { expect } from 'chai';
import { Rng } from '../../../core/index.js';
import { coverage, dataRangeOf, psnr, rmse, ssim } from './map-metrics.js';
import { MassMapCoverage } from '../components/coverage-metric.js';
import { MassMapPearson } from '../components/pearson-metric.js';
import { MassMapPsnr } from '../components/psnr-metric.js';
import { MassMapRmse } from '../components/rmse-metric.js';
import { MassMapSsim } from '../components/ssim-metric.js';
import type { MassMapResults } from './mass-map-results.js';

// A 12 x 10 test pair, built identically in numpy:
//   i, j = np.meshgrid(np.arange(12), np.arange(10), indexing='ij')
//   t = np.sin(0.7*i) + np.cos(0.3*j) + 0.01*i*j;  e = t + 0.3*np.sin(1.3*i + 0.5*j)
const R = 12, C = 10;
const truth = new Float64Array(R * C), est = new Float64Array(R * C);
for (let i = 0; i < R; i++) {
  for (let j = 0; j < C; j++) {
    truth[i * C + j] = Math.sin(0.7 * i) + Math.cos(0.3 * j) + 0.01 * i * j;
    est[i * C + j] = truth[i * C + j] + 0.3 * Math.sin(1.3 * i + 0.5 * j);
  }
}

describe('mass-mapping metrics: numerics', () => {
  it('RMSE, PSNR and SSIM match numpy / skimage 0.19.3 on a known pair', () => {
    // Reference values: /usr/bin/python3 with skimage.metrics (0.19.3), data_range = t.max() - t.min().
    expect(dataRangeOf(truth)).to.be.closeTo(3.310029477643999, 1e-12);
    expect(rmse(truth, est)).to.be.closeTo(0.21232940235763148, 1e-12);
    expect(psnr(truth, est)).to.be.closeTo(23.85643448155397, 1e-9);            // peak_signal_noise_ratio(t, e, data_range=ptp)
    expect(psnr(truth, est, 2)).to.be.closeTo(19.48039716632149, 1e-9);          // data_range=2.0
    expect(ssim(truth, est, R, C)).to.be.closeTo(0.9395849137267019, 1e-9);     // structural_similarity(t, e, data_range=ptp)
    expect(ssim(truth, est, R, C, { winSize: 5 })).to.be.closeTo(0.9390842286545306, 1e-9);
  });

  it('identical maps: RMSE 0, PSNR +inf, SSIM 1', () => {
    expect(rmse(truth, truth)).to.equal(0);
    expect(psnr(truth, truth)).to.equal(Infinity);
    expect(ssim(truth, truth, R, C)).to.be.closeTo(1, 1e-12);
  });

  it('coverage counts pixels inside mean ± k·std (inclusive) — hand-computed', () => {
    const t = [0, 1, 2, 3, 4];
    const m = [0.5, 1, 0, 3.5, 10];
    const s = [0.5, 0, 1, 0.2, 2];
    // |t-m| = 0.5, 0, 2, 0.5, 6 ; k=1 bounds 0.5, 0, 1, 0.2, 2 -> inside: 1, 1, 0, 0, 0
    expect(coverage(t, m, s, 1)).to.equal(2 / 5);
    // k=2 bounds 1, 0, 2, 0.4, 4 -> inside: 1, 1, 1, 0, 0
    expect(coverage(t, m, s, 2)).to.equal(3 / 5);
  });

  it('coverage of a calibrated Gaussian posterior is ≈ 68 % / 95 %', () => {
    const rng = Rng.fromSeed(5);
    const k = 20000;
    const t = new Float64Array(k), m = new Float64Array(k), s = new Float64Array(k);
    for (let i = 0; i < k; i++) { s[i] = rng.uniform(0.5, 2); m[i] = rng.normal(); t[i] = m[i] + s[i] * rng.normal(); }
    expect(coverage(t, m, s, 1)).to.be.closeTo(0.6827, 0.012);
    expect(coverage(t, m, s, 2)).to.be.closeTo(0.9545, 0.006);
  });

  it('rejects bad input with the field named', () => {
    expect(() => rmse([1, 2], [1])).to.throw('estimate: expected length 2, got length 1');
    expect(() => psnr([1, 1], [1, 2])).to.throw('dataRange: expected a number > 0, got 0');
    expect(() => ssim(truth, est, 11, 10)).to.throw('rows, cols: expected positive integers with rows·cols = 120 pixels, got 11 x 10');
    expect(() => ssim(truth, est, R, C, { winSize: 4 })).to.throw('winSize: expected an odd integer >= 3, got 4');
    expect(() => coverage([1], [1], [-1], 1)).to.throw('std[0]: expected a number >= 0, got -1');
    expect(() => coverage([1], [1], [1], 0)).to.throw('k: expected a number > 0, got 0');
  });
});

describe('mass-mapping metrics: components', () => {
  const n = 8;
  const t1 = Float32Array.from({ length: n * n }, (_, i) => Math.sin(i / 5));
  const t2 = Float32Array.from({ length: n * n }, (_, i) => Math.cos(i / 7));
  const off = (a: Float32Array, d: number) => Float32Array.from(a, (v) => v + d);
  const results: MassMapResults = {
    n, truth: [t1, t2],
    estimates: {
      gan: { maps: [off(t1, 0.1), off(t2, 0.3)], std: [new Float32Array(n * n).fill(0.2), new Float32Array(n * n).fill(0.2)] },
      ks: { maps: [off(t1, 0.2), off(t2, 0.2)] },
    },
  };
  const ctx = { extra: { massMapping: results }, rng: Rng.fromSeed(1) };

  it('score every estimator, averaged over maps', async () => {
    const r = await new MassMapRmse({ estimators: [] }).evaluate(ctx);
    expect(r.rmse_gan).to.be.closeTo(0.2, 1e-6);   // (0.1 + 0.3) / 2
    expect(r.rmse_ks).to.be.closeTo(0.2, 1e-6);
    // the floor: the zero map, i.e. the rms of each truth map, averaged over maps
    const rms = (t: Float32Array) => Math.sqrt(t.reduce((a, v) => a + v * v, 0) / t.length);
    expect(r.rmse_floor).to.be.closeTo((rms(t1) + rms(t2)) / 2, 1e-9);
    expect(r.rmse_floor).to.be.greaterThan(0);
    const p = await new MassMapPearson({ estimators: ['ks'] }).evaluate(ctx);
    expect(Object.keys(p)).to.deep.equal(['pearson_ks']);
    expect(p.pearson_ks).to.be.closeTo(1, 1e-6);     // a constant offset keeps r = 1
    const s = await new MassMapPsnr({ estimators: [] }).evaluate(ctx);
    expect(s.psnr_gan).to.be.closeTo((psnr(t1, off(t1, 0.1)) + psnr(t2, off(t2, 0.3))) / 2, 1e-9);
    const q = await new MassMapSsim({ estimators: [] }).evaluate(ctx);
    expect(q.ssim_ks).to.be.closeTo((ssim(t1, off(t1, 0.2), n) + ssim(t2, off(t2, 0.2), n)) / 2, 1e-9);
  });

  it('coverage only for estimators with a std', async () => {
    const c = await new MassMapCoverage({ estimators: [] }).evaluate(ctx);
    // offsets 0.1 (inside ±0.2) and 0.3 (outside ±0.2, inside ±0.4)
    expect(c).to.deep.equal({ coverage1_gan: 0.5, coverage2_gan: 1 });
  });

  it('explain a missing input or an unknown estimator', async () => {
    let msg = '';
    try { await new MassMapRmse({ estimators: [] }).evaluate({ rng: Rng.fromSeed(1) }); } catch (e) { msg = (e as Error).message; }
    expect(msg).to.contain('mass-mapping/rmse: expected extra.massMapping = { n, truth, estimates }');
    msg = '';
    try { await new MassMapRmse({ estimators: ['wiener'] }).evaluate(ctx); } catch (e) { msg = (e as Error).message; }
    expect(msg).to.equal('mass-mapping/rmse.estimators: expected names among gan, ks, got "wiener"');
  });
});
