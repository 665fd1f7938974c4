import { component, inject, pearson, TOKENS, type EvalContext, type Metric, type MetricValues } from '../../../core/index.js';
import { meanOverMaps, readMassMapResults, selectEstimators } from '../metrics/mass-map-results.js';
import { MapMetricOptions, type MapMetricOptionsT } from '../metrics/metric-options.js';

/**
 * Pearson correlation (core `pearson`) between each reconstructed map and its true map, averaged
 * over held-out maps (the MMGAN comparison: 0.727 for the GAN vs 0.619 for smoothed KS).
 * Outputs `pearson_<estimator>`.
 */
@component({ kind: 'metric', name: 'mass-mapping/pearson', description: 'Pearson correlation of reconstructed and true convergence maps (mean over maps)', options: MapMetricOptions })
export class MassMapPearson implements Metric {
  readonly requires = ['extra'] as const;
  constructor(@inject(TOKENS.Options) private readonly opts: MapMetricOptionsT) {}
  async evaluate(ctx: EvalContext): Promise<MetricValues> {
    const r = readMassMapResults(ctx, 'mass-mapping/pearson');
    const out: MetricValues = {};
    for (const e of selectEstimators(r, this.opts.estimators, 'mass-mapping/pearson')) {
      out[`pearson_${e}`] = meanOverMaps(r.truth, r.estimates[e].maps, (t, m) => pearson(t, m).r);
    }
    return out;
  }
}
