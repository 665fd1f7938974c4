import { component, z, type EvalContext, type Metric, type MetricValues } from 'lensforge';

/** Mean squared error of regression predictions. */
@component({ kind: 'metric', name: 'example/mse', description: 'mean squared error of predictions (tutorial plugin)', options: z.strictObject({}) })
export class MseMetric implements Metric {
  readonly requires = ['predictions'] as const;
  async evaluate(ctx: EvalContext): Promise<MetricValues> {
    const p = ctx.predictions;
    if (!p) throw new Error('example/mse needs predictions');
    let s = 0;
    for (let i = 0; i < p.yTrue.length; i++) s += (p.yTrue[i] - p.yPred[i]) ** 2;
    return { [`mse_${p.name}`]: s / p.yTrue.length };
  }
}
