import { expect } from 'chai';
import { combineRounds, roundRatios } from './train-bench-rounds.js';

const round = (msMedian: number, extra: Partial<{ msMin: number; msMax: number; cpuMsPerStep: number; foreignCores: number; fwdImagesPerSec: number }> = {}) => ({
  model: 'm', msMedian, msMin: msMedian - 1, msMax: msMedian + 1, cpuMsPerStep: 2 * msMedian, foreignCores: 0.1, steps: 10, ...extra,
});

describe('train-bench rounds', () => {
  it('combines rounds: median of the round medians, min/max over all steps, mean CPU and load, total steps', () => {
    const c = combineRounds([round(100, { foreignCores: 0 }), round(300, { msMin: 50 }), round(120, { msMax: 900, foreignCores: 0.2 })]);
    expect(c.msMedian).to.equal(120);
    expect(c.msMin).to.equal(50);
    expect(c.msMax).to.equal(900);
    expect(c.cpuMsPerStep).to.be.closeTo((200 + 600 + 240) / 3, 1e-9);
    expect(c.foreignCores).to.be.closeTo(0.1, 1e-12);
    expect(c.steps).to.equal(30);
    expect(c.roundMs).to.deep.equal([100, 300, 120]);
    expect(c.model).to.equal('m');
  });

  it('keeps the forward throughput of the rounds that measured it (median)', () => {
    expect(combineRounds([round(1, { fwdImagesPerSec: 40 }), round(2), round(3, { fwdImagesPerSec: 60 })]).fwdImagesPerSec).to.equal(50);
    expect(combineRounds([round(1), round(2)])).to.not.have.property('fwdImagesPerSec');
  });

  it('reports the median of per-round ratios, not the ratio of medians', () => {
    // ours drifts with the machine; PyTorch measured back to back drifts with it
    const r = roundRatios([100, 200, 110], [100, 190, 50]);
    expect(r.ratios.map((x) => +x.toFixed(4))).to.deep.equal([1, 1.0526, 2.2]);
    expect(r.median).to.be.closeTo(200 / 190, 1e-12);
    // the ratio of the medians would have been 110 / 100
  });

  it('refuses unpaired rounds, naming both counts', () => {
    expect(() => roundRatios([1, 2], [1])).to.throw('roundRatios: expected the same number (>= 1) of rounds for ours and PyTorch, got 2 and 1');
    expect(() => roundRatios([], [])).to.throw('got 0 and 0');
    expect(() => combineRounds([])).to.throw('combineRounds: expected at least one round, got none');
  });
});
