import { expect } from 'chai';
import { Rng } from '../tensor/rng.js';
import { knnR2CrossValidated, knnRegression } from './knn-regression.js';

// Reference values: sklearn 1.2.1 KNeighborsRegressor(n_neighbors=3) and
// cross_val_score(..., cv=KFold(n_splits=3, shuffle=False), scoring='r2');
// inputs from numpy.random.default_rng(3) (after the PCA draws), rounded to 3 decimals.
const Xk = [-0.979, -0.801, 0.043, 0.641, 2.048, -0.197, 0.768, 0.155, 1.76, 0.742, 1.369, -1.078, -0.192, -0.814, 1.505, 0.658, -0.305, -0.452, 0.485, -0.701, -0.931, 0.481, 2.463, -0.246, -0.556, -1.171, -1.335, 0.525, 0.851, 0.009, 0.333, 0.116, 0.139, -1.526, -0.458, 0.111, -0.783, -0.476, -0.819, -0.333, 0.853, -0.407, -0.154, 0.814, 0.645, 1.695, -2.09, 0.857, -0.482, 0.135, 0.838, 1.083, 1.039, 0.155, 1.61, -0.283, -0.141, 0.799, -0.551, 2.161]; // 20 x 3
const yk = [-1.055, -0.548, 1.378, 0.077, 0.447, 1.694, 1.612, -1.463, 0.057, 0.361, 0.484, -2.489, -1.154, -1.615, -1.193, 5.361, -1.084, 1.23, 3.519, 2.211];
const Tk = [1.632, 0.27, 0.195, -0.275, -1.608, 0.76, -1.756, 0.653, -0.014, 1.127, -0.068, -0.823, 0.358, -0.56, -0.181]; // 5 x 3
const knnRef = [1.7033333333333334, -0.564, -1.7293333333333336, 2.275, 1.2633333333333334];
const cvRef = [0.16521405945740353, -0.34145982378378115, 0.18040192020109402];

/** A ShuffleSource that leaves the order unchanged, to reproduce KFold(shuffle=False). */
const noShuffle = { shuffle: <T>(items: T[]): T[] => items };

describe('core/stats knnRegression', () => {
  it('matches sklearn KNeighborsRegressor(n_neighbors=3)', () => {
    const pred = knnRegression(Xk, yk, Tk, 3, 3);
    for (let i = 0; i < knnRef.length; i++) expect(pred[i]).to.be.closeTo(knnRef[i], 1e-14);
  });

  it('k = 1 returns the target of the nearest row, and ties keep the lower index', () => {
    expect(Array.from(knnRegression([0, 0, 1, 1], [5, 7], [0.9, 0.8], 1, 2))).to.deep.equal([7]);
    expect(Array.from(knnRegression([0, 2, 1], [10, 20, 30], [1], 2, 1))).to.deep.equal([20]); // 0 and 2 tie: 0 wins
  });

  it('rejects bad shapes with the field named', () => {
    expect(() => knnRegression([1, 2, 3], [1], [1, 2], 1, 2)).to.throw('trainX: expected a non-empty length that is a multiple of dim=2, got 3');
    expect(() => knnRegression([1, 2], [1], [1, 2], 2, 2)).to.throw('k: expected an integer in [1, 1], got 2');
    expect(() => knnRegression([1, 2], [1, 2], [1, 2], 1, 2)).to.throw('trainY: expected length 1, got length 2');
  });
});

describe('core/stats knnR2CrossValidated', () => {
  it('matches sklearn cross_val_score with KFold(3) when nothing is shuffled', () => {
    const res = knnR2CrossValidated(Xk, yk, 3, 3, 3, noShuffle);
    for (let f = 0; f < 3; f++) expect(res.foldR2[f]).to.be.closeTo(cvRef[f], 1e-13);
    expect(res.r2).to.be.closeTo((cvRef[0] + cvRef[1] + cvRef[2]) / 3, 1e-13);
    expect(res.predictions.length).to.equal(20);
  });

  it('is reproducible for a seed and scores a learnable target well', () => {
    // y = x0 + 0.5 x1 on 200 points in 2-D: kNN should explain most of the variance.
    const rng = Rng.fromSeed(5);
    const X = Float64Array.from({ length: 400 }, () => rng.uniform(-1, 1));
    const y = Float64Array.from({ length: 200 }, (_, i) => X[2 * i] + 0.5 * X[2 * i + 1]);
    const a = knnR2CrossValidated(X, y, 2, 5, 5, Rng.fromSeed(1));
    const b = knnR2CrossValidated(X, y, 2, 5, 5, Rng.fromSeed(1));
    expect(a).to.deep.equal(b);
    expect(a.r2).to.be.above(0.95);
    const noise = Float64Array.from({ length: 200 }, () => rng.normal());
    expect(knnR2CrossValidated(X, noise, 2, 5, 5, Rng.fromSeed(1)).r2).to.be.below(0.1);
  });

  it('rejects too many folds and too large k with the field named', () => {
    expect(() => knnR2CrossValidated(Xk, yk, 3, 3, 11, noShuffle)).to.throw('folds: expected an integer in [2, 10], got 11');
    expect(() => knnR2CrossValidated(Xk, yk, 3, 14, 3, noShuffle)).to.throw('k: expected an integer in [1, 13], got 14');
  });
});
