import { component, inject, TOKENS, z, type EvalContext, type Metric, type MetricValues } from '../../../core/index.js';
import { absErrorStats } from '../metrics/abs-error-stats.js';

export const SigmaMetricOptions = z.strictObject({
  ddof: z.union([z.literal(0), z.literal(1)]).default(1).describe('1: sample std (torch.std default); 0: population std'),
});

/**
 * Intrinsic scatter between true and predicted richness, the paper's "Sigma" (Liang et al.
 * 2021, §3.2, Table 1): the standard deviation of |y - ŷ|. Reports `sigma_<name>`.
 */
@component({ kind: 'metric', name: 'band-pretext/sigma', description: 'std of the absolute errors |y - ŷ| (Liang et al. 2021 Table 1 "Sigma")', options: SigmaMetricOptions })
export class SigmaMetric implements Metric {
  readonly requires = ['predictions'] as const;
  constructor(@inject(TOKENS.Options) private readonly opts: z.output<typeof SigmaMetricOptions>) {}

  async evaluate(ctx: EvalContext): Promise<MetricValues> {
    const p = ctx.predictions;
    if (!p) throw new Error('band-pretext/sigma: predictions: expected regression predictions from the method, got none');
    return { [`sigma_${p.name}`]: absErrorStats(p.yTrue, p.yPred, this.opts.ddof).sigma };
  }
}
