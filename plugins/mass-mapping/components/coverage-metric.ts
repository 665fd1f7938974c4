import { component, inject, TOKENS, type EvalContext, type Metric, type MetricValues } from '../../../core/index.js';
import { coverage } from '../metrics/map-metrics.js';
import { readMassMapResults, selectEstimators } from '../metrics/mass-map-results.js';
import { MapMetricOptions, type MapMetricOptionsT } from '../metrics/metric-options.js';

/**
 * Calibration of a posterior: the fraction of all held-out pixels whose true κ lies within
 * ±1σ and ±2σ of the posterior mean (ideal 0.683 and 0.954 for a Gaussian posterior). Only
 * estimators with a posterior std are scored; outputs `coverage1_<estimator>`, `coverage2_<estimator>`.
 */
@component({ kind: 'metric', name: 'mass-mapping/coverage', description: 'fraction of pixels whose truth lies within ±1σ and ±2σ of the posterior mean', options: MapMetricOptions })
export class MassMapCoverage implements Metric {
  readonly requires = ['extra'] as const;
  constructor(@inject(TOKENS.Options) private readonly opts: MapMetricOptionsT) {}
  async evaluate(ctx: EvalContext): Promise<MetricValues> {
    const r = readMassMapResults(ctx, 'mass-mapping/coverage');
    const out: MetricValues = {};
    const names = selectEstimators(r, this.opts.estimators, 'mass-mapping/coverage').filter((e) => r.estimates[e].std);
    for (const e of names) {
      const { maps, std } = r.estimates[e];
      for (const k of [1, 2]) {
        let s = 0;
        for (let i = 0; i < r.truth.length; i++) s += coverage(r.truth[i], maps[i], std![i], k);
        out[`coverage${k}_${e}`] = r.truth.length ? s / r.truth.length : NaN;
      }
    }
    return out;
  }
}
