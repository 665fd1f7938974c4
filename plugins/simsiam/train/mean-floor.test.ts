import { expect } from 'chai';
import { meanPredictionR2 } from './mean-floor.js';

describe('meanPredictionR2 (the predict-the-training-mean floor)', () => {
  it('is 0 when the training mean equals the test mean', () => {
    // train mean 2; test [1, 3]: SS_res = 1 + 1 = SS_tot
    expect(meanPredictionR2([1, 2, 3], [1, 3])).to.equal(0);
  });

  it('is negative by n (mean_train - mean_test)^2 / SS_tot when the means differ', () => {
    // train mean 2; test [2, 4] (mean 3): SS_res = 0 + 4 = 4, SS_tot = 2 -> 1 - 4/2 = -1
    expect(meanPredictionR2([1, 2, 3], [2, 4])).to.equal(-1);
    // train mean 0.25; test [0, 1, 2] (mean 1, SS_tot 2): 1 - (0.0625 + 0.5625 + 3.0625) / 2
    expect(meanPredictionR2([0, 0.5], [0, 1, 2])).to.be.closeTo(1 - 3.6875 / 2, 1e-12);
  });

  it('names the input it cannot use', () => {
    expect(() => meanPredictionR2([], [1, 2])).to.throw('yTrain: expected at least 1 label, got 0');
    expect(() => meanPredictionR2([1], [1])).to.throw(/yTrue: expected at least 2 samples, got 1/);
  });
});
