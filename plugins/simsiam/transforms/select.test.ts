import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { Rng } from '../../../core/index.js';
import { selectPerSample } from './select.js';

describe('simsiam/transforms/select (per-sample choice between candidate batches) @backend', () => {
  it('out[b] equals candidates[choice[b]][b] bit for bit, for runs, alternations and a single candidate', () => {
    const rng = Rng.fromSeed(11);
    for (const [B, K] of [[1, 2], [7, 2], [32, 4], [16, 3]]) {
      const cands = Array.from({ length: K }, () => tf.tensor4d(Float32Array.from({ length: B * 5 * 4 * 2 }, () => rng.normal()), [B, 5, 4, 2]));
      for (const choice of [Array.from({ length: B }, () => rng.int(0, K)), Array.from({ length: B }, (_, b) => b % K), Array<number>(B).fill(K - 1)]) {
        const out = selectPerSample(cands, choice);
        expect(out.shape).to.deep.equal([B, 5, 4, 2]);
        const o = out.dataSync();
        const per = 5 * 4 * 2;
        for (let b = 0; b < B; b++) {
          const want = cands[choice[b]].dataSync().subarray(b * per, (b + 1) * per);
          expect(Array.from(o.subarray(b * per, (b + 1) * per)), `B=${B} K=${K} sample ${b} choice ${choice[b]}`).to.deep.equal(Array.from(want));
        }
        out.dispose();
      }
      tf.dispose(cands);
    }
  });

  it('keeps NaN and -0 as they are (no arithmetic on the values) and leaks no tensor', () => {
    const a = tf.tensor4d([NaN, 1, -0, 2], [4, 1, 1, 1]);
    const b = tf.tensor4d([5, 6, 7, 8], [4, 1, 1, 1]);
    const before = tf.memory().numTensors;
    const out = selectPerSample([a, b], [0, 1, 0, 1]);
    expect(tf.memory().numTensors).to.equal(before + 1);
    const v = Array.from(out.dataSync());
    expect(Number.isNaN(v[0])).to.equal(true);
    expect(Object.is(v[2], -0)).to.equal(true);
    expect([v[1], v[3]]).to.deep.equal([6, 8]);
    tf.dispose([a, b, out]);
  });

  it('refuses a choice list of the wrong length, an out-of-range choice and mismatched shapes', () => {
    const a = tf.zeros([3, 2, 2, 1]), b = tf.zeros([3, 2, 2, 1]), c = tf.zeros([3, 2, 1, 1]);
    expect(() => selectPerSample([a, b], [0, 1])).to.throw('selectPerSample: expected 3 choices (one per sample), got 2');
    expect(() => selectPerSample([a, b], [0, 2, 1])).to.throw('selectPerSample: choice 2 is not an index of the 2 candidates');
    expect(() => selectPerSample([a, c], [0, 1, 0])).to.throw('selectPerSample: candidate 1 has shape [3,2,1,1], expected [3,2,2,1]');
    tf.dispose([a, b, c]);
  });
});
