import { expect } from 'chai';
import { Rng } from '../../../core/index.js';
import { addShapeNoise, kaiserSquiresForward } from '../numerics/index.js';
import { rmse } from '../metrics/map-metrics.js';
import { chooseKsSmoothing, kaiserSquiresEstimate } from './kaiser-squires-baseline.js';

const n = 32;
// zero-mean, band-limited κ (a few low modes)
const kappa = Float64Array.from({ length: n * n }, (_, p) => {
  const x = (2 * Math.PI * (p % n)) / n, y = (2 * Math.PI * Math.floor(p / n)) / n;
  return 0.02 * Math.cos(x) + 0.015 * Math.sin(2 * y + x) - 0.01 * Math.cos(3 * x - y);
});

describe('mass-mapping: Kaiser-Squires baseline', () => {
  it('recovers κ from noiseless shear; the optimal smoothing is then 0', () => {
    const g = kaiserSquiresForward(kappa, n);
    expect(rmse(kappa, kaiserSquiresEstimate(g, n, 0))).to.be.lessThan(1e-7);
    expect(chooseKsSmoothing([kappa], [g], n).sigma).to.equal(0);
  });

  it('with shape noise, smoothing lowers the RMSE and the chosen scale is > 0', () => {
    const g = addShapeNoise(kaiserSquiresForward(kappa, n), 0.05, Rng.fromSeed(4));
    const raw = rmse(kappa, kaiserSquiresEstimate(g, n, 0));
    const best = chooseKsSmoothing([kappa], [g], n);
    expect(best.sigma).to.be.greaterThan(0);
    expect(best.rmse).to.be.lessThan(0.5 * raw);
    expect(rmse(kappa, kaiserSquiresEstimate(g, n, best.sigma))).to.be.closeTo(best.rmse, 1e-7);
  });

  it('rejects a negative smoothing scale', () => {
    const g = kaiserSquiresForward(kappa, n);
    expect(() => kaiserSquiresEstimate(g, n, -1)).to.throw('ksSmoothing: expected a number >= 0 (pixels), got -1');
    expect(() => chooseKsSmoothing([], [], n)).to.throw('chooseKsSmoothing: expected as many shear maps as true maps (>= 1), got 0 and 0');
  });
});
