import { expect } from 'chai';
import { Rng } from '../../../core/index.js';
import { ClusterSimulator } from '../components/cluster-simulator.js';
import { defaultClusterConfig } from '../sim/cluster-options.js';
import { buildClusterPool, singleBandImages } from './cluster-pool.js';
import { labelledSubset, partitionByGroup } from './group-split.js';

describe('band-pretext cluster-level splits', () => {
  it('never puts observations of one cluster on both sides of the train/test split', () => {
    // 3 observations per cluster: a split by index would cut clusters apart
    const sim = new ClusterSimulator(defaultClusterConfig({ size: 8, observationsPerCluster: 3, count: 90 }), Rng.fromSeed(4));
    const pool = buildClusterPool(sim, 90, 'train', 'lambda', 0.1);
    expect(new Set(pool.groups).size).to.equal(30);
    for (const seed of [1, 2, 3]) {
      const { train, test } = partitionByGroup(pool.groups, 0.2, Rng.fromSeed(seed));
      expect(train.length + test.length).to.equal(90);
      const trainGroups = new Set(train.map((i) => pool.groups[i]));
      const testGroups = new Set(test.map((i) => pool.groups[i]));
      expect([...testGroups].filter((g) => trainGroups.has(g))).to.deep.equal([]);
      expect(testGroups.size).to.equal(6);
      expect(test.length).to.equal(18);
      // labelled subsets are made of whole training clusters, nested across fractions
      const sub10 = labelledSubset(train, pool.groups, 0.1, Rng.fromSeed(seed).derive('labels'));
      const sub50 = labelledSubset(train, pool.groups, 0.5, Rng.fromSeed(seed).derive('labels'));
      expect(sub10.length).to.equal(3 * 2); // round(0.1 * 24) = 2 clusters
      expect(sub10.every((i) => sub50.includes(i))).to.equal(true);
      expect(sub50.every((i) => trainGroups.has(pool.groups[i]))).to.equal(true);
    }
  });

  it('extracts single-band images from the pool (band b = channel b)', () => {
    const sim = new ClusterSimulator(defaultClusterConfig({ size: 8, count: 4 }), Rng.fromSeed(4));
    const pool = buildClusterPool(sim, 2, 'train', 'lambda', 0.1);
    const one = singleBandImages(pool, [1], [3]);
    expect(one[5]).to.equal(pool.images[8 * 8 * 5 + 5 * 5 + 3]);
    expect(pool.images[0]).to.be.closeTo(Math.asinh(sim.sample(0).image[0] / 0.1), 1e-5);
  });

  it('rejects bad fractions and too few groups with messages naming the field', () => {
    expect(() => partitionByGroup([1, 1, 1], 0.2, Rng.fromSeed(1))).to.throw('groups: expected at least 2 distinct groups to split, got 1');
    expect(() => partitionByGroup([1, 2], 1.5, Rng.fromSeed(1))).to.throw('testFraction: expected a number in (0, 1), got 1.5');
    expect(() => labelledSubset([0, 1], [0, 1], 0, Rng.fromSeed(1))).to.throw('labelFraction: expected a number in (0, 1], got 0');
  });
});
