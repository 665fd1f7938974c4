import type { Rng } from '../tensor/rng.js';
import type { Logger } from '../di/logger.js';
import type { ProgressReporter } from '../di/progress.js';
import type { RunDir } from '../io/run-dir.js';
import type { Augmenter } from './augmenter.js';
import type { Encoder } from './encoder.js';
import type { LossBase } from './loss.js';
import type { Metric } from './metric.js';
import type { Simulator } from './simulator.js';
import type { TrainConfig } from '../experiment/config-schema.js';
import type { TrainingService } from '../training/training-service.js';

export interface NamedMetric { name: string; path: string; metric: Metric }

/** Everything a method needs to train and evaluate, built by the composer from the config. */
export interface MethodContext {
  data: Simulator;
  augment?: Augmenter;
  encoder?: Encoder;
  loss?: LossBase;
  metrics: NamedMetric[];
  train: TrainConfig;
  runDir: RunDir;
  rng: Rng;
  logger: Logger;
  progress: ProgressReporter;
  /** True when continuing an interrupted run from its last checkpoint. */
  resume: boolean;
  /** A label for figures (the bench variant name, or the config name). */
  tag: string;
  /** The core's training layer: optimizers and schedules from the config, the shared loop, metric evaluation. */
  training: TrainingService;
}

/**
 * Final metrics of a run: numbers only (they go to summary.json `metrics` and bench tables).
 * Deterministic: the same config, seed and backend give bit-identical values.
 */
export type RunMetrics = Record<string, number>;

/**
 * Wall-clock measurements of a run (ms per step, seconds per sample, ...): numbers that differ
 * from one run to the next. They go to summary.json `timings` and to the bench tables' own
 * `timings.*` columns after the metrics, never into `metrics`.
 */
export type RunTimings = Record<string, number>;

/** What a method returns: its deterministic metrics and, apart from them, its timings. */
export interface MethodResult {
  metrics: RunMetrics;
  timings?: RunTimings;
}

/** The trainer that ties data, model, losses and metrics together. */
export interface Method {
  /**
   * Train and evaluate. Return `{ metrics, timings }`: `metrics` must be a pure function of the
   * config, seed and backend (nothing measured with a clock: no `Date.now()`/`performance.now()`
   * in them); every timing goes to `timings`. A plain `RunMetrics` object is accepted as
   * `{ metrics }` (a method without timings). Per-epoch records in metrics.jsonl are a log and
   * may carry timings (`seconds`, `msPerStep` of the training loop).
   */
  run(ctx: MethodContext): Promise<MethodResult | RunMetrics>;
}

/** `{ metrics, timings }` of a method's return value (a plain metrics object has no timings). */
export function methodResult(r: MethodResult | RunMetrics): Required<MethodResult> {
  const m = (r as { metrics?: unknown }).metrics;
  if (m !== null && typeof m === 'object') {
    const mr = r as MethodResult;
    return { metrics: mr.metrics, timings: mr.timings ?? {} };
  }
  return { metrics: r as RunMetrics, timings: {} };
}
