import { expect } from 'chai';
import { Rng, loadReferenceFixture } from '../../../core/index.js';
import { kaiserSquiresForward, kaiserSquiresInverse } from './kaiser-squires.js';

interface Grid { shape: number[]; data: number[] }
interface KsFixture {
  N: number; kappa: Grid; gamma1: Grid; gamma2: Grid; kE: Grid; kB: Grid;
  kappa_mean: number; kE_minus_kappa_demeaned_maxabs: number;
}
// core/testing/fixtures/kaiser_squires.json: lenspack KS93 + numpy, outputs rounded to 7 significant digits.
const fx = loadReferenceFixture<KsFixture>('kaiser_squires.json');

/** |actual - expected| <= rel·|expected| + abs, elementwise; returns the largest difference. */
function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rel: number, abs: number): number {
  expect(actual.length).to.equal(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const d = Math.abs(actual[i] - expected[i]);
    worst = Math.max(worst, d);
    expect(d).to.be.at.most(rel * Math.abs(expected[i]) + abs, `index ${i}: ${actual[i]} vs ${expected[i]}`);
  }
  return worst;
}

function maxAbs(x: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]));
  return m;
}

describe('plugins/mass-mapping numerics: Kaiser-Squires', () => {
  it('forward model reproduces the fixture shear (lenspack ks93inv conventions)', () => {
    const { gamma1, gamma2 } = kaiserSquiresForward(fx.kappa.data, fx.N);
    expectClose(gamma1, fx.gamma1.data, 1e-6, 1e-12);
    expectClose(gamma2, fx.gamma2.data, 1e-6, 1e-12);
  });

  it('inversion reproduces the fixture E and B modes (lenspack ks93)', () => {
    // From the stored (7-digit) shear: its rounding (up to 5e-8 for |γ| ~ 0.1) propagates.
    const fromStored = kaiserSquiresInverse(fx.gamma1.data, fx.gamma2.data, fx.N);
    expectClose(fromStored.kappaE, fx.kE.data, 1e-6, 1e-7);
    expectClose(fromStored.kappaB, fx.kB.data, 0, 1e-7);
    // From the full-precision shear of our forward model (what lenspack inverted): 7-digit parity.
    const shear = kaiserSquiresForward(fx.kappa.data, fx.N);
    const { kappaE, kappaB } = kaiserSquiresInverse(shear.gamma1, shear.gamma2, fx.N);
    expectClose(kappaE, fx.kE.data, 1e-6, 1e-12);
    expect(maxAbs(kappaB)).to.be.below(1e-15);          // fixture: kB_maxabs = 3.7e-17
  });

  it('inverse(forward(κ)) = κ - mean(κ): to 1e-6 for even n (Nyquist modes), to 1e-13 for odd n', () => {
    const { gamma1, gamma2 } = kaiserSquiresForward(fx.kappa.data, fx.N);
    const { kappaE, kappaB } = kaiserSquiresInverse(gamma1, gamma2, fx.N);
    const mean = fx.kappa.data.reduce((s, v) => s + v, 0) / fx.kappa.data.length;
    expect(mean).to.be.closeTo(fx.kappa_mean, 1e-7);
    const worst = expectClose(kappaE, fx.kappa.data.map((v) => v - mean), 0, 1e-6);
    expect(worst).to.be.closeTo(fx.kE_minus_kappa_demeaned_maxabs, 2e-8); // lenspack: 6.264701e-07
    expect(maxAbs(kappaB)).to.be.below(1e-15);

    const n = 45;
    const rng = Rng.fromSeed(17);
    const kappa = Float64Array.from({ length: n * n }, () => rng.normal(0.1, 0.05));
    const shear = kaiserSquiresForward(kappa, n);
    const back = kaiserSquiresInverse(shear.gamma1, shear.gamma2, n);
    const m = kappa.reduce((s, v) => s + v, 0) / kappa.length;
    expectClose(back.kappaE, Array.from(kappa, (v) => v - m), 0, 1e-13);
    expect(maxAbs(back.kappaB)).to.be.below(1e-14);
  });

  it('a pure B-mode shear (γ rotated by 45°) inverts to κ_E ≈ 0 and κ_B = κ - mean', () => {
    const n = 31;
    const rng = Rng.fromSeed(5);
    const kappa = Float64Array.from({ length: n * n }, () => rng.normal());
    const { gamma1, gamma2 } = kaiserSquiresForward(kappa, n);
    // Rotating every shear by 45° multiplies γ by exp(2i·45°) = i, (γ1, γ2) → (-γ2, γ1): E becomes B.
    const rotated = kaiserSquiresInverse(gamma2.map((v) => -v), gamma1, n);
    const m = kappa.reduce((s, v) => s + v, 0) / kappa.length;
    expect(maxAbs(rotated.kappaE)).to.be.below(1e-12);
    expectClose(rotated.kappaB, Array.from(kappa, (v) => v - m), 0, 1e-12);
  });

  it('rejects wrong sizes with the field named', () => {
    expect(() => kaiserSquiresForward([1, 2, 3], 2)).to.throw('kappa: expected length 4, got length 3');
    expect(() => kaiserSquiresInverse([1, 2, 3, 4], [1, 2, 3, NaN], 2)).to.throw('gamma2[3]: expected a finite number, got NaN');
    expect(() => kaiserSquiresForward([1], 0.5)).to.throw('n: expected an integer >= 1, got 0.5');
  });
});
