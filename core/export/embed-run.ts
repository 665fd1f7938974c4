import { resolve } from 'node:path';
import { UMAP } from 'umap-js';
import { SilentProgress, type ProgressReporter } from '../di/progress.js';
import type { Logger } from '../di/logger.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import { writeNpy } from '../io/npy.js';
import { writeScatterPanels } from '../io/plots.js';
import type { Registry } from '../registry/registry.js';
import { Rng } from '../tensor/rng.js';
import { loadTrainedRun } from './load-trained-run.js';
import { openApplyData, type ApplyDataOptions } from './apply-data.js';
import { csvField, runNetwork } from './run-network.js';

export interface EmbedOptions extends ApplyDataOptions {
  /** Write the UMAP PNG (default true when there are label columns). */
  umap?: boolean;
  /** UMAP at most this many points (default 2000). */
  umapPoints?: number;
  batch?: number;
  progress?: ProgressReporter;
  logger?: Logger;
}

export interface EmbedResult { npy: string; csv: string; png?: string; n: number; dim: number; labels: string[]; embeddings: Float32Array; ids: string[]; timings: { loadSeconds: number; computeSeconds: number } }

/** `<out>` without its .npy extension, plus `suffix`. */
export function besideOut(out: string, suffix: string): string {
  return resolve(out).replace(/\.npy$/i, '') + suffix;
}

/**
 * `lensforge embed RUN_DIR DATA --out emb.npy`: the run's encoder over every image of DATA:
 * `emb.npy` (float32 [N, D]), `emb.csv` (row, id and label columns) and, when DATA has labels,
 * `emb-umap.png` (UMAP to 2-D, one panel per label). Every file is written atomically.
 */
export async function embedRun(runDir: string, data: string, out: string, registry: Registry, o: EmbedOptions = {}): Promise<EmbedResult> {
  const run = await loadTrainedRun(runDir, registry);
  try {
    const net = run.network('encoder');
    const d = await openApplyData(data, run, registry, o);
    try {
      const { values, dim, loadSeconds, computeSeconds } = runNetwork(net, d, o.progress ?? new SilentProgress(), `embed ${d.count} images`, o.batch);
      const npy = resolve(out);
      writeNpy(npy, values, [d.count, dim]);
      const ids: string[] = [];
      const labels = [...d.labelNames];
      const cols: Record<string, Float32Array> = Object.fromEntries(labels.map((l) => [l, new Float32Array(d.count)]));
      const lines = [['row', 'id', ...labels].map(csvField).join(',')];
      for (let k = 0; k < d.count; k++) {
        const id = d.id(k);
        ids.push(id);
        const lab = labels.length ? d.labels(k) : {};
        for (const l of labels) cols[l][k] = lab[l] ?? NaN;
        lines.push([k, id, ...labels.map((l) => lab[l] ?? NaN)].map(csvField).join(','));
      }
      const csv = besideOut(out, '.csv');
      writeFileAtomic(csv, lines.join('\n') + '\n');
      let png: string | undefined;
      if ((o.umap ?? true) && labels.length && d.count >= 5) {
        png = besideOut(out, '-umap.png');
        await umapPng(png, values, d.count, dim, cols, o.umapPoints ?? 2000, `UMAP of ${run.loaded.config.name} embeddings — ${data}`);
      } else if ((o.umap ?? true) && !labels.length) {
        o.logger?.info('embed: DATA has no label columns, so no UMAP PNG (give labels: --labels FILE, or data.labels in a dataset config)');
      }
      return { npy, csv, png, n: d.count, dim, labels, embeddings: values, ids, timings: { loadSeconds, computeSeconds } };
    } finally { d.close(); }
  } finally { run.dispose(); }
}

/** UMAP (umap-js, seeded) of standardised embeddings to 2-D, one scatter panel per label column. */
async function umapPng(path: string, values: Float32Array, n: number, dim: number, cols: Record<string, Float32Array>, maxPoints: number, title: string): Promise<void> {
  const m = Math.min(n, maxPoints);
  const mean = new Float64Array(dim), sd = new Float64Array(dim);
  for (let i = 0; i < m; i++) for (let j = 0; j < dim; j++) mean[j] += values[i * dim + j] / m;
  for (let i = 0; i < m; i++) for (let j = 0; j < dim; j++) sd[j] += (values[i * dim + j] - mean[j]) ** 2 / m;
  const rows = Array.from({ length: m }, (_, i) => Array.from({ length: dim }, (_, j) => (values[i * dim + j] - mean[j]) / (Math.sqrt(sd[j]) || 1)));
  const r = Rng.fromSeed(0);
  const umap = new UMAP({ nComponents: 2, nNeighbors: Math.min(15, m - 1), minDist: 0.1, nEpochs: 200, random: () => r.random() });
  const emb = await umap.fitAsync(rows);
  const colorBy = Object.fromEntries(Object.entries(cols).map(([k, v]) => [k, v.subarray(0, m)]));
  await writeScatterPanels(path, emb.map((p) => p[0]), emb.map((p) => p[1]), colorBy, { title });
}
