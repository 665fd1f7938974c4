import { component, inject, TOKENS, type EvalContext, type Metric, type MetricValues } from '../../../core/index.js';
import { psnr } from '../metrics/map-metrics.js';
import { meanOverMaps, readMassMapResults, selectEstimators } from '../metrics/mass-map-results.js';
import { MapMetricOptions, type MapMetricOptionsT } from '../metrics/metric-options.js';

/**
 * PSNR in dB of reconstructed maps, data range = peak-to-peak of each true map, averaged over
 * held-out maps. Outputs `psnr_<estimator>`.
 */
@component({ kind: 'metric', name: 'mass-mapping/psnr', description: 'PSNR (dB) of reconstructed convergence maps, range = truth peak-to-peak', options: MapMetricOptions })
export class MassMapPsnr implements Metric {
  readonly requires = ['extra'] as const;
  constructor(@inject(TOKENS.Options) private readonly opts: MapMetricOptionsT) {}
  async evaluate(ctx: EvalContext): Promise<MetricValues> {
    const r = readMassMapResults(ctx, 'mass-mapping/psnr');
    const out: MetricValues = {};
    for (const e of selectEstimators(r, this.opts.estimators, 'mass-mapping/psnr')) out[`psnr_${e}`] = meanOverMaps(r.truth, r.estimates[e].maps, (t, m) => psnr(t, m));
    return out;
  }
}
