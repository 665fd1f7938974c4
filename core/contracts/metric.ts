import type { Rng } from '../tensor/rng.js';

/** Artefacts a method hands to metrics. Each metric states which fields it requires. */
export interface EvalContext {
  /** Frozen embeddings of a held-out labelled set: n rows of `dim` features. */
  embeddings?: { features: Float32Array; n: number; dim: number; labels: Record<string, Float32Array> };
  /** Regression results. */
  predictions?: { yTrue: Float32Array; yPred: Float32Array; name: string };
  /** Anything else a method produces (generated maps, posterior samples ...). */
  extra?: Record<string, unknown>;
  /** Where a metric may write figures (a run's plots folder). */
  plotDir?: string;
  /** A label for figures (e.g. the bench variant). */
  tag?: string;
  rng: Rng;
}

export type MetricValues = Record<string, number>;

export interface Metric {
  /** Fields of EvalContext this metric needs; a method lacking one is a configuration error. */
  readonly requires: readonly (keyof EvalContext)[];
  evaluate(ctx: EvalContext): Promise<MetricValues>;
}
