import { component, inject, TOKENS, type EvalContext, type Metric, type MetricValues } from '../../../core/index.js';
import { ssim } from '../metrics/map-metrics.js';
import { meanOverMaps, readMassMapResults, selectEstimators } from '../metrics/mass-map-results.js';
import { MapMetricOptions, type MapMetricOptionsT } from '../metrics/metric-options.js';

/**
 * Mean SSIM (skimage defaults: 7x7 uniform window, data range = truth peak-to-peak) of
 * reconstructed maps, averaged over held-out maps. Outputs `ssim_<estimator>`.
 */
@component({ kind: 'metric', name: 'mass-mapping/ssim', description: 'SSIM of reconstructed convergence maps (skimage defaults)', options: MapMetricOptions })
export class MassMapSsim implements Metric {
  readonly requires = ['extra'] as const;
  constructor(@inject(TOKENS.Options) private readonly opts: MapMetricOptionsT) {}
  async evaluate(ctx: EvalContext): Promise<MetricValues> {
    const r = readMassMapResults(ctx, 'mass-mapping/ssim');
    const out: MetricValues = {};
    for (const e of selectEstimators(r, this.opts.estimators, 'mass-mapping/ssim')) out[`ssim_${e}`] = meanOverMaps(r.truth, r.estimates[e].maps, (t, m) => ssim(t, m, r.n));
    return out;
  }
}
