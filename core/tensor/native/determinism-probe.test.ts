import { expect } from 'chai';
import { REDUCE } from './native-addon.js';
import { probeDeterminism } from './determinism-probe.js';
import { requireNative, withSyncAddon } from './native-test-util.js';


/**
 * 3 x L values whose three thread chunks (schedule(static), 3 threads) sum to +B*L, -B*L and 4:
 * partials added in thread order give the exact sum 4; any order that adds the 4 to +-B*L
 * first loses it (B*L = 2^57, whose float spacing is 16) and gives 0.
 */
function cancelling(L: number, inner = 1): Float32Array {
  const x = new Float32Array(3 * L * inner);
  const B = 2 ** 57 / L, s = 4 / L;
  for (let r = 0; r < 3 * L; r++) for (let i = 0; i < inner; i++) x[r * inner + i] = r < L ? B : r < 2 * L ? -B : s;
  return x;
}

describe('native kernels are bit-identical run to run at a fixed thread count', function () {
  before(async function () { await requireNative(this); });

  it('the determinism probe: every kernel case (reductions, batch norm, conv fwd/bwd, matmul, pooling) x 4 runs at 2 threads', async () => {
    const res = await withSyncAddon((addon) => probeDeterminism(addon, 2, 4));
    expect(res.length).to.be.greaterThan(20);
    const bad = res.filter((r) => r.differing > 0).map((r) => `${r.name}: ${r.differing}/${r.repeats - 1} reruns differ (max |diff| ${r.maxAbsDiff})`);
    expect(bad, bad.join('; ')).to.deep.equal([]);
  });

  it('split reductions and batch-norm gradient sums combine per-thread partials in thread order (3 threads, 30 runs)', async () => {
    const L = 65536;
    const got = await withSyncAddon((addon) => {
      const before = addon.info().threads;
      addon.setThreads(3);
      try {
        const seen: Record<string, Set<number>> = { 'Sum inner=1': new Set(), 'Mean inner=2': new Set(), 'batchNormGrad offset': new Set() };
        const x1 = cancelling(L), x2 = cancelling(L / 2, 2);
        const o1 = new Float32Array(1), o2 = new Float32Array(2), dOff = new Float32Array(1);
        const zero = new Float32Array(1), one = Float32Array.of(1);
        for (let run = 0; run < 30; run++) {
          addon.reduce(REDUCE.Sum, x1, o1, 1, 3 * L, 1);
          seen['Sum inner=1'].add(o1[0]);
          addon.reduce(REDUCE.Mean, x2, o2, 1, 3 * L / 2, 2);
          seen['Mean inner=2'].add(o2[1]);
          addon.batchNormGrad(x1, x1, 1, zero, one, null, 0, null, null, null, null, dOff);
          seen['batchNormGrad offset'].add(dOff[0]);
        }
        return Object.fromEntries(Object.entries(seen).map(([k, v]) => [k, [...v].sort()]));
      } finally {
        addon.setThreads(before);
      }
    });
    expect(got).to.deep.equal({ 'Sum inner=1': [4], 'Mean inner=2': [Math.fround(4 * (1 / (3 * L / 2)))], 'batchNormGrad offset': [4] });
  });
});
