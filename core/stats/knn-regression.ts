import { checkInteger, type NumericArray, toFloat64 } from './numeric-input.js';
import { r2Score } from './r2-score.js';

/** Anything that can shuffle an array in place with a seeded generator (e.g. core's `Rng`). */
export interface ShuffleSource {
  shuffle<T>(items: T[]): T[];
}

function rowCount(x: Float64Array, dim: number, field: string): number {
  if (x.length === 0 || x.length % dim !== 0) {
    throw new Error(`${field}: expected a non-empty length that is a multiple of dim=${dim}, got ${x.length}`);
  }
  return x.length / dim;
}

function knnPredict(X: Float64Array, y: Float64Array, n: number, T: Float64Array, m: number, dim: number, k: number): Float64Array {
  const out = new Float64Array(m);
  const bestD = new Float64Array(k);
  const bestI = new Int32Array(k);
  for (let t = 0; t < m; t++) {
    let filled = 0;
    const to = t * dim;
    for (let i = 0; i < n; i++) {
      const io = i * dim;
      let dist = 0;
      for (let j = 0; j < dim; j++) { const v = X[io + j] - T[to + j]; dist += v * v; }
      if (filled === k && dist >= bestD[k - 1]) continue;   // ties keep the earlier index
      // Insert into the sorted (ascending) list of the best k so far.
      let pos = filled < k ? filled++ : k - 1;
      while (pos > 0 && bestD[pos - 1] > dist) {
        bestD[pos] = bestD[pos - 1]; bestI[pos] = bestI[pos - 1]; pos--;
      }
      bestD[pos] = dist; bestI[pos] = i;
    }
    let s = 0;
    for (let q = 0; q < k; q++) s += y[bestI[q]];
    out[t] = s / k;
  }
  return out;
}

/**
 * k-nearest-neighbour regression (uniform weights, Euclidean distance), as
 * sklearn.neighbors.KNeighborsRegressor(n_neighbors=k).fit(trainX, trainY).predict(testX):
 * each prediction is the mean target of the k training rows closest to the test row. Exact
 * distance ties are broken by the lower training index. Brute force, O(n·m·dim).
 * @param trainX n × dim training features, row-major
 * @param trainY n training targets
 * @param testX m × dim query features, row-major
 * @param k number of neighbours, 1 <= k <= n
 * @param dim feature dimension
 * @returns m predictions
 */
export function knnRegression(trainX: NumericArray, trainY: NumericArray, testX: NumericArray, k: number, dim: number): Float64Array {
  checkInteger(dim, 'dim', 1);
  const X = toFloat64(trainX, 'trainX');
  const n = rowCount(X, dim, 'trainX');
  const y = toFloat64(trainY, 'trainY', n);
  const T = toFloat64(testX, 'testX');
  const m = rowCount(T, dim, 'testX');
  checkInteger(k, 'k', 1, n);
  return knnPredict(X, y, n, T, m, dim, k);
}

/** Result of {@link knnR2CrossValidated}. */
export interface KnnCrossValidationResult {
  /** Mean of the per-fold R² (what sklearn's cross_val_score(...).mean() reports). */
  r2: number;
  /** R² of each fold's held-out predictions. */
  foldR2: number[];
  /** R² of all out-of-fold predictions pooled together. */
  pooledR2: number;
  /** Out-of-fold prediction for every sample, in the original order. */
  predictions: Float64Array;
}

/**
 * K-fold cross-validated R² of {@link knnRegression} — the "kNN probe" used to score learned
 * representations. Samples are shuffled with `rng`, then split into `folds` contiguous folds
 * whose sizes differ by at most one (the first n mod folds folds get one extra sample, as
 * sklearn.model_selection.KFold(shuffle=True)); each fold is predicted from the others.
 * @param X n × dim features, row-major
 * @param y n targets
 * @param dim feature dimension
 * @param k neighbours, 1 <= k <= n - ceil(n / folds)
 * @param folds number of folds, 2 <= folds <= n / 2 (each held-out fold needs >= 2 samples)
 * @param rng seeded shuffler (core `Rng`)
 */
export function knnR2CrossValidated(X: NumericArray, y: NumericArray, dim: number, k: number, folds: number, rng: ShuffleSource): KnnCrossValidationResult {
  checkInteger(dim, 'dim', 1);
  const Xf = toFloat64(X, 'X');
  const n = rowCount(Xf, dim, 'X');
  const yf = toFloat64(y, 'y', n);
  checkInteger(folds, 'folds', 2, Math.max(2, Math.floor(n / 2)));
  if (n < 2 * folds) throw new Error(`folds: expected at most n/2 = ${Math.floor(n / 2)} folds for n=${n} samples, got ${folds}`);
  checkInteger(k, 'k', 1, n - Math.ceil(n / folds));
  const order = rng.shuffle(Array.from({ length: n }, (_, i) => i));
  const predictions = new Float64Array(n);
  const foldR2: number[] = [];
  const base = Math.floor(n / folds), extra = n % folds;
  let start = 0;
  for (let f = 0; f < folds; f++) {
    const size = base + (f < extra ? 1 : 0);
    const testIdx = order.slice(start, start + size);
    const trainIdx = order.slice(0, start).concat(order.slice(start + size));
    start += size;
    const trX = new Float64Array(trainIdx.length * dim), trY = new Float64Array(trainIdx.length);
    trainIdx.forEach((src, r) => { trX.set(Xf.subarray(src * dim, src * dim + dim), r * dim); trY[r] = yf[src]; });
    const teX = new Float64Array(size * dim), teY = new Float64Array(size);
    testIdx.forEach((src, r) => { teX.set(Xf.subarray(src * dim, src * dim + dim), r * dim); teY[r] = yf[src]; });
    const pred = knnPredict(trX, trY, trainIdx.length, teX, size, dim, k);
    testIdx.forEach((src, r) => { predictions[src] = pred[r]; });
    foldR2.push(r2Score(teY, pred));
  }
  const r2 = foldR2.reduce((a, b) => a + b, 0) / folds;
  return { r2, foldR2, pooledR2: r2Score(yf, predictions), predictions };
}
