import { z } from 'zod';

/** Optimizer settings shared by methods. `lr` is the base rate; see `scaleLrByBatch`. */
export const OptimizerSchema = z.strictObject({
  name: z.enum(['sgd', 'adam']).default('sgd'),
  lr: z.number().positive().default(0.03),
  momentum: z.number().min(0).max(1).default(0.9),
  weightDecay: z.number().min(0).default(1e-4),
  beta1: z.number().min(0).max(1).default(0.9),
  beta2: z.number().min(0).max(1).default(0.999),
  /** Use lr x batchSize / 256 (the SimSiam rule). */
  scaleLrByBatch: z.boolean().default(false),
});

export const TrainSchema = z.strictObject({
  epochs: z.number().int().min(0).default(10),
  batchSize: z.number().int().min(1).default(32),
  /** Training samples per epoch drawn from the simulator (or the dataset size). */
  trainSize: z.number().int().min(1).default(1024),
  optimizer: OptimizerSchema.prefault({}),
  schedule: z.enum(['cosine', 'constant']).default('cosine'),
  /** Save a checkpoint every N epochs (the last epoch is always saved). */
  checkpointEvery: z.number().int().min(1).default(1),
});

export type TrainConfig = z.output<typeof TrainSchema>;
export type OptimizerConfig = z.output<typeof OptimizerSchema>;

const Spec = z.unknown();

export const BenchSchema = z.strictObject({
  /**
   * Either a map `{ 'config.path': [alternative, ...] }` (the grid is their product), or a list
   * of named variants `[{ name, set: { 'config.path': value } }]`.
   */
  vary: z.union([
    z.record(z.string(), z.array(z.unknown()).min(1)),
    z.array(z.strictObject({ name: z.string().min(1), set: z.record(z.string(), z.unknown()).default({}) })).min(1),
  ]),
  seeds: z.array(z.number().int()).min(1).default([1]),
  /** Metrics to show in the table (default: all numeric summary metrics). */
  metrics: z.array(z.string()).optional(),
});

export type BenchConfig = z.output<typeof BenchSchema>;

export const SimulateSchema = z.strictObject({
  count: z.number().int().min(1).default(1000),
  shardSize: z.number().int().min(1).default(1000),
  /** Views per sample stored on disk (2 for lens pairs). */
  views: z.number().int().min(1).max(16).default(1),
  split: z.string().default('train'),
  fits: z.boolean().default(false),
  workers: z.union([z.literal('auto'), z.number().int().min(1).max(64)]).default('auto'),
  /** Number of samples drawn in the PNG preview grid (0 = none). */
  plotSamples: z.number().int().min(0).default(16),
});

export type SimulateConfig = z.output<typeof SimulateSchema>;

/** The whole experiment file. Component sections are validated by the registry. */
export const ExperimentSchema = z.strictObject({
  name: z.string().min(1).default('experiment'),
  description: z.string().optional(),
  seed: z.number().int().default(1),
  backend: z.enum(['auto', 'gpu', 'node', 'native', 'wasm', 'cpu']).default('auto'),
  /** Third-party plugins: paths (relative to the config file) or package names. */
  plugins: z.array(z.string().min(1)).default([]),
  data: Spec,
  augment: Spec.optional(),
  model: z.strictObject({ encoder: Spec.optional(), method: Spec }),
  loss: Spec.optional(),
  train: TrainSchema.prefault({}),
  evaluate: z.array(Spec).default([]),
  bench: BenchSchema.optional(),
  simulate: SimulateSchema.optional(),
  /** Where bench cells / simulate shards run: `{ use: local | slurm | ..., ...options }` (validated by the registry). */
  executor: Spec.optional(),
});

export type ExperimentConfig = z.output<typeof ExperimentSchema>;
