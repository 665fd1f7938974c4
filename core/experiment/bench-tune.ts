import { LensforgeError } from '../errors.js';
import type { BenchConfig } from './config-schema.js';
import type { BenchTrial } from './bench-plan.js';

type BenchTune = NonNullable<BenchConfig['tune']>;

/** A finished run of a bench (the fields the selection needs). */
export interface TrialRun {
  variant: string;
  seed: number;
  trial?: string;
  metrics: Record<string, number>;
  runDir: string;
}

/** One trial of one cell, as recorded in summary.json and tuning.csv. */
export interface TrialRecord { variant: string; seed: number; trial: string; value: number; chosen: boolean; runDir: string }

/** The metric column that names a tuned path's chosen value: `tuned_lr` for `train.optimizer.lr` (the full path when two end alike). */
export function tunedColumns(tune: BenchTune): Array<{ path: string; column: string }> {
  const paths = Object.keys(tune.vary);
  const last = (p: string) => p.slice(p.lastIndexOf('.') + 1);
  return paths.map((p) => ({ path: p, column: `tuned_${paths.filter((q) => last(q) === last(p)).length > 1 ? p : last(p)}` }));
}

/**
 * The bench's rows with `bench.tune`: for every cell (variant x seed) the trial whose validation
 * metric is best, its metrics extended by the chosen value of every tuned path (`tuned_lr`; the
 * index of the value when it is not a number). A trial whose metric is not finite (a diverged
 * run) loses to any finite one; a cell whose trials all lack a finite value keeps its first.
 * Test metrics are never looked at, so the choice cannot leak the test set.
 * @throws LensforgeError naming `bench.tune.metric`, the run and its metrics when a run does not report the metric at all
 */
export function selectTrials<R extends TrialRun>(rows: readonly R[], tune: BenchTune, trials: readonly BenchTrial[]): { rows: R[]; trials: TrialRecord[] } {
  const cells = new Map<string, R[]>();
  for (const r of rows) {
    if (!(tune.metric in r.metrics)) {
      throw new LensforgeError(`bench.tune.metric: "${tune.metric}" is not a metric of ${r.runDir} (variant "${r.variant}", seed ${r.seed}, trial "${r.trial ?? ''}"; ` +
        `it reports ${Object.keys(r.metrics).sort().join(', ') || 'none'}); expected a validation metric every run reports (e.g. val_mae with a validation split)`);
    }
    const k = `${r.variant}\u0000${r.seed}`;
    const list = cells.get(k);
    if (list) list.push(r); else cells.set(k, [r]);
  }
  const better = (a: number, b: number) => (tune.mode === 'min' ? a < b : a > b);
  const columns = tunedColumns(tune);
  const out: R[] = [];
  const records: TrialRecord[] = [];
  for (const list of cells.values()) {
    let best = list[0];
    for (const r of list.slice(1)) {
      const v = r.metrics[tune.metric], b = best.metrics[tune.metric];
      if (Number.isFinite(v) && (!Number.isFinite(b) || better(v, b))) best = r;
    }
    const trial = trials.find((t) => t.name === best.trial);
    const chosen: Record<string, number> = {};
    for (const { path, column } of columns) {
      const v = trial?.set[path];
      chosen[column] = typeof v === 'number' ? v : tune.vary[path].findIndex((x) => JSON.stringify(x) === JSON.stringify(v));
    }
    out.push({ ...best, metrics: { ...best.metrics, ...chosen } });
    for (const r of list) records.push({ variant: r.variant, seed: r.seed, trial: r.trial ?? '', value: r.metrics[tune.metric], chosen: r === best, runDir: r.runDir });
  }
  return { rows: out, trials: records };
}
