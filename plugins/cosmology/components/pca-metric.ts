import { join } from 'node:path';
import { component, inject, TOKENS, writeVegaLitePng, z, type EvalContext, type Metric, type MetricValues } from '../../../core/index.js';
import { pca } from '../../../core/index.js';
import { figureName, readMapExtra } from '../metrics/map-eval-extra.js';

export const PcaOptions = z.strictObject({
  plot: z.boolean().default(true).describe('write plots/pca.png (first two components)'),
});
type Options = z.output<typeof PcaOptions>;

/**
 * PCA of generated and validation maps together (the paper's §5.3 PCA metric): the maps of
 * EvalContext.extra.generatedMaps and validationMaps are the rows of one matrix (pixels as
 * features), core `pca` (sklearn-compatible, centred) gives the first two components, and both
 * sets are projected on them. Reports `pca_explainedRatio1`, `pca_explainedRatio2`, and
 * `pca_centroidDistance`: the distance between the two sets' mean projections in units of the
 * pooled standard deviation along (PC1, PC2) (0 = same centre), and `pca_spreadRatio`: the
 * generated set's RMS spread in that plane over the validation set's (1 = same spread; ≪ 1
 * suggests mode collapse). Writes plots/pca.png (or pca-epoch-E.png for intermediate epochs).
 */
@component({ kind: 'metric', name: 'cosmology/pca', description: 'PCA of generated + validation maps; PNG of the first two components', options: PcaOptions })
export class PcaMetric implements Metric {
  readonly requires = ['extra'] as const;
  constructor(@inject(TOKENS.Options) private readonly opts: Options) {}

  async evaluate(ctx: EvalContext): Promise<MetricValues> {
    const extra = readMapExtra(ctx, 'cosmology/pca');
    const gen = extra.generatedMaps, val = extra.validationMaps;
    const d = extra.mapSize * extra.mapSize;
    const rows = gen.length + val.length;
    const X = new Float64Array(rows * d);
    [...gen, ...val].forEach((m, i) => X.set(m, i * d));
    const fit = pca(X, rows, d, 2);
    const proj = fit.transform(X);
    const stats = (from: number, to: number) => {
      let cx = 0, cy = 0;
      for (let i = from; i < to; i++) { cx += proj[2 * i]; cy += proj[2 * i + 1]; }
      cx /= to - from; cy /= to - from;
      let s = 0;
      for (let i = from; i < to; i++) s += (proj[2 * i] - cx) ** 2 + (proj[2 * i + 1] - cy) ** 2;
      return { cx, cy, rms: Math.sqrt(s / (to - from)) };
    };
    const g = stats(0, gen.length), v = stats(gen.length, rows);
    const pooled = Math.sqrt((fit.explainedVariance[0] + fit.explainedVariance[1]) / 2);
    if (this.opts.plot && ctx.plotDir) {
      const values = Array.from({ length: rows }, (_, i) => ({ pc1: proj[2 * i], pc2: proj[2 * i + 1], set: i < gen.length ? 'generated' : 'validation' }));
      await writeVegaLitePng(join(ctx.plotDir, figureName('pca', extra)), {
        $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
        title: `${ctx.tag ? `${ctx.tag}: ` : ''}PCA of maps${extra.epoch !== undefined ? ` (epoch ${extra.epoch + 1})` : ''}`,
        width: 320, height: 320, data: { values }, mark: { type: 'circle', size: 20, opacity: 0.7 },
        encoding: {
          x: { field: 'pc1', type: 'quantitative', title: `PC1 (${(100 * fit.explainedVarianceRatio[0]).toFixed(1)} %)`, scale: { zero: false } },
          y: { field: 'pc2', type: 'quantitative', title: `PC2 (${(100 * fit.explainedVarianceRatio[1]).toFixed(1)} %)`, scale: { zero: false } },
          color: { field: 'set', type: 'nominal', title: null },
        },
      });
    }
    return {
      pca_explainedRatio1: fit.explainedVarianceRatio[0],
      pca_explainedRatio2: fit.explainedVarianceRatio[1],
      pca_centroidDistance: Math.hypot(g.cx - v.cx, g.cy - v.cy) / (pooled || 1),
      pca_spreadRatio: v.rms > 0 ? g.rms / v.rms : NaN,
    };
  }
}
