import { expect } from 'chai';
import { r2Score } from './r2-score.js';

// Reference values: sklearn 1.2.1 `sklearn.metrics.r2_score` (Debian python3-sklearn), inputs
// drawn with numpy.random.default_rng(42) and rounded to 4 decimals.
const yTrue = [0.3047, -1.04, 0.7505, 0.9406, -1.951, -1.3022, 0.1278, -0.3162, -0.0168, -0.853];
const yPred = [0.5685, -0.8067, 0.7703, 1.2788, -1.8107, -1.56, 0.2384, -0.6039, 0.2467, -0.868];

describe('core/stats r2Score', () => {
  it('matches sklearn r2_score and is not symmetric', () => {
    expect(r2Score(yTrue, yPred)).to.be.closeTo(0.9375733550606975, 1e-14);
    expect(r2Score(yPred, yTrue)).to.be.closeTo(0.9484753597818986, 1e-14);
  });

  it('accepts Float32Array and Float64Array inputs', () => {
    expect(r2Score(new Float64Array(yTrue), new Float64Array(yPred))).to.be.closeTo(0.9375733550606975, 1e-14);
    expect(r2Score(new Float32Array(yTrue), new Float32Array(yPred))).to.be.closeTo(0.9375733550606975, 1e-6);
  });

  it('follows sklearn for constant yTrue: 1 if perfect, else 0', () => {
    expect(r2Score([2, 2, 2], [2, 2, 2])).to.equal(1);
    expect(r2Score([2, 2, 2], [2, 2, 2.5])).to.equal(0);
  });

  it('is 1 for a perfect prediction and negative for a worse-than-mean one', () => {
    expect(r2Score([1, 2, 3], [1, 2, 3])).to.equal(1);
    expect(r2Score([1, 2, 3], [3, 2, 1])).to.be.closeTo(-3, 1e-15);
  });

  it('rejects length mismatch, n < 2 and non-finite values with the field named', () => {
    expect(() => r2Score([1, 2, 3], [1, 2])).to.throw('yPred: expected length 3, got length 2');
    expect(() => r2Score([1], [1])).to.throw('yTrue: expected at least 2 samples, got 1');
    expect(() => r2Score([1, NaN], [1, 2])).to.throw('yTrue[1]: expected a finite number, got NaN');
    expect(() => r2Score('abc' as unknown as number[], [1])).to.throw('yTrue: expected a Float32Array, Float64Array or number[], got string');
  });
});
