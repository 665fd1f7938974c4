import { expect } from 'chai';
import { Rng } from '../../../core/index.js';
import { simulateConvergenceMap } from '../../cosmology/index.js';
import { addShapeNoise, kaiserSquiresForward } from '../numerics/index.js';
import { rmse } from '../metrics/map-metrics.js';
import { chooseKsSmoothing, kaiserSquiresEstimate } from './kaiser-squires-baseline.js';
import { kappaModePower, wienerFilterEstimate } from './wiener-filter.js';

describe('mass-mapping: Wiener-filter baseline', () => {
  it('mode power: one cosine of amplitude a puts (a n²/2)² into its two modes', () => {
    const n = 8, a = 0.3;
    const m = Float64Array.from({ length: n * n }, (_, p) => a * Math.cos((2 * Math.PI * 2 * (p % n)) / n));
    const P = kappaModePower([m, m], n);
    expect(P[2]).to.be.closeTo((a * n * n / 2) ** 2, 1e-9);
    expect(P[n - 2]).to.be.closeTo((a * n * n / 2) ** 2, 1e-9);
    expect(P.reduce((s, v) => s + v, 0)).to.be.closeTo(2 * (a * n * n / 2) ** 2, 1e-9);
  });

  it('scales each mode by S/(S + n²σ²): a single mode comes back multiplied by exactly that', () => {
    const n = 16, a = 0.02, sigma = 0.05;
    const m = Float64Array.from({ length: n * n }, (_, p) => a * Math.cos((2 * Math.PI * (p % n + 2 * Math.floor(p / n))) / n));
    const P = kappaModePower([m], n);
    const S = (a * n * n / 2) ** 2, w = S / (S + n * n * sigma * sigma);
    const est = wienerFilterEstimate(kaiserSquiresForward(m, n), n, P, sigma);
    est.forEach((v, i) => expect(v).to.be.closeTo(w * m[i], 1e-6));
  });

  it('on lognormal maps with shape noise it beats the best smoothed Kaiser-Squires in RMSE', () => {
    const n = 32, sigma = 0.1, rng = Rng.fromSeed(21);
    const train = Array.from({ length: 64 }, (_, i) => simulateConvergenceMap(n, {}, rng.derive(`train:${i}`)));
    const P = kappaModePower(train, n);
    const truth = Array.from({ length: 24 }, (_, i) => simulateConvergenceMap(n, {}, rng.derive(`test:${i}`)));
    const shear = truth.map((k, i) => addShapeNoise(kaiserSquiresForward(k, n), sigma, rng.derive(`noise:${i}`)));
    const ks = chooseKsSmoothing(truth, shear, n);                       // the KS scale tuned on these very maps
    const wf = truth.reduce((s, t, i) => s + rmse(t, wienerFilterEstimate(shear[i], n, P, sigma)), 0) / truth.length;
    expect(wf).to.be.lessThan(ks.rmse);
    expect(rmse(truth[0], kaiserSquiresEstimate(shear[0], n, ks.sigma))).to.be.greaterThan(0);
  });

  it('rejects a wrong power length and a non-positive sigma, naming them', () => {
    const g = { gamma1: new Float64Array(16), gamma2: new Float64Array(16) };
    expect(() => wienerFilterEstimate(g, 4, new Float64Array(15), 0.1)).to.throw('wienerFilter: power: expected 16 modes (4x4), got 15');
    expect(() => wienerFilterEstimate(g, 4, new Float64Array(16), 0)).to.throw('wienerFilter: sigma: expected a noise std > 0, got 0');
    expect(() => kappaModePower([], 4)).to.throw('kappaModePower: expected at least one map, got none');
  });
});
