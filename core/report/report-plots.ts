import { meanStd } from '../experiment/bench.js';
import type { BenchOutput } from './bench-output.js';
import type { ColumnSpec, TableSpec } from './table-spec.js';

const valueOf = (m: Record<string, number>, t: Record<string, number>, name: string) => {
  const v = m[name] ?? t[name];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
};

/**
 * A vega-lite spec (data inline) for one column of a bench table: every seed's value as a point
 * per variant, the mean as a tick with a ±1 sample-std bar, and each floor as a dashed line.
 * Undefined when no run has a finite value of the column.
 */
export function columnPlotSpec(out: BenchOutput, spec: TableSpec, c: ColumnSpec): Record<string, unknown> | undefined {
  const scale = c.percent ? 100 : 1;
  const label = new Map(spec.rows.map((r) => [r.variant, r.label.replace(/\*\*/g, '')]));
  const points = out.runs.flatMap((r) => {
    const v = valueOf(r.metrics, r.timings, c.metric);
    return v === undefined || !label.has(r.variant) ? [] : [{ variant: label.get(r.variant)!, seed: r.seed, value: v * scale }];
  });
  if (!points.length) return undefined;
  const stats = spec.rows.flatMap((row) => {
    const s = meanStd(points.filter((p) => p.variant === label.get(row.variant)).map((p) => p.value));
    return s.n ? [{ variant: label.get(row.variant)!, mean: s.mean, lo: s.mean - s.std, hi: s.mean + s.std, n: s.n }] : [];
  });
  const floors = spec.floors.flatMap((f) => {
    const name = f.metrics[c.metric];
    const xs = name ? out.runs.map((r) => valueOf(r.metrics, r.timings, name)).filter((v): v is number => v !== undefined) : [];
    return xs.length ? [{ floor: f.label, value: meanStd(xs).mean * scale }] : [];
  });
  const title = `${(c.label ?? c.metric).replace(/\*\*/g, '')}${c.percent ? ' (%)' : ''}`;
  const x = { type: 'quantitative', title, scale: { zero: false } };
  const y = { field: 'variant', type: 'nominal', title: null, axis: { labelLimit: 280 }, sort: spec.rows.map((r) => label.get(r.variant)) };
  const layer: Array<Record<string, unknown>> = [
    { data: { values: stats }, mark: { type: 'rule', strokeWidth: 2, color: '#555' }, encoding: { x: { field: 'lo', ...x }, x2: { field: 'hi' }, y } },
    { data: { values: stats }, mark: { type: 'tick', thickness: 2, color: '#111' }, encoding: { x: { field: 'mean', ...x }, y } },
    { data: { values: points }, mark: { type: 'circle', size: 60, opacity: 0.8 }, encoding: { x: { field: 'value', ...x }, y, color: { field: 'seed', type: 'nominal', title: 'seed' } } },
  ];
  if (floors.length) {
    layer.push({ data: { values: floors }, mark: { type: 'rule', strokeDash: [4, 3], color: '#c00' }, encoding: { x: { field: 'value', ...x } } });
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: floors.length ? { text: title, subtitle: `dashed: ${floors.map((f) => f.floor).join(', ')}` } : title,
    width: 420, height: { step: 28 }, layer,
  };
}
