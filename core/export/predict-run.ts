import { resolve } from 'node:path';
import { LensforgeError } from '../errors.js';
import { SilentProgress, type ProgressReporter } from '../di/progress.js';
import { writeFileAtomic, writeJsonAtomic } from '../io/atomic-write.js';
import type { Registry } from '../registry/registry.js';
import { r2Score } from '../stats/r2-score.js';
import { loadTrainedRun } from './load-trained-run.js';
import { openApplyData, type ApplyDataOptions } from './apply-data.js';
import { csvField, runNetwork } from './run-network.js';

export interface PredictOptions extends ApplyDataOptions {
  /** The head to use, by network name (default: every head of the run). */
  head?: string;
  batch?: number;
  progress?: ProgressReporter;
}

/**
 * Regression metrics of one target: R², mean absolute error, scatter, bias, n. `scatter` is the
 * rms of the residuals, or (`scatterDefinition: 'std-abs-error'`, a head's `output.scatter`) the
 * sample standard deviation of |y - ŷ| (Liang et al. 2021's "Sigma").
 */
export interface TargetMetrics { r2: number; mae: number; scatter: number; bias: number; n: number; scatterDefinition: 'rms' | 'std-abs-error' }

export interface PredictResult {
  csv: string;
  metricsFile?: string;
  n: number;
  targets: string[];
  predictions: Record<string, Float32Array>;
  metrics: Record<string, TargetMetrics>;
}

/** R², MAE, scatter (rms of prediction - truth, or the sample std of |prediction - truth|) and bias (mean of it) over the finite pairs. */
export function regressionMetrics(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, scatterDefinition: 'rms' | 'std-abs-error' = 'rms'): TargetMetrics {
  const t: number[] = [], p: number[] = [];
  for (let i = 0; i < yTrue.length; i++) if (Number.isFinite(yTrue[i]) && Number.isFinite(yPred[i])) { t.push(yTrue[i]); p.push(yPred[i]); }
  const n = t.length;
  let mae = 0, bias = 0, sq = 0;
  for (let i = 0; i < n; i++) { const r = p[i] - t[i]; mae += Math.abs(r); bias += r; sq += r * r; }
  let scatter = Math.sqrt(sq / n);
  if (scatterDefinition === 'std-abs-error') {
    const m = mae / n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (Math.abs(p[i] - t[i]) - m) ** 2;
    scatter = n >= 2 ? Math.sqrt(v / (n - 1)) : NaN;
  }
  return { r2: n >= 2 ? r2Score(t, p) : NaN, mae: mae / n, scatter, bias: bias / n, n, scatterDefinition };
}

/**
 * `lensforge predict RUN_DIR DATA --out pred.csv`: the run's downstream head(s) over every image
 * of DATA, in label units (the training's label normalisation undone): `pred.csv` with row, id,
 * one `<target>_pred` column per output and, when DATA has the label, the label beside it; with
 * labels also R², MAE and scatter per target, returned and written to `pred.metrics.json`.
 */
export async function predictRun(runDir: string, data: string, out: string, registry: Registry, o: PredictOptions = {}): Promise<PredictResult> {
  const run = await loadTrainedRun(runDir, registry);
  try {
    const heads = run.networks.filter((n) => n.role === 'head' && n.output.kind === 'prediction' && (!o.head || n.name === o.head));
    if (!heads.length) {
      throw new LensforgeError(`${runDir}: method ${run.methodName} has no ${o.head ? `head named "${o.head}"` : 'prediction head'} (networks: ${run.networks.map((n) => `${n.name} (${n.role})`).join(', ') || 'none'})`);
    }
    const d = await openApplyData(data, run, registry, o);
    try {
      const predictions: Record<string, Float32Array> = {};
      const targets: string[] = [];
      const scatterOf: Record<string, 'rms' | 'std-abs-error'> = {};
      for (const h of heads) {
        const { values, dim } = runNetwork(h, d, o.progress ?? new SilentProgress(), `predict ${h.name}: ${d.count} images`, o.batch);
        const names = h.output.targets ?? Array.from({ length: dim }, (_, j) => `${h.name}_${j}`);
        names.forEach((t, j) => {
          const scale = h.output.scale?.[j] ?? 1, offset = h.output.offset?.[j] ?? 0;
          predictions[t] = Float32Array.from({ length: d.count }, (_, k) => values[k * dim + j] * scale + offset);
          targets.push(t);
          scatterOf[t] = h.output.scatter ?? 'rms';
        });
      }
      const withLabels = targets.filter((t) => d.labelNames.includes(t));
      const truth: Record<string, Float32Array> = Object.fromEntries(withLabels.map((t) => [t, new Float32Array(d.count)]));
      const header = ['row', 'id', ...targets.flatMap((t) => (withLabels.includes(t) ? [`${t}_pred`, t] : [`${t}_pred`]))];
      const lines = [header.map(csvField).join(',')];
      for (let k = 0; k < d.count; k++) {
        const lab = withLabels.length ? d.labels(k) : {};
        for (const t of withLabels) truth[t][k] = lab[t] ?? NaN;
        lines.push([k, d.id(k), ...targets.flatMap((t) => (withLabels.includes(t) ? [predictions[t][k], lab[t] ?? NaN] : [predictions[t][k]]))].map(csvField).join(','));
      }
      const csv = resolve(out);
      writeFileAtomic(csv, lines.join('\n') + '\n');
      const metrics: Record<string, TargetMetrics> = {};
      for (const t of withLabels) metrics[t] = regressionMetrics(truth[t], predictions[t], scatterOf[t]);
      let metricsFile: string | undefined;
      if (withLabels.length) {
        metricsFile = csv.replace(/\.csv$/i, '') + '.metrics.json';
        writeJsonAtomic(metricsFile, { run: run.dir, data, n: d.count, metrics });
      }
      return { csv, metricsFile, n: d.count, targets, predictions, metrics };
    } finally { d.close(); }
  } finally { run.dispose(); }
}
