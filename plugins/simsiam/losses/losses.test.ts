import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { Rng } from '../../../core/index.js';
import { collapseStd } from './collapse-std.js';
import { negativeCosine, symmetricNegCosine } from './negative-cosine.js';
import { stopGradient } from './stop-gradient.js';

const close = (got: ArrayLike<number>, want: number[], tol = 1e-6) => {
  expect(got.length).to.equal(want.length);
  for (let i = 0; i < want.length; i++) expect(got[i], `[${i}]`).to.be.closeTo(want[i], tol);
};

describe('simsiam/losses', () => {
  before(async () => { await tf.setBackend('cpu'); });

  it('negativeCosine: value and gradient of a hand-worked 2-D case', () => {
    // Row 1: p = (3,4), z = (1,0): cos = 3/5 = 0.6.
    // Row 2: p = (1,1), z = (0,2): cos = 1/sqrt(2) = 0.70710678.
    // D = -(0.6 + 0.70710678)/2 = -0.65355339.
    // dcos/dp = zhat/|p| - (p.zhat) p/|p|^3, and dD/dp = -(1/2) dcos/dp:
    //   row 1: (1,0)/5 - 3 (3,4)/125 = (0.128, -0.096)           -> (-0.064, 0.048)
    //   row 2: (0,1)/sqrt2 - (1,1)/(2 sqrt2) = (-0.35355, 0.35355) -> (0.17677670, -0.17677670)
    const p = tf.tensor2d([[3, 4], [1, 1]]);
    const z = tf.tensor2d([[1, 0], [0, 2]]);
    const { value, grads } = tf.valueAndGrads((a: tf.Tensor, b: tf.Tensor) => negativeCosine(a as tf.Tensor2D, b as tf.Tensor2D))([p, z]);
    expect(value.dataSync()[0]).to.be.closeTo(-0.65355339, 1e-6);
    close(grads[0].dataSync(), [-0.064, 0.048, 0.1767767, -0.1767767]);
    close(grads[1].dataSync(), [0, 0, 0, 0], 0); // stop-gradient: nothing reaches z
    tf.dispose([p, z, value, ...grads]);
  });

  it('symmetricNegCosine: 0.5 D(p1,z2) + 0.5 D(p2,z1) with hand-worked gradients', () => {
    // D(p1, z2) = -0.65355339 (the case above).
    // D(p2, z1): rows (0,1)|(0,3): cos 1; (2,0)|(1,1): cos 1/sqrt2 -> D = -0.85355339.
    // L = 0.5 (-0.65355339 - 0.85355339) = -0.75355339.
    // dL/dp1 = 0.5 dD(p1,z2)/dp1 = (-0.032, 0.024, 0.08838835, -0.08838835).
    // dL/dp2: row 1 p = zhat -> 0; row 2: zhat/|p| - (p.zhat) p/|p|^3 = (0, 0.35355339), times -0.5*0.5.
    const p1 = tf.tensor2d([[3, 4], [1, 1]]);
    const z2 = tf.tensor2d([[1, 0], [0, 2]]);
    const p2 = tf.tensor2d([[0, 1], [2, 0]]);
    const z1 = tf.tensor2d([[0, 3], [1, 1]]);
    const f = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor, d: tf.Tensor) =>
      symmetricNegCosine(a as tf.Tensor2D, b as tf.Tensor2D, c as tf.Tensor2D, d as tf.Tensor2D);
    const { value, grads } = tf.valueAndGrads(f)([p1, p2, z1, z2]);
    expect(value.dataSync()[0]).to.be.closeTo(-0.75355339, 1e-6);
    close(grads[0].dataSync(), [-0.032, 0.024, 0.08838835, -0.08838835]);
    close(grads[1].dataSync(), [0, 0, 0, -0.08838835]);
    close(grads[2].dataSync(), [0, 0, 0, 0], 0);
    close(grads[3].dataSync(), [0, 0, 0, 0], 0);
    tf.dispose([p1, p2, z1, z2, value, ...grads]);
  });

  it('stopGradient is the identity forward and blocks the gradient backward', () => {
    const x = tf.tensor1d([1.5, -2, 3]);
    const y = stopGradient(x);
    close(y.dataSync(), [1.5, -2, 3], 0);
    // d/dx sum(x * stopgrad(x)) = stopgrad(x) = x (it would be 2x without the stop)
    const g = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(a, stopGradient(a))))(x);
    close(g.dataSync(), [1.5, -2, 3], 0);
    tf.dispose([x, y, g]);
  });

  it('collapseStd: 0 for identical rows, ~1/sqrt(d) for Gaussian rows', () => {
    const same = tf.tile(tf.tensor2d([[0.3, -1, 2, 0.5]]), [16, 1]) as tf.Tensor2D;
    expect(collapseStd(same)).to.be.below(1e-6);
    const d = 64, n = 2000;
    const g = tf.tensor2d(Rng.fromSeed(11).normalArray(n * d), [n, d]);
    expect(collapseStd(g)).to.be.closeTo(1 / Math.sqrt(d), 0.003);
    // scale-invariant (rows are l2-normalised first)
    expect(collapseStd(tf.mul(g, 7) as tf.Tensor2D)).to.be.closeTo(collapseStd(g), 1e-6);
    tf.dispose([same, g]);
  });

  it('rejects mismatched shapes and too-small batches', () => {
    const a = tf.zeros([2, 3]) as tf.Tensor2D, b = tf.zeros([2, 4]) as tf.Tensor2D;
    expect(() => negativeCosine(a, b)).to.throw('negativeCosine: expected p and z of the same shape [batch, dim], got [2,3] and [2,4]');
    expect(() => collapseStd(tf.zeros([1, 3]) as tf.Tensor2D)).to.throw('collapseStd.z: expected a batch of at least 2 rows, got 1');
    tf.dispose([a, b]);
  });
});
