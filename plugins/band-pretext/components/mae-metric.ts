import { component, inject, TOKENS, z, type EvalContext, type Metric, type MetricValues } from '../../../core/index.js';
import { absErrorStats } from '../metrics/abs-error-stats.js';

export const MaeMetricOptions = z.strictObject({});

/**
 * Mean absolute error of regression predictions, the paper's "MAE" (Liang et al. 2021, §3.2,
 * Table 1): mean |y - ŷ| in the units of the target (richness lambda). Reports `mae_<name>`.
 */
@component({ kind: 'metric', name: 'band-pretext/mae', description: 'mean absolute error of predictions (Liang et al. 2021 Table 1 "MAE")', options: MaeMetricOptions })
export class MaeMetric implements Metric {
  readonly requires = ['predictions'] as const;
  constructor(@inject(TOKENS.Options) private readonly opts: z.output<typeof MaeMetricOptions>) {}

  async evaluate(ctx: EvalContext): Promise<MetricValues> {
    const p = ctx.predictions;
    if (!p) throw new Error('band-pretext/mae: predictions: expected regression predictions from the method, got none');
    return { [`mae_${p.name}`]: absErrorStats(p.yTrue, p.yPred).mae };
  }
}
