import { component, inject, TOKENS, type EvalContext, type Metric, type MetricValues } from '../../../core/index.js';
import { rmse } from '../metrics/map-metrics.js';
import { meanOverMaps, readMassMapResults, selectEstimators } from '../metrics/mass-map-results.js';
import { MapMetricOptions, type MapMetricOptionsT } from '../metrics/metric-options.js';

/**
 * RMSE of reconstructed convergence maps against the truth, averaged over held-out maps
 * (Whitney et al. 2024). Outputs `rmse_<estimator>` (e.g. rmse_gan, rmse_ks), in κ units, and
 * `rmse_floor`, the trivial estimate's: the zero map (κ = 0, the prior mean of the maps), i.e. the
 * maps' rms. An estimator that has learnt anything scores well below it.
 */
@component({ kind: 'metric', name: 'mass-mapping/rmse', description: 'RMSE of reconstructed convergence maps (mean over held-out maps)', options: MapMetricOptions })
export class MassMapRmse implements Metric {
  readonly requires = ['extra'] as const;
  constructor(@inject(TOKENS.Options) private readonly opts: MapMetricOptionsT) {}
  async evaluate(ctx: EvalContext): Promise<MetricValues> {
    const r = readMassMapResults(ctx, 'mass-mapping/rmse');
    const out: MetricValues = {};
    for (const e of selectEstimators(r, this.opts.estimators, 'mass-mapping/rmse')) out[`rmse_${e}`] = meanOverMaps(r.truth, r.estimates[e].maps, rmse);
    out.rmse_floor = meanOverMaps(r.truth, r.truth.map((t) => new Float32Array(t.length)), rmse);
    return out;
  }
}
