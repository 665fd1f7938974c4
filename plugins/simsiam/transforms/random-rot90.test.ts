import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { Rng } from '../../../core/index.js';
import { randomRot90, rot90 } from './random-rot90.js';

/** [B, N, N, 2] zeros with pixel (r, c) = (1, 2). */
function delta(B: number, N: number, r: number, c: number): tf.Tensor4D {
  const v = new Float32Array(B * N * N * 2);
  for (let b = 0; b < B; b++) { v[((b * N + r) * N + c) * 2] = 1; v[((b * N + r) * N + c) * 2 + 1] = 2; }
  return tf.tensor4d(v, [B, N, N, 2]);
}

function locate(y: tf.Tensor4D, b: number): [number, number] {
  const [, H, W, C] = y.shape;
  const v = y.dataSync();
  for (let i = 0; i < H; i++) for (let j = 0; j < W; j++) {
    const o = ((b * H + i) * W + j) * C;
    if (v[o] !== 0) { expect([v[o], v[o + 1]]).to.deep.equal([1, 2]); return [i, j]; }
  }
  return [-1, -1];
}

describe('simsiam/transforms/random-rot90', () => {
  before(async () => { await tf.setBackend('cpu'); });

  it('rotates a bright pixel as np.rot90 (k = 1: (r, c) -> (N-1-c, r))', () => {
    const N = 5, r = 1, c = 3;
    const x = delta(1, N, r, c);
    const want: [number, number][] = [[r, c], [N - 1 - c, r], [N - 1 - r, N - 1 - c], [c, N - 1 - r]];
    for (let k = 0; k < 4; k++) {
      const y = randomRot90(x, Rng.fromSeed(1), { ks: [k] });
      expect(locate(y, 0), `k=${k}`).to.deep.equal(want[k]);
      y.dispose();
    }
    // four quarter turns are the identity; k = -1 is k = 3
    const r4 = tf.tidy(() => rot90(rot90(rot90(rot90(x, 1), 1), 1), 1));
    expect(Array.from(r4.dataSync())).to.deep.equal(Array.from(x.dataSync()));
    const m1 = rot90(x, -1);
    expect(locate(m1, 0)).to.deep.equal(want[3]);
    tf.dispose([x, r4, m1]);
  });

  it('draws k per sample from ks and is seeded', () => {
    const B = 32, N = 4;
    const x = delta(B, N, 0, 1);
    const y = randomRot90(x, Rng.fromSeed(3));
    const replay = Rng.fromSeed(3);
    const ks = new Set<number>();
    for (let b = 0; b < B; b++) {
      const k = replay.int(0, 4);
      ks.add(k);
      const want = [[0, 1], [N - 2, 0], [N - 1, N - 2], [1, N - 1]][k];
      expect(locate(y, b), `sample ${b}`).to.deep.equal(want);
    }
    expect(ks.size).to.equal(4);
    tf.dispose([x, y]);
  });

  it('needs square images for odd turns', () => {
    const x = tf.zeros([1, 3, 4, 1]) as tf.Tensor4D;
    expect(() => randomRot90(x, Rng.fromSeed(1))).to.throw('randomRot90.ks: odd quarter turns need square images, got H=3 W=4 with ks [0,1,2,3]');
    const y = randomRot90(x, Rng.fromSeed(1), { ks: [0, 2] });
    expect(y.shape).to.deep.equal([1, 3, 4, 1]);
    expect(() => randomRot90(x, Rng.fromSeed(1), { ks: [] })).to.throw('randomRot90.ks: expected a non-empty list of integers, got []');
    tf.dispose([x, y]);
  });
});
