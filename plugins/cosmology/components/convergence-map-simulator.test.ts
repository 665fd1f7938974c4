import { expect } from 'chai';
import { Rng } from '../../../core/index.js';
import { simulateConvergenceMap } from '../numerics/index.js';
import { ConvergenceMapOptions, ConvergenceMapSimulator, mapMoments } from './convergence-map-simulator.js';

const make = (o: Record<string, unknown> = {}, seed = 1) => new ConvergenceMapSimulator(ConvergenceMapOptions.parse(o), Rng.fromSeed(seed));

describe('cosmology/convergence-maps simulator', () => {
  it('is a pure function of (seed, split, index) and wraps simulateConvergenceMap', () => {
    const sim = make({ size: 64, count: 10 });
    expect(sim.imageShape).to.deep.equal([64, 64, 1]);
    const a = sim.sample(3, 'train'), b = make({ size: 64, count: 10 }).sample(3, 'train');
    expect(Buffer.from(a.image.buffer).equals(Buffer.from(b.image.buffer))).to.equal(true);
    expect(Array.from(sim.sample(3, 'validation').image.slice(0, 5))).to.not.deep.equal(Array.from(a.image.slice(0, 5)));
    const direct = simulateConvergenceMap(64, {}, Rng.fromSeed(1).derive('train:3'));
    expect(Array.from(a.image)).to.deep.equal(Array.from(direct));
    expect(make({ size: 64, count: 10 }, 2).sample(3).image[0]).to.not.equal(a.image[0]);
  });

  it('labels each map with its pixel std and skewness (lognormal: positive skew)', () => {
    const s = make({ size: 64, count: 4 }).sample(0);
    expect(Object.keys(s.labels)).to.deep.equal(['sigma', 'skewness']);
    expect(s.labels).to.deep.equal(mapMoments(s.image));
    expect(s.labels.sigma).to.be.within(0.005, 0.1);
    expect(s.labels.skewness).to.be.greaterThan(0.3);
    // mean 4, deviations -3, -2, -1, 6: m2 = 50/4 = 12.5, m3 = (-27 - 8 - 1 + 216)/4 = 45
    expect(mapMoments([1, 2, 3, 10])).to.deep.equal({ sigma: Math.sqrt(12.5), skewness: 45 / 12.5 ** 1.5 });
  });

  it('accepts 64/128/256 only and checks the index', () => {
    expect(make({ size: 128, count: 2 }).sample(1).image.length).to.equal(128 * 128);
    expect(ConvergenceMapOptions.safeParse({ size: 100 }).success).to.equal(false);
    expect(() => make({ count: 5 }).sample(5)).to.throw('cosmology/convergence-maps: index: expected an integer in [0, 5), got 5');
  });
});
