import { expect } from 'chai';
import { checkPermutation, factorial, permutationFromIndex, permutationIndex, permuteChannels } from './permutations.js';

describe('band-pretext channel-order permutation labels', () => {
  it('ranks permutations lexicographically (hand-computed examples)', () => {
    expect(permutationIndex([0, 1, 2, 3, 4])).to.equal(0);
    expect(permutationIndex([0, 1, 2, 4, 3])).to.equal(1);
    expect(permutationIndex([0, 1, 3, 2, 4])).to.equal(2);
    expect(permutationIndex([1, 0, 2, 3, 4])).to.equal(24); // first one starting with 1: 4! = 24 before it
    expect(permutationIndex([2, 0, 4, 1, 3])).to.equal(2 * 24 + 0 * 6 + 2 * 2 + 0 + 0); // Lehmer code (2,0,2,0,0) = 52
    expect(permutationIndex([4, 3, 2, 1, 0])).to.equal(119);
    expect(permutationIndex([2, 1, 0])).to.equal(5);
  });

  it('permutationFromIndex inverts permutationIndex for all 120 permutations of 5 channels', () => {
    const seen = new Set<string>();
    for (let k = 0; k < factorial(5); k++) {
      const p = permutationFromIndex(k, 5);
      expect(permutationIndex(p)).to.equal(k);
      seen.add(p.join(''));
    }
    expect(seen.size).to.equal(120);
    expect(permutationFromIndex(52, 5)).to.deep.equal([2, 0, 4, 1, 3]);
  });

  it('permuteChannels puts input channel perm[k] into output channel k', () => {
    // 2 pixels x 5 channels: values = 10 * pixel + channel
    const img = Float32Array.from([0, 1, 2, 3, 4, 10, 11, 12, 13, 14]);
    expect(Array.from(permuteChannels(img, [2, 0, 4, 1, 3]))).to.deep.equal([2, 0, 4, 1, 3, 12, 10, 14, 11, 13]);
  });

  it('rejects bad permutations and indices with messages naming the field', () => {
    expect(() => checkPermutation([0, 0, 1])).to.throw('perm: expected a permutation of 0..2, got [0, 0, 1]');
    expect(() => permutationFromIndex(120, 5)).to.throw('permutation index: expected an integer in [0, 119], got 120');
    expect(() => permuteChannels(new Float32Array(7), [0, 1, 2, 3, 4])).to.throw('image: expected a multiple of 5 values');
  });
});
