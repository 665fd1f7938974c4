import { r2Score } from '../../../core/index.js';

/**
 * The trivial floor of a regression: R² on the test labels of predicting, for every test image,
 * the mean of the training labels (what a model that learned nothing from the images does at
 * best). It is 0 when the two means agree and negative by n_test (mean_train - mean_test)² /
 * Σ (y_test - mean_test)² otherwise.
 * @param yTrain training labels (their mean is the prediction)
 * @param yTest test labels, at least 2
 */
export function meanPredictionR2(yTrain: ArrayLike<number>, yTest: ArrayLike<number>): number {
  if (yTrain.length < 1) throw new Error(`yTrain: expected at least 1 label, got ${yTrain.length}`);
  let mean = 0;
  for (let i = 0; i < yTrain.length; i++) mean += yTrain[i];
  mean /= yTrain.length;
  return r2Score(Float64Array.from(yTest), new Float64Array(yTest.length).fill(mean));
}
