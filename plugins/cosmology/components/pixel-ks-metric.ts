import { join } from 'node:path';
import { component, inject, TOKENS, writeVegaLitePng, z, type EvalContext, type Metric, type MetricValues, type Rng } from '../../../core/index.js';
import { ksTwoSample } from '../../../core/index.js';
import { figureName, readMapExtra } from '../metrics/map-eval-extra.js';

export const PixelKsOptions = z.strictObject({
  prefix: z.string().min(1).default('ks').describe('prefix of the reported keys (two instances with different protocols need different prefixes)'),
  pixelsPerMap: z.union([z.literal('all'), z.number().int().min(1)]).default('all').describe("'all' pixels of every map, or this many pixels drawn at random (without replacement) from each map"),
  method: z.enum(['auto', 'exact', 'asymptotic']).default('auto').describe("p-value: 'auto' = exact when both samples have <= 10000 values (scipy's rule)"),
  histogram: z.boolean().default(true).describe('write a PNG of both pixel histograms'),
  bins: z.number().int().min(4).default(60).describe('histogram bins'),
});
type Options = z.output<typeof PixelKsOptions>;

/** Pixels of `maps`: all of them, or `k` distinct random positions per map (drawn from `rng`). */
export function pooledPixels(maps: readonly Float32Array[], k: number | 'all', rng: Rng): Float64Array {
  if (k === 'all') {
    const out = new Float64Array(maps.reduce((s, m) => s + m.length, 0));
    let o = 0;
    for (const m of maps) { out.set(m, o); o += m.length; }
    return out;
  }
  const out = new Float64Array(maps.length * k);
  maps.forEach((m, mi) => {
    if (k > m.length) throw new Error(`pixelsPerMap: expected at most ${m.length} (pixels per map), got ${k}`);
    // partial Fisher-Yates: k distinct indices
    const idx = Int32Array.from({ length: m.length }, (_, i) => i);
    for (let i = 0; i < k; i++) {
      const j = rng.int(i, m.length);
      const t = idx[i]; idx[i] = idx[j]; idx[j] = t;
      out[mi * k + i] = m[idx[i]];
    }
  });
  return out;
}

/**
 * Pixel-intensity comparison of generated and validation maps by the two-sample
 * Kolmogorov-Smirnov test (core `ksTwoSample`, matching scipy.stats.ks_2samp). Protocol: the
 * pixels of all generated maps in EvalContext.extra.generatedMaps are pooled into one sample and
 * those of extra.validationMaps into the other — every pixel (`pixelsPerMap: 'all'`) or k random
 * pixels per map. Pixels of one map are correlated, so with all pixels the p-value (which
 * assumes independent draws) is far too small for any visible D; k = 1 per map gives nearly
 * independent draws. Reports `<prefix>_D` (statistic), `<prefix>_pValue`, `<prefix>_exact`
 * (1 exact, 0 asymptotic), `<prefix>_nGenerated`, `<prefix>_nValidation` (pixels per sample),
 * `<prefix>_maps` (generated maps used). Writes plots/pixel-histogram.png (log counts).
 */
@component({ kind: 'metric', name: 'cosmology/pixel-ks', description: 'two-sample KS test of pixel intensities, generated vs validation maps', options: PixelKsOptions })
export class PixelKsMetric implements Metric {
  readonly requires = ['extra'] as const;
  constructor(@inject(TOKENS.Options) private readonly opts: Options) {}

  async evaluate(ctx: EvalContext): Promise<MetricValues> {
    const extra = readMapExtra(ctx, 'cosmology/pixel-ks');
    const a = pooledPixels(extra.generatedMaps, this.opts.pixelsPerMap, ctx.rng.derive('generated'));
    const b = pooledPixels(extra.validationMaps, this.opts.pixelsPerMap, ctx.rng.derive('validation'));
    const ks = ksTwoSample(a, b, { method: this.opts.method });
    const p = this.opts.prefix;
    if (this.opts.histogram && ctx.plotDir) await this.plot(join(ctx.plotDir, figureName(`${p}-pixel-histogram`, extra)), a, b, ks.statistic, ctx.tag);
    return {
      [`${p}_D`]: ks.statistic, [`${p}_pValue`]: ks.pValue, [`${p}_exact`]: ks.method === 'exact' ? 1 : 0,
      [`${p}_nGenerated`]: a.length, [`${p}_nValidation`]: b.length, [`${p}_maps`]: extra.generatedMaps.length,
    };
  }

  private async plot(path: string, a: Float64Array, b: Float64Array, d: number, tag?: string): Promise<void> {
    let lo = Infinity, hi = -Infinity;
    for (const x of [a, b]) for (const v of x) { if (v < lo) lo = v; if (v > hi) hi = v; }
    const nb = this.opts.bins, w = (hi - lo) / nb || 1;
    const values: Array<{ x: number; y: number; set: string }> = [];
    for (const [name, x] of [['validation', b], ['generated', a]] as const) {
      const h = new Float64Array(nb);
      for (const v of x) h[Math.min(nb - 1, Math.floor((v - lo) / w))]++;
      h.forEach((c, i) => { if (c > 0) values.push({ x: lo + (i + 0.5) * w, y: c / (x.length * w), set: name }); });
    }
    await writeVegaLitePng(path, {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      title: `${tag ? `${tag}: ` : ''}pixel intensity (KS D = ${d.toFixed(4)})`, width: 420, height: 260,
      data: { values }, mark: { type: 'line', interpolate: 'step-after' },
      encoding: {
        x: { field: 'x', type: 'quantitative', title: 'pixel value' },
        y: { field: 'y', type: 'quantitative', title: 'density', scale: { type: 'log' } },
        color: { field: 'set', type: 'nominal', title: null },
      },
    });
  }
}
