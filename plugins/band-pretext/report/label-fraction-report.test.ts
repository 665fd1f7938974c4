import { expect } from 'chai';
import { labelFractionTable, meanStdOf, metricKey, modelName, type FractionRun } from './label-fraction-report.js';

describe('band-pretext label-fraction report (Table 1 layout)', () => {
  const runs: FractionRun[] = [
    { model: 'Base', fraction: 0.01, seed: 1, metrics: { mae_lambda: 10, sigma_lambda: 6 } },
    { model: 'Base', fraction: 0.01, seed: 2, metrics: { mae_lambda: 12, sigma_lambda: 8 } },
    { model: 'Ours', fraction: 0.01, seed: 1, metrics: { mae_lambda: 5, sigma_lambda: 3, band_acc: 0.9 } },
    { model: 'Ours', fraction: 0.01, seed: 2, metrics: { mae_lambda: 7, sigma_lambda: 4, band_acc: 0.8 } },
    { model: 'Ours', fraction: 1, seed: 1, metrics: { mae_lambda: 2, sigma_lambda: 1, band_acc: 0.9 } },
  ];

  it('puts MAE and Sigma rows per model and fraction columns with means over seeds', () => {
    const t = labelFractionTable(runs);
    const lines = t.split('\n');
    expect(lines[2]).to.equal('| Metric | Model | 1% | 100% |');
    expect(lines[4]).to.equal('| MAE | Base | 11.0000 | – |');
    expect(lines[5]).to.equal('|  | Ours | 6.0000 | 2.0000 |');
    expect(lines[6]).to.equal('| Sigma | Base | 7.0000 | – |');
    expect(lines[7]).to.equal('|  | Ours | 3.5000 | 1.0000 |');
    // mean ± sample std: MAE Base = 11 ± sqrt(2) = 1.4142
    expect(t).to.contain('| MAE | Base | 11.0000 ± 1.4142 (2) | – |');
    expect(t).to.contain('Held-out pretext accuracy band_acc: 0.8667 ± 0.0577 over 3 runs');
  });

  it('adds the floor (one value per seed), the relative change Ours vs Base and the tuned learning rate', () => {
    const withFloor: FractionRun[] = [
      { model: 'Base', fraction: 1, seed: 1, metrics: { mae_lambda_floor: 20, mae_lambda: 10, sigma_lambda: 6, sigma_lambda_floor: 12, tuned_lr: 0.001 } },
      { model: 'Base', fraction: 1, seed: 2, metrics: { mae_lambda_floor: 22, mae_lambda: 12, sigma_lambda: 8, sigma_lambda_floor: 12, tuned_lr: 0.003 } },
      { model: 'Ours', fraction: 1, seed: 1, metrics: { mae_lambda_floor: 20, mae_lambda: 9, sigma_lambda: 6, sigma_lambda_floor: 12, tuned_lr: 0.001 } },
      { model: 'Ours', fraction: 1, seed: 2, metrics: { mae_lambda_floor: 22, mae_lambda: 9, sigma_lambda: 6, sigma_lambda_floor: 12, tuned_lr: 0.001 } },
    ];
    const t = labelFractionTable(withFloor);
    expect(t).to.contain('| MAE | Base | 11.0000 |');
    expect(t).to.contain('| MAE floor | predict the labelled mean | 21.0000 ± 1.4142 (2) |');
    expect(t).to.contain('| Sigma floor | predict the labelled mean | 12.0000 ± 0.0000 (2) |');
    // (9 − 11) / 11 = −18.2 %; (6 − 7) / 7 = −14.3 %
    expect(t).to.contain('| MAE | Ours vs Base | -18.2 % |');
    expect(t).to.contain('| Sigma | Ours vs Base | -14.3 % |');
    expect(t).to.contain('| lr | Base | 0.00200 |');
  });

  it('names models and finds metric keys; rejects results without MAE', () => {
    expect([modelName('none'), modelName('band'), modelName('channel-order')]).to.deep.equal(['Base', 'Ours', 'Ours (channel-order)']);
    expect(metricKey(runs, 'sigma_')).to.equal('sigma_lambda');
    expect(meanStdOf([1, 2, 3, NaN])).to.deep.equal({ mean: 2, std: 1, n: 3 });
    expect(() => labelFractionTable([{ model: 'Base', fraction: 1, seed: 1, metrics: { x: 1 } }])).to.throw('bench results: expected a metric named mae_<target>');
  });
});
