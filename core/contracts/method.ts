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
}

/** Final metrics of a run: numbers only (they go to summary.json and bench tables). */
export type RunMetrics = Record<string, number>;

/** The trainer that ties data, model, losses and metrics together. */
export interface Method {
  run(ctx: MethodContext): Promise<RunMetrics>;
}
