import { writeFileAtomic } from './atomic-write.js';

/**
 * Charts as PNG through vega-lite → vega → SVG → resvg (no browser, no native canvas).
 * Inline data only; nothing is fetched.
 */
export async function renderVegaLitePng(spec: Record<string, unknown>, zoom = 2): Promise<Buffer> {
  const { Resvg } = await import('@resvg/resvg-js');
  const svg = await renderVegaLiteSvg(spec);
  const png = new Resvg(svg, {
    background: 'white',
    fitTo: { mode: 'zoom', value: zoom },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
  }).render().asPng();
  return Buffer.from(png);
}

/** A vega-lite spec as an SVG document, rendered here by vega (no browser, nothing fetched). */
export async function renderVegaLiteSvg(spec: Record<string, unknown>): Promise<string> {
  const vl = await import('vega-lite');
  const vega = await import('vega');
  const compiled = vl.compile(spec as never).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try { return await view.toSVG(); } finally { view.finalize(); }
}

export async function writeVegaLitePng(path: string, spec: Record<string, unknown>): Promise<void> {
  writeFileAtomic(path, await renderVegaLitePng(spec));
}

export interface LineSeries { name: string; x: number[]; y: number[] }

/** A line chart of one or more series (e.g. loss curves). Non-finite points are dropped. */
export async function writeLinePlot(path: string, series: LineSeries[], opts: { title?: string; xLabel?: string; yLabel?: string; logY?: boolean } = {}): Promise<void> {
  const values = series.flatMap((s) => s.x.map((x, i) => ({ x, y: s.y[i], series: s.name })).filter((p) => Number.isFinite(p.y) && (!opts.logY || p.y > 0)));
  await writeVegaLitePng(path, {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: opts.title ?? '', width: 420, height: 260,
    data: { values },
    mark: { type: 'line', point: values.length < 60 },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: opts.xLabel ?? 'x' },
      y: { field: 'y', type: 'quantitative', title: opts.yLabel ?? 'y', scale: opts.logY ? { type: 'log' } : { zero: false } },
      color: { field: 'series', type: 'nominal', title: null },
    },
  });
}

/** Scatter plots of 2-D points, one panel per colour field (e.g. UMAP coloured by theta_E, e1, gamma). */
export async function writeScatterPanels(path: string, x: ArrayLike<number>, y: ArrayLike<number>, colorBy: Record<string, ArrayLike<number>>, opts: { title?: string } = {}): Promise<void> {
  const fields = Object.keys(colorBy);
  const panels = fields.map((f) => ({
    title: f, width: 260, height: 260,
    data: { values: Array.from({ length: x.length }, (_, i) => ({ x: x[i], y: y[i], c: colorBy[f][i] })) },
    mark: { type: 'circle', size: 12, opacity: 0.8 },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: 'UMAP 1', scale: { zero: false } },
      y: { field: 'y', type: 'quantitative', title: 'UMAP 2', scale: { zero: false } },
      color: { field: 'c', type: 'quantitative', title: f, scale: { scheme: 'viridis' } },
    },
  }));
  await writeVegaLitePng(path, {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: opts.title ?? '', hconcat: panels, resolve: { scale: { color: 'independent' } },
  });
}
