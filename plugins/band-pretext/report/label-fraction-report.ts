/**
 * Table 1 and Figure S2 of Liang et al. 2021 from a label-fraction bench: MAE and Sigma of
 * "Base" (pretrain: none) and "Ours" (pretrain: band; "Ours (channel order)" for the
 * channel-order pretext) per percentage of labelled training clusters, mean over seeds
 * (Table 1 shows means; Fig. S2 mean ± std).
 */
import { join } from 'node:path';
import { readJsonFile, writeFileAtomic, writeVegaLitePng } from '../../../core/index.js';

/** One finished run of the bench. */
export interface FractionRun { model: string; fraction: number; seed: number; metrics: Record<string, number> }

/** Mean and sample std (n - 1; 0 for one value) of the finite values. */
export function meanStdOf(xs: number[]): { mean: number; std: number; n: number } {
  const v = xs.filter(Number.isFinite);
  if (v.length === 0) return { mean: NaN, std: NaN, n: 0 };
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const std = v.length > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1)) : 0;
  return { mean, std, n: v.length };
}

/** Display name of a pretext task: 'none' -> Base, 'band' -> Ours. */
export function modelName(pretrain: string): string {
  return pretrain === 'none' ? 'Base' : pretrain === 'band' ? 'Ours' : `Ours (${pretrain})`;
}

/** The metric key of `runs` starting with `prefix` (e.g. 'mae_' -> 'mae_lambda'). */
export function metricKey(runs: FractionRun[], prefix: string): string {
  for (const r of runs) for (const k of Object.keys(r.metrics)) if (k.startsWith(prefix) && !k.endsWith('_floor')) return k;
  throw new Error(`bench results: expected a metric named ${prefix}<target> (add band-pretext/${prefix.slice(0, -1)} to evaluate), found ${[...new Set(runs.flatMap((r) => Object.keys(r.metrics)))].join(', ') || 'none'}`);
}

const pct = (f: number) => `${+(f * 100).toFixed(2)}%`;
const fmt = (x: number) => (Number.isFinite(x) ? x.toFixed(4) : '–');

/** Aggregated cells: model -> fraction -> metric -> mean/std/n. */
export function aggregate(runs: FractionRun[], keys: string[]): Map<string, Map<number, Record<string, { mean: number; std: number; n: number }>>> {
  const out = new Map<string, Map<number, Record<string, { mean: number; std: number; n: number }>>>();
  const models = [...new Set(runs.map((r) => r.model))].sort((a, b) => (a === 'Base' ? -1 : b === 'Base' ? 1 : a.localeCompare(b)));
  const fractions = [...new Set(runs.map((r) => r.fraction))].sort((a, b) => a - b);
  for (const m of models) {
    const byF = new Map<number, Record<string, { mean: number; std: number; n: number }>>();
    for (const f of fractions) {
      const rs = runs.filter((r) => r.model === m && r.fraction === f);
      if (rs.length) byF.set(f, Object.fromEntries(keys.map((k) => [k, meanStdOf(rs.map((r) => r.metrics[k] ?? NaN))])));
    }
    out.set(m, byF);
  }
  return out;
}

/**
 * Markdown in the paper's Table 1 layout (rows: MAE / Sigma x model, columns: percentage of
 * training data; cells: mean over seeds), followed by the same with ± sample std and the
 * held-out band-classification accuracy of the pre-trained models.
 */
export function labelFractionTable(runs: FractionRun[]): string {
  if (runs.length === 0) throw new Error('bench results: expected at least one finished run, got none');
  const mae = metricKey(runs, 'mae_'), sigma = metricKey(runs, 'sigma_');
  const extra = ['band_acc', 'order_acc'].filter((k) => runs.some((r) => Number.isFinite(r.metrics[k])));
  const floors = [mae, sigma].map((k) => `${k}_floor`).filter((k) => runs.some((r) => Number.isFinite(r.metrics[k])));
  const tuned = [...new Set(runs.flatMap((r) => Object.keys(r.metrics).filter((k) => k.startsWith('tuned_'))))];
  const agg = aggregate(runs, [mae, sigma, ...extra, ...floors, ...tuned]);
  const fractions = [...new Set(runs.map((r) => r.fraction))].sort((a, b) => a - b);
  const header = `| Metric | Model | ${fractions.map(pct).join(' | ')} |\n|---|---|${fractions.map(() => '---').join('|')}|`;
  const rows = (key: string, label: string, cell: (c: { mean: number; std: number; n: number } | undefined) => string) =>
    [...agg.entries()].map(([m, byF], i) => `| ${i === 0 ? label : ''} | ${m} | ${fractions.map((f) => cell(byF.get(f)?.[key])).join(' | ')} |`);
  const meanCell = (c?: { mean: number }) => (c ? fmt(c.mean) : '–');
  const fullCell = (c?: { mean: number; std: number; n: number }) => (c && c.n ? `${fmt(c.mean)} ± ${fmt(c.std)} (${c.n})` : '–');
  const seeds = [...new Set(runs.map((r) => r.seed))].sort((a, b) => a - b);
  // the floor (test clusters predicted by the labelled mean) depends on the data, not the model: one value per seed
  const floorRow = (key: string, label: string) => {
    const cells = fractions.map((f) => {
      const perSeed = seeds.map((sd) => runs.find((r) => r.fraction === f && r.seed === sd && Number.isFinite(r.metrics[key]))?.metrics[key] ?? NaN);
      return fullCell(meanStdOf(perSeed));
    });
    return `| ${label} | predict the labelled mean | ${cells.join(' | ')} |`;
  };
  // Ours against Base: relative change of the seed means, (Ours − Base) / Base
  const change = (key: string, label: string) => [...agg.keys()].filter((m) => m !== 'Base' && agg.has('Base')).map((m) =>
    `| ${label} | ${m} vs Base | ${fractions.map((f) => {
      const o = agg.get(m)?.get(f)?.[key], b0 = agg.get('Base')?.get(f)?.[key];
      return o && b0 && o.n && b0.n ? `${(100 * (o.mean - b0.mean) / b0.mean).toFixed(1)} %` : '–';
    }).join(' | ')} |`);
  const seedsLine = seeds.join(', ');
  const parts = [
    `Table 1 layout (mean over seeds ${seedsLine}; metrics on held-out clusters, ${mae} / ${sigma})`, '',
    header, ...rows(mae, 'MAE', meanCell), ...rows(sigma, 'Sigma', meanCell), '',
    'Mean ± sample std over seeds (number of runs)', '',
    header, ...rows(mae, 'MAE', fullCell), ...(floors.includes(`${mae}_floor`) ? [floorRow(`${mae}_floor`, 'MAE floor')] : []),
    ...rows(sigma, 'Sigma', fullCell), ...(floors.includes(`${sigma}_floor`) ? [floorRow(`${sigma}_floor`, 'Sigma floor')] : []),
    ...(agg.has('Base') && agg.size > 1 ? ['', 'Relative change of the means, (Ours − Base) / Base (negative: Ours better)', '', header, ...change(mae, 'MAE'), ...change(sigma, 'Sigma')] : []),
  ];
  for (const k of tuned) {
    parts.push('', `Chosen ${k.slice(6)} per cell (bench.tune, by validation), mean over seeds`, '', header,
      ...[...agg.entries()].map(([m, byF]) => `| ${k.slice(6)} | ${m} | ${fractions.map((f) => { const c = byF.get(f)?.[k]; return c && c.n ? c.mean.toPrecision(3) : '–'; }).join(' | ')} |`));
  }
  for (const k of extra) {
    const rs = runs.filter((r) => Number.isFinite(r.metrics[k]));
    const s = meanStdOf(rs.map((r) => r.metrics[k]));
    parts.push('', `Held-out pretext accuracy ${k}: ${fmt(s.mean)} ± ${fmt(s.std)} over ${s.n} runs (chance: ${k === 'band_acc' ? '0.2' : '1/120'})`);
  }
  return parts.join('\n') + '\n';
}

/** Figure S2: mean ± std of MAE and Sigma against the percentage of training data, per model. */
export async function writeFigureS2(path: string, runs: FractionRun[]): Promise<void> {
  const mae = metricKey(runs, 'mae_'), sigma = metricKey(runs, 'sigma_');
  const agg = aggregate(runs, [mae, sigma]);
  const values: Array<Record<string, unknown>> = [];
  for (const [model, byF] of agg) for (const [f, cell] of byF) {
    for (const [key, label] of [[mae, 'MAE'], [sigma, 'Sigma']] as const) {
      const c = cell[key];
      if (c.n) values.push({ model, metric: label, pct: f * 100, mean: c.mean, lo: c.mean - c.std, hi: c.mean + c.std });
    }
  }
  const panel = (metric: string) => ({
    title: metric, width: 300, height: 220,
    transform: [{ filter: `datum.metric === '${metric}'` }],
    layer: [
      { mark: { type: 'line', point: true }, encoding: {
        x: { field: 'pct', type: 'quantitative', title: 'percentage of training data (%)', scale: { type: 'log' } },
        y: { field: 'mean', type: 'quantitative', title: metric, scale: { zero: false } },
        color: { field: 'model', type: 'nominal', title: null } } },
      { mark: { type: 'errorbar', ticks: true }, encoding: {
        x: { field: 'pct', type: 'quantitative', title: 'percentage of training data (%)', scale: { type: 'log' } },
        y: { field: 'lo', type: 'quantitative', title: metric }, y2: { field: 'hi' },
        color: { field: 'model', type: 'nominal' } } },
    ],
  });
  await writeVegaLitePng(path, {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'Base vs Ours: mean ± std over seeds (Liang et al. 2021, Fig. S2)',
    data: { values }, hconcat: [panel('MAE'), panel('Sigma')],
  });
}

/** Runs of a finished (or partial) bench directory: summary.json rows + each run's resolved method options. */
export function readBenchRuns(benchDir: string): FractionRun[] {
  const summary = readJsonFile(join(benchDir, 'summary.json'), 'bench summary') as { runs?: Array<{ seed: number; metrics: Record<string, number>; runDir: string }> };
  if (!Array.isArray(summary.runs)) throw new Error(`${join(benchDir, 'summary.json')}: runs: expected the rows of a lensforge bench, got ${typeof summary.runs}`);
  return summary.runs.map((r) => {
    const cfg = readJsonFile(join(r.runDir, 'config.resolved.json'), 'resolved config') as { model?: { method?: { use?: string; pretrain?: string; labelFraction?: number } } };
    const m = cfg.model?.method;
    if (m?.use !== 'band-pretext/richness' || typeof m.labelFraction !== 'number' || typeof m.pretrain !== 'string') {
      throw new Error(`${r.runDir}: model.method: expected band-pretext/richness with pretrain and labelFraction, got ${JSON.stringify(m)}`);
    }
    return { model: modelName(m.pretrain), fraction: m.labelFraction, seed: r.seed, metrics: r.metrics };
  });
}

/** Write table1.md and figure-s2.png for the bench in `benchDir` into `outDir`; returns the table. */
export async function writeLabelFractionReport(benchDir: string, outDir = benchDir): Promise<string> {
  const runs = readBenchRuns(benchDir);
  const table = labelFractionTable(runs);
  writeFileAtomic(join(outDir, 'table1.md'), table);
  await writeFigureS2(join(outDir, 'figure-s2.png'), runs);
  return table;
}
