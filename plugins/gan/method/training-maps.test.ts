import { expect } from 'chai';
import { Rng } from '../../../core/index.js';
import { ShuffledIndices } from './training-maps.js';

describe('gan/dcgan data order', () => {
  it('draws every index once per permutation, runs across permutations, and continues exactly after save/load', () => {
    const a = new ShuffledIndices(5, Rng.fromSeed(1).derive('order'));
    const first = a.next(5);
    expect([...first].sort()).to.deep.equal([0, 1, 2, 3, 4]);
    const next3 = a.next(3);                                  // starts a new permutation
    const rngB = Rng.fromSeed(1).derive('order');
    const b = new ShuffledIndices(5, rngB);
    b.next(5); b.next(3);
    const saved = b.save();
    const order = Rng.fromSeed(99);
    const c = new ShuffledIndices(5, order);
    c.load(saved);
    expect(c.next(2)).to.deep.equal(a.next(2));               // the rest of the permutation, no draw needed
    expect(next3).to.have.length(3);
  });

  it('refuses a damaged saved order, naming what it expected', () => {
    const s = new ShuffledIndices(4, Rng.fromSeed(1));
    expect(() => s.load({ perm: [0, 7], cursor: 1 })).to.throw('checkpoint state: the data order of gan/dcgan: expected { perm: indices in [0, 4), cursor: 0..perm.length }, got {"perm":[0,7],"cursor":1}');
    expect(() => s.load({ perm: [0, 1], cursor: 3 })).to.throw('cursor: 0..perm.length }, got {"perm":[0,1],"cursor":3}');
  });
});
