import { expect } from 'chai';
import { RADIAL_BUCKET_BITS, RADIAL_EXP_MIN, radialBucketWidth, radialNodeR2, RadialLookup, type RadialFunction } from './radial-lookup.js';

/** Bucket of r2, as the kernels compute it from the bits of r2. */
function bucketOf(r2: number): number {
  const e = Math.floor(Math.log2(r2));
  const j = Math.floor((r2 / Math.pow(2, e) - 1) * (1 << RADIAL_BUCKET_BITS));
  return ((e + 1023 - RADIAL_EXP_MIN) << RADIAL_BUCKET_BITS) | j;
}

describe('lensing/radial lookup (lazy cubic Hermite table)', () => {
  it('reproduces a cubic exactly and a smooth profile to h^4 accuracy', () => {
    const lookup = new RadialLookup();
    const cubic: RadialFunction = { evaluate: (r2, out) => { out[0] = 1 + 2 * r2 - r2 * r2 * r2; out[1] = 2 - 3 * r2 * r2; } };
    const smooth: RadialFunction = { evaluate: (r2, out) => { out[0] = Math.exp(-Math.sqrt(r2)); out[1] = -out[0] / (2 * Math.sqrt(r2)); } };
    for (const [fn, tol] of [[cubic, 1e-12], [smooth, 1e-9]] as const) {
      const gen = lookup.begin();
      for (const r2 of [1e-6, 0.013, 0.5, 0.99, 1.7, 42.3]) {
        const b = bucketOf(r2);
        expect(radialNodeR2(b)).to.be.at.most(r2);
        expect(radialNodeR2(b + 1)).to.be.greaterThan(r2);
        expect(radialNodeR2(b + 1) - radialNodeR2(b)).to.be.closeTo(radialBucketWidth(b), 1e-15 * r2);
        lookup.build(b, gen, fn);
        const tau = (r2 - radialNodeR2(b)) / radialBucketWidth(b);
        const c = lookup.coef.subarray(4 * b, 4 * b + 4);
        const got = c[0] + tau * (c[1] + tau * (c[2] + tau * c[3]));
        const want = new Float64Array(2);
        fn.evaluate(r2, want);
        expect(got, `r2=${r2}`).to.be.closeTo(want[0], tol * Math.max(1, Math.abs(want[0])));
      }
    }
  });

  it('a new generation invalidates previously built buckets', () => {
    const lookup = new RadialLookup();
    const g1 = lookup.begin();
    const b = bucketOf(0.3);
    lookup.build(b, g1, { evaluate: (_r2, out) => { out[0] = 1; out[1] = 0; } });
    expect(lookup.stamp[b]).to.equal(g1);
    const g2 = lookup.begin();
    expect(g2).to.not.equal(g1);
    expect(lookup.stamp[b]).to.not.equal(g2);
  });
});
