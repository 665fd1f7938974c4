/** Statistics for evaluating models: scores, tests, PCA and representation probes (float64). */
export { type NumericArray, toFloat64 } from './numeric-input.js';
export { r2Score } from './r2-score.js';
export { pearson, type PearsonResult } from './pearson.js';
export { ksTwoSample, ksTwoSampleExactPValue, type KsMethod, type KsTwoSampleResult } from './ks-two-sample.js';
export { kolmogorovNSf } from './kolmogorov-finite-n.js';
export { kolmogorovSf } from './kolmogorov-limit.js';
export { smirnovSf } from './smirnov.js';
export { logGamma, regularizedIncompleteBeta } from './special-functions.js';
export { symmetricEigen, type SymmetricEigenResult } from './symmetric-eigen.js';
export { pca, type PcaResult } from './pca.js';
export { knnRegression, knnR2CrossValidated, type KnnCrossValidationResult, type ShuffleSource } from './knn-regression.js';
export { linearProbe, ridgeR2, type LinearProbe } from './ridge-regression.js';
