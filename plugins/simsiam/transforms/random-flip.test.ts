import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { Rng } from '../../../core/index.js';
import { randomFlip } from './random-flip.js';

/** [B, H, W, C] zeros with pixel (r, c) set to (1, 2, ..., C) in every sample. */
function delta(B: number, H: number, W: number, C: number, r: number, c: number): tf.Tensor4D {
  const v = new Float32Array(B * H * W * C);
  for (let b = 0; b < B; b++) for (let ch = 0; ch < C; ch++) v[((b * H + r) * W + c) * C + ch] = ch + 1;
  return tf.tensor4d(v, [B, H, W, C]);
}

/** Location [row, col] of the nonzero pixel of sample b and its channel values. */
function locate(y: tf.Tensor4D, b: number): [number, number, number[]] {
  const [, H, W, C] = y.shape;
  const v = y.dataSync();
  for (let i = 0; i < H; i++) for (let j = 0; j < W; j++) {
    const o = ((b * H + i) * W + j) * C;
    if (v[o] !== 0) return [i, j, Array.from(v.slice(o, o + C))];
  }
  return [-1, -1, []];
}

describe('simsiam/transforms/random-flip', () => {
  before(async () => { await tf.setBackend('cpu'); });

  it('moves a bright pixel to its mirrored position (multi-channel, non-square)', () => {
    const x = delta(1, 5, 6, 3, 1, 2);
    const h = randomFlip(x, Rng.fromSeed(1), { horizontal: 1, vertical: 0 });
    expect(locate(h, 0)).to.deep.equal([1, 6 - 1 - 2, [1, 2, 3]]);
    const v = randomFlip(x, Rng.fromSeed(1), { horizontal: 0, vertical: 1 });
    expect(locate(v, 0)).to.deep.equal([5 - 1 - 1, 2, [1, 2, 3]]);
    const hv = randomFlip(x, Rng.fromSeed(1), { horizontal: 1, vertical: 1 });
    expect(locate(hv, 0)).to.deep.equal([3, 3, [1, 2, 3]]);
    const id = randomFlip(x, Rng.fromSeed(1), { horizontal: 0, vertical: 0 });
    expect(Array.from(id.dataSync())).to.deep.equal(Array.from(x.dataSync()));
    tf.dispose([x, h, v, hv, id]);
  });

  it('draws per sample (horizontal then vertical, p = 0.5 each) and is seeded', () => {
    const B = 40;
    const x = delta(B, 4, 4, 1, 0, 1);
    const y = randomFlip(x, Rng.fromSeed(9));
    const replay = Rng.fromSeed(9);
    const seen = new Set<string>();
    for (let b = 0; b < B; b++) {
      const hf = replay.random() < 0.5, vf = replay.random() < 0.5;
      const [i, j] = locate(y, b);
      expect([i, j], `sample ${b}`).to.deep.equal([vf ? 3 : 0, hf ? 2 : 1]);
      seen.add(`${hf}${vf}`);
    }
    expect(seen.size).to.equal(4);
    const y2 = randomFlip(x, Rng.fromSeed(9));
    expect(Array.from(y2.dataSync())).to.deep.equal(Array.from(y.dataSync()));
    tf.dispose([x, y, y2]);
  });

  it('does not leak tensors and validates its options', () => {
    const x = tf.zeros([2, 3, 3, 1]) as tf.Tensor4D;
    const n0 = tf.memory().numTensors;
    const y = randomFlip(x, Rng.fromSeed(2));
    expect(tf.memory().numTensors).to.equal(n0 + 1);
    expect(() => randomFlip(x, Rng.fromSeed(2), { vertical: 1.5 })).to.throw('randomFlip.vertical: expected a probability in [0, 1], got 1.5');
    expect(() => randomFlip(tf.zeros([3, 3]) as unknown as tf.Tensor4D, Rng.fromSeed(2))).to.throw('randomFlip.x: expected a [batch, H, W, C] tensor, got shape [3,3]');
    tf.dispose([x, y]);
  });
});
