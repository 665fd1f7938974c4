import { join } from 'node:path';
import { component, inject, TOKENS, writeVegaLitePng, z, type EvalContext, type Metric, type MetricValues } from '../../../core/index.js';
import { radialPowerSpectrum } from '../../../core/index.js';
import { figureName, readMapExtra } from '../metrics/map-eval-extra.js';

export const PowerSpectrumOptions = z.strictObject({
  kMin: z.number().int().min(1).default(2).describe('first integer wavenumber compared (cycles per map side)'),
  kMax: z.number().int().min(1).nullable().default(null).describe('last wavenumber compared; null = floor(N/4)'),
  binning: z.enum(['round', 'floor']).default('round').describe('radial binning of |k| (core radialPowerSpectrum)'),
  plot: z.boolean().default(true).describe('write plots/power-spectrum.png'),
});
type Options = z.output<typeof PowerSpectrumOptions>;

/** Mean azimuthally averaged power spectrum of a set of n × n maps (core radialPowerSpectrum, numpy conventions). */
export function meanPowerSpectrum(maps: readonly Float32Array[], n: number, binning: 'round' | 'floor'): Float64Array {
  const acc = new Float64Array(Math.floor(n / 2) + 1);
  for (const m of maps) {
    const ps = radialPowerSpectrum(m, n, { binning });
    for (let b = 0; b < acc.length; b++) acc[b] += ps.power[b] / maps.length;
  }
  return acc;
}

/**
 * Power-spectrum agreement of generated and validation maps (the paper's §5.3; CosmoGAN):
 * P(k) of every map by core `radialPowerSpectrum` (P2D = |FFT|²/N², integer |k| bins), averaged
 * over the maps of each set (EvalContext.extra.generatedMaps / validationMaps); per-bin relative
 * error |P_gen(k) − P_val(k)| / P_val(k) for k = kMin..kMax (default 2..⌊N/4⌋). Reports
 * `ps_meanAbsRelErr`, `ps_maxAbsRelErr` (fractions, 0.15 = 15 %), `ps_kMin`, `ps_kMax`.
 * Writes plots/power-spectrum.png (log-log, both spectra).
 */
@component({ kind: 'metric', name: 'cosmology/power-spectrum', description: 'mean |relative error| of the radial power spectrum, generated vs validation', options: PowerSpectrumOptions })
export class PowerSpectrumMetric implements Metric {
  readonly requires = ['extra'] as const;
  constructor(@inject(TOKENS.Options) private readonly opts: Options) {}

  async evaluate(ctx: EvalContext): Promise<MetricValues> {
    const extra = readMapExtra(ctx, 'cosmology/power-spectrum');
    const n = extra.mapSize;
    const kMax = this.opts.kMax ?? Math.floor(n / 4);
    const kMin = this.opts.kMin;
    if (kMax > Math.floor(n / 2) || kMax < kMin) {
      throw new Error(`cosmology/power-spectrum: kMax: expected an integer in [kMin=${kMin}, ${Math.floor(n / 2)}] for ${n}x${n} maps, got ${kMax}`);
    }
    const pg = meanPowerSpectrum(extra.generatedMaps, n, this.opts.binning);
    const pv = meanPowerSpectrum(extra.validationMaps, n, this.opts.binning);
    let sum = 0, max = 0;
    for (let k = kMin; k <= kMax; k++) {
      const e = Math.abs(pg[k] - pv[k]) / pv[k];
      sum += e;
      if (e > max) max = e;
    }
    if (this.opts.plot && ctx.plotDir) {
      const values = [];
      for (let k = 1; k < pv.length; k++) {
        values.push({ k, P: pv[k], set: 'validation' }, { k, P: pg[k], set: 'generated' });
      }
      await writeVegaLitePng(join(ctx.plotDir, figureName('power-spectrum', extra)), {
        $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
        title: `${ctx.tag ? `${ctx.tag}: ` : ''}power spectrum (mean |ΔP/P| = ${(100 * sum / (kMax - kMin + 1)).toFixed(1)} % for k=${kMin}..${kMax})`,
        width: 420, height: 260, data: { values: values.filter((v) => v.P > 0 && Number.isFinite(v.P)) },
        mark: { type: 'line', point: true },
        encoding: {
          x: { field: 'k', type: 'quantitative', title: 'k (cycles per map)', scale: { type: 'log' } },
          y: { field: 'P', type: 'quantitative', title: 'P(k)', scale: { type: 'log' } },
          color: { field: 'set', type: 'nominal', title: null },
        },
      });
    }
    return { ps_meanAbsRelErr: sum / (kMax - kMin + 1), ps_maxAbsRelErr: max, ps_kMin: kMin, ps_kMax: kMax };
  }
}
