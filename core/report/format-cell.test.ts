import { expect } from 'chai';
import { fixed, formatCell } from './format-cell.js';

const f3 = { digits: 3, percent: false };

describe('report: table cell formatting', () => {
  it('shows mean ± sample std (n - 1) over seeds, rounded to the column digits', () => {
    // numpy: mean 0.9681, std(ddof=1) 0.0036013886
    expect(formatCell([0.9642, 0.9713, 0.9688], f3)).to.deep.equal({ text: '0.968 ± 0.004', mean: 0.9681000000000001 });
    expect(formatCell([0.9642, 0.9713, 0.9688], { digits: 5, percent: false }).text).to.equal('0.96810 ± 0.00360');
    // numpy: mean 13.25, std(ddof=1) 1.0606602
    expect(formatCell([12.5, 14.0], { digits: 0, percent: false }).text).to.equal('13 ± 1');
    expect(formatCell([12.5, 14.0], { digits: 2, percent: false }).text).to.equal('13.25 ± 1.06');
  });

  it('percent columns: 100 x the value, the unit after the mean (numpy: 17.4, 8.6)', () => {
    expect(formatCell([0.174, 0.088, 0.260], { digits: 1, percent: true }).text).to.equal('17.4 % ± 8.6');
    expect(formatCell([0.0695], { digits: 1, percent: true }).text).to.equal('7.0 %');
  });

  it('one seed: the mean alone; no finite value (missing metric, NaN): a dash', () => {
    expect(formatCell([0.9324786], f3).text).to.equal('0.932');
    expect(formatCell([], f3)).to.deep.equal({ text: '–', mean: NaN });
    expect(formatCell([undefined, undefined], f3).text).to.equal('–');
    expect(formatCell([NaN, null], f3).text).to.equal('–');
  });

  it('a metric only some seeds have says how many', () => {
    expect(formatCell([0.5, undefined, 0.7], { digits: 2, percent: false }).text).to.equal('0.60 ± 0.14 (2 of 3 seeds)');
    expect(formatCell([0.5], f3, 3).text).to.equal('0.500 (1 of 3 seeds)');
  });

  it('rounds like toFixed and never shows -0', () => {
    expect(fixed(-0.0004, f3)).to.equal('0.000');
    expect(fixed(-0.0006, f3)).to.equal('-0.001');
    expect(fixed(-0.2, { digits: 0, percent: false })).to.equal('0');
    expect(fixed(0.0625, f3)).to.equal('0.063');
    expect(fixed(0.02346, { digits: 2, percent: true })).to.equal('2.35');
  });
});
