import { expect } from 'chai';
import { pca } from './pca.js';
import { Rng } from '../tensor/rng.js';
import { symmetricEigen } from './symmetric-eigen.js';

// Reference values: sklearn 1.2.1 PCA(n_components, svd_solver='full') (Debian python3-sklearn);
// inputs from numpy.random.default_rng(3), rounded to 3 decimals.
const X1 = [4.037, -1.535, -0.474, -0.227, -0.007, -0.099, -2.128, -0.768, -0.346, 0.618, 0.346, -0.24, -0.303, -0.267, -0.267, -0.802, 0.287, -0.022, 0.383, -0.088, 0.03, 1.558, 0.845, -0.202, 0.072, 1.181, 2.205, 0.392, -0.097, 0.147, -1.764, -0.735, 0.53, 0.232, 0.195, 1.173, -2.493, -0.134, -0.384, -0.129, 0.556, 0.839, -0.101, -0.431, -0.084, 0.006, 1.379, 0.945, 0.078, 0.372, -0.433, -1.029, 0.131, 0.233, 0.074, -1.516, -0.162, -1.677, 0.276, -0.401]; // 12 x 5
const comp1 = [0.6726008640808455, -0.7136498273546887, -0.17429700587926508, -0.08903649999704999, -0.002248769468289993, 0.7295457175151246, 0.6407514783015797, 0.22817256847405148, -0.07145095360643738, 0.005712209237009569, 0.05239867514857669, 0.2740392548165774, -0.9252985589731957, 0.017166371600695285, -0.2562903784976005];
const var1 = [2.669672831898632, 2.0206343775267848, 0.39139297620300256];
const ratio1 = [0.5146243248557676, 0.38951125017650096, 0.07544757684353125];
const mean1 = [0.22624999999999998, -0.1711666666666667, -0.05300000000000001, -0.06266666666666665, 0.04183333333333333];
const tr1 = [3.6245336848870386, 1.8216402943611316, 0.22517958070639707, 1.3262840409804642, -1.630736360793335, -0.044233126257710115]; // transform(X1[0:2])
const X2 = [-1.639, 0.061, -0.964, 0.757, -2.034, -0.914, 0.71, 1.156, -2.158, -0.498, 0.328, -0.609, 1.591, -1.191, 0.355, -1.048, 1.406, -0.022, -0.372, -1.718, 1.682, 0.753, 0.754, 1.138, 0.349, -0.639, -0.8, -0.8, 1.37, -1.46, -0.596, -0.321, 0.225, 0.575, -1.249, -1.73, -0.004, 1.214, 0.757, 0.216, -0.317, 0.293, -0.243, 0.817, -0.794, 0.134, -0.111, 0.543, 0.225, 2.55, 1.499, 1.497, -2.04, -0.34, -0.609, 0.533, -2.279, 1.174, 1.067, -1.302]; // 6 x 10 (d > n: Gram path)
const comp2 = [0.5482888437895718, 0.2449569002474035, -0.0743206306427063, -0.05639019885499233, 0.2709831996027404, 0.18092701309077455, -0.43130278884923207, -0.14366671251812713, 0.4595129044139832, -0.3266362538364199, 0.09670382951250239, -0.23137358205851674, 0.5710982105488814, -0.1931837816410404, 0.28926966334071946, -0.23895155093290393, 0.397622446215603, -0.2658189825478152, -0.030204531398784706, -0.4507671888514197, 0.08617638169350794, -0.08682767711967809, 0.38479280380578273, 0.24478497758535167, 0.1938254037990072, -0.0019881482843470966, 0.05012225298902501, -0.2237897275617792, 0.41091171414173466, 0.7197462327062374, 0.11544660900855307, -0.009818869051015422, -0.05463023551878556, -0.6847041731894223, 0.28076142837214957, 0.5211310930055438, 0.166583682257891, 0.038153833323017874, -0.21678555989287784, 0.29692589973679834];
const var2 = [5.210226098990314, 3.9616412190973107, 2.170885160740983, 0.7445963219326505];
const ratio2 = [0.4106800787936314, 0.31226420832797835, 0.17111335898413368, 0.058690519442142444];
const tr2 = [-2.9177253861773313, -0.7041272887786523, -1.747971107234412, -0.38664597201439144, -0.3720298901637163, 3.2855427733146607, -0.39636053713599123, 0.9637155332598363, 2.4866573268753767, 1.2346857313781214, 0.813160970402155, -0.9290363701374873]; // transform(X2[0:3])

/** Flip each k-row of `rows` (width d) so its largest-magnitude entry is positive; returns the signs. */
function canonicalSigns(rows: number[], k: number, d: number): number[] {
  const signs: number[] = [];
  for (let c = 0; c < k; c++) {
    let best = 0;
    for (let j = 1; j < d; j++) if (Math.abs(rows[c * d + j]) > Math.abs(rows[c * d + best])) best = j;
    signs.push(rows[c * d + best] < 0 ? -1 : 1);
  }
  return signs;
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number): void {
  expect(actual.length).to.equal(expected.length);
  for (let i = 0; i < expected.length; i++) expect(actual[i]).to.be.closeTo(expected[i], tol, `index ${i}`);
}

function checkAgainstSklearn(X: number[], n: number, d: number, k: number, comp: number[], variance: number[],
  ratio: number[], tr: number[], rowsTransformed: number): void {
  const res = pca(X, n, d, k);
  const signs = canonicalSigns(comp, k, d);           // sklearn 1.2 flips by U; we flip by the axis
  expectClose(res.components, comp.map((v, i) => v * signs[Math.floor(i / d)]), 1e-10);
  expectClose(res.explainedVariance, variance, 1e-12);
  expectClose(res.explainedVarianceRatio, ratio, 1e-13);
  expectClose(res.transform(X.slice(0, rowsTransformed * d)), tr.map((v, i) => v * signs[i % k]), 1e-10);
}

describe('core/stats pca', () => {
  it('matches sklearn PCA on the covariance path (d <= n)', () => {
    checkAgainstSklearn(X1, 12, 5, 3, comp1, var1, ratio1, tr1, 2);
    expectClose(pca(X1, 12, 5, 3).mean, mean1, 1e-15);
  });

  it('matches sklearn PCA on the Gram path (d > n)', () => {
    checkAgainstSklearn(X2, 6, 10, 4, comp2, var2, ratio2, tr2, 3);
  });

  it('both paths agree, and the components are orthonormal, also when k = n exceeds the rank', () => {
    // 6 samples in 10-D: centred rank is 5, so the 6th axis has zero variance and is completed.
    const res = pca(new Float32Array(X2), 6, 10, 6);
    for (let a = 0; a < 6; a++) {
      for (let b = 0; b < 6; b++) {
        let dot = 0;
        for (let j = 0; j < 10; j++) dot += res.components[a * 10 + j] * res.components[b * 10 + j];
        expect(dot).to.be.closeTo(a === b ? 1 : 0, 1e-10);
      }
    }
    expect(res.explainedVariance[5]).to.equal(0);
    // The same data through both paths: X1 (12 x 5, covariance path) and X1 with 20 zero
    // columns appended (12 x 25, Gram path) must give the same variances and axes.
    const padded: number[] = [];
    for (let i = 0; i < 12; i++) padded.push(...X1.slice(i * 5, i * 5 + 5), ...new Array(20).fill(0));
    const a = pca(X1, 12, 5, 3), b = pca(padded, 12, 25, 3);
    expectClose(b.explainedVariance, a.explainedVariance, 1e-12);
    for (let c = 0; c < 3; c++) expectClose(b.components.subarray(c * 25, c * 25 + 5), a.components.subarray(c * 5, c * 5 + 5), 1e-10);
  });

  it('rejects bad shapes with the field named', () => {
    expect(() => pca(X1, 12, 5, 6)).to.throw('k: expected an integer in [1, 5], got 6');
    expect(() => pca(X1, 11, 5, 2)).to.throw('data: expected length 55, got length 60');
    expect(() => pca(X1, 1, 60, 1)).to.throw('n: expected an integer >= 2, got 1');
    expect(() => pca(X1, 12, 5, 2).transform([1, 2, 3])).to.throw('x: expected a length that is a multiple of d=5, got 3');
  });
});

describe('core/stats symmetricEigen', () => {
  it('decomposes a symmetric matrix: A v = λ v, orthonormal rows, descending order', () => {
    const p = 40;
    const rng = Rng.fromSeed(11);
    const A = new Float64Array(p * p);
    for (let i = 0; i < p; i++) for (let j = 0; j <= i; j++) { const v = rng.normal(); A[i * p + j] = v; A[j * p + i] = v; }
    const { values, vectors } = symmetricEigen(A, p);
    for (let k = 0; k < p; k++) {
      if (k > 0) expect(values[k]).to.be.at.most(values[k - 1]);
      for (let i = 0; i < p; i++) {
        let av = 0;
        for (let j = 0; j < p; j++) av += A[i * p + j] * vectors[k * p + j];
        expect(av).to.be.closeTo(values[k] * vectors[k * p + i], 1e-12);
      }
      for (let l = 0; l <= k; l++) {
        let dot = 0;
        for (let j = 0; j < p; j++) dot += vectors[k * p + j] * vectors[l * p + j];
        expect(dot).to.be.closeTo(k === l ? 1 : 0, 1e-13);
      }
    }
    let trace = 0, sum = 0;
    for (let i = 0; i < p; i++) { trace += A[i * p + i]; sum += values[i]; }
    expect(sum).to.be.closeTo(trace, 1e-12);
  });

  it('matches numpy.linalg.eigh on a small matrix with a repeated eigenvalue', () => {
    // numpy.linalg.eigh([[2,1,0],[1,2,0],[0,0,3]]) -> eigenvalues [1, 3, 3]
    const { values, vectors } = symmetricEigen(Float64Array.from([2, 1, 0, 1, 2, 0, 0, 0, 3]), 3);
    expectClose(values, [3, 3, 1], 1e-15);
    expect(Math.abs(vectors[6] + vectors[7])).to.be.below(1e-15);   // λ = 1: (1, -1, 0)/√2
    expect(Math.abs(vectors[6])).to.be.closeTo(Math.SQRT1_2, 1e-15);
  });
});
