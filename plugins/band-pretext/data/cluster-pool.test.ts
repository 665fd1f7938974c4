import { expect } from 'chai';
import { Rng } from '../../../core/index.js';
import { ClusterSimulator } from '../components/cluster-simulator.js';
import { defaultClusterConfig } from '../sim/cluster-options.js';
import { buildClusterPool } from './cluster-pool.js';

describe('band-pretext cluster pool option errors', () => {
  const sim = new ClusterSimulator(defaultClusterConfig({ size: 8, count: 4 }), Rng.fromSeed(4));

  it('name the fields under the config path of the method that passed them', () => {
    expect(() => buildClusterPool(sim, 2, 'train', 'mass', 0.1, false, 'bench.method'))
      .to.throw('bench.method.target: expected one of lambda, cluster, members, members_in_image, got "mass"');
    expect(() => buildClusterPool(sim, 2, 'train', 'lambda', 0, false, 'model.method'))
      .to.throw('model.method.softening: expected a number > 0, got 0');
    expect(() => buildClusterPool(sim, 5, 'train', 'lambda', 0.1, false, 'x.method'))
      .to.throw("x.method.poolSize: expected at most the simulator's size 4, got 5");
  });
});
