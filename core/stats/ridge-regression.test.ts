import { expect } from 'chai';
import { linearProbe, ridgeR2 } from './ridge-regression.js';

// Reference values: sklearn 1.2.1 Ridge(alpha).fit(X, y) (coef_, intercept_, predict) and
// r2_score; inputs from numpy.random.default_rng(3) (after the kNN draws), rounded to 3 decimals.
const Xr = [0.042, -0.135, -0.189, -0.832, -0.189, -2.138, -0.157, -1.198, 1.12, 1.27, -1.951, 0.145, -0.126, -1.047, 0.532, -0.462, -1.768, -0.267, -0.148, 0.106, -1.231, 0.616, 0.735, -1.146, -0.659, -0.08, -0.566, 1.744, 0.208, -1.011, -0.788, -0.057, 2.296, -0.178, 0.127, 0.514, -0.04, 2.281, -0.532, 0.744, 0.16, 0.621, -1.177, 1.768, -0.122, 0.034, -0.935, -0.73, 0.564, 0.986, 0.753, 1.209, 0.714, 0.028, 0.837, 0.594, -0.101, 0.726, 1.286, 0.235]; // 15 x 4
const yr = [3.146, 7.152, 0.985, 5.192, 1.674, 0.877, 2.463, 4.469, 5.789, -1.63, 1.167, 2.64, 2.076, 3.967, 2.131];
const Tr = [-1.534, -0.566, 1.827, -0.894, 1.845, -0.082, 0.995, 0.044, -2.241, -0.573, 0.19, -1.151, -1.347, 0.366, -0.649, -1.696]; // 4 x 4
const ytr = [3.512, 5.506, 2.0, 0.596];
const coefRef = [0.9711221906267115, -1.8509604004734768, 0.42139375185357414, -0.06728886912278977]; // alpha = 0.5
const interceptRef = 3.033715459052734;
const predRef = [3.4217002389316007, 5.393540726450745, 2.075545240542086, 0.888799738784543];
const ridgeR2Ref = 0.9915508383446002;
const Xd = [-0.684, 0.861, -0.474, 0.935, 1.527, 0.033, -1.13, -1.302, -0.026, 0.881, 0.269, 0.547, -0.443, 0.3, -0.471, -0.326, -1.292, -1.572, -0.482, -1.108, -0.959, 0.671, -0.107, 2.914, 0.926, -0.633, 0.778, 0.357, -0.686, 1.103, -0.775, -3.058, 0.794, -0.617, 1.486, -0.65, -1.181, 1.548, -1.075, 0.203]; // 5 x 8 (dim > n: dual path)
const yd = [1.45, 0.114, -0.081, 0.102, 0.839];
const coefdRef = [0.03407324470463968, 0.06559189400646745, 0.21707200465400928, -0.09459607381012985, 0.5773509774013477, 0.1846947415347442, -0.4931527745986034, 0.10390267311656026]; // alpha = 0.3
const interceptdRef = 0.18177189511893022;

describe('core/stats linearProbe (ridge)', () => {
  it('matches sklearn Ridge(alpha=0.5) on the primal path (dim <= n)', () => {
    const probe = linearProbe(Xr, yr, 4, 0.5);
    for (let j = 0; j < 4; j++) expect(probe.weights[j]).to.be.closeTo(coefRef[j], 1e-13);
    expect(probe.intercept).to.be.closeTo(interceptRef, 1e-13);
    const pred = probe.predict(Tr);
    for (let i = 0; i < 4; i++) expect(pred[i]).to.be.closeTo(predRef[i], 1e-13);
    expect(ridgeR2(Xr, yr, Tr, ytr, 4, 0.5)).to.be.closeTo(ridgeR2Ref, 1e-13);
  });

  it('matches sklearn Ridge(alpha=0.3) on the dual path (dim > n)', () => {
    const probe = linearProbe(Float64Array.from(Xd), yd, 8, 0.3);
    for (let j = 0; j < 8; j++) expect(probe.weights[j]).to.be.closeTo(coefdRef[j], 1e-13);
    expect(probe.intercept).to.be.closeTo(interceptdRef, 1e-13);
  });

  it('with alpha = 0 recovers an exact linear relation (ordinary least squares)', () => {
    const X = [0, 0, 1, 0, 0, 1, 1, 1, 2, 1];
    const y = [1, 3, -1, 1, 3];                         // 1 + 2 x0 - 2 x1
    const probe = linearProbe(X, y, 2, 0);
    expect(probe.weights[0]).to.be.closeTo(2, 1e-12);
    expect(probe.weights[1]).to.be.closeTo(-2, 1e-12);
    expect(probe.intercept).to.be.closeTo(1, 1e-12);
  });

  it('rejects bad input with the field named', () => {
    expect(() => linearProbe(Xr, yr, 4, -1)).to.throw('alpha: expected a number >= 0, got -1');
    expect(() => linearProbe([1, 1, 2, 2], [1, 2], 2, 0)).to.throw('alpha: the regularised normal matrix is not positive definite');
    expect(() => linearProbe(Xr, yr.slice(1), 4)).to.throw('trainY: expected length 15, got length 14');
  });
});
