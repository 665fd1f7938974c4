import { z } from 'zod';

import { componentRef, type ComponentSpec } from '../registry/component-spec.js';

/**
 * The optimizer form of configs written before optimizers were components:
 * `{ name: sgd | adam, lr, momentum, weightDecay, beta1, beta2, scaleLrByBatch }` (any object without `use`). It is read as
 * `core/sgd` / `core/adam` with that form's defaults (lr 0.03, momentum 0.9, coupled weight
 * decay 1e-4 on every variable, β 0.9/0.999), so old configs train exactly as before.
 */
export const LegacyOptimizerSchema = z.strictObject({
  name: z.enum(['sgd', 'adam']).default('sgd'),
  lr: z.number().positive().default(0.03),
  momentum: z.number().min(0).lt(1).default(0.9),
  weightDecay: z.number().min(0).default(1e-4),
  beta1: z.number().min(0).lt(1).default(0.9),
  beta2: z.number().min(0).lt(1).default(0.999),
  scaleLrByBatch: z.boolean().default(false),
});

export function legacyOptimizerSpec(o: z.output<typeof LegacyOptimizerSchema>): ComponentSpec {
  return o.name === 'sgd'
    ? { use: 'core/sgd', lr: o.lr, momentum: o.momentum, weightDecay: o.weightDecay, scaleLrByBatch: o.scaleLrByBatch }
    : { use: 'core/adam', lr: o.lr, beta1: o.beta1, beta2: o.beta2, weightDecay: o.weightDecay, scaleLrByBatch: o.scaleLrByBatch };
}

/** An object without `use` is the legacy form (its `name` defaults to sgd, as it did). */
const isLegacy = (v: unknown): boolean => !!v && typeof v === 'object' && !Array.isArray(v) && !('use' in v);

/** An optimizer component (`{ use: core/sgd, lr: ... }` or a name), or the legacy `{ name: sgd | adam, ... }` form. */
export const OptimizerRefSchema = z.union([
  z.custom<Record<string, unknown>>(isLegacy).pipe(LegacyOptimizerSchema).transform(legacyOptimizerSpec),
  // (guarded, so a legacy object's field errors are the ones reported)
  z.custom<unknown>((v) => !isLegacy(v)).pipe(componentRef('optimizer')),
]).describe('an optimizer component: { use: core/sgd | core/adam | core/adamw | core/rmsprop | <plugin>/<name>, ...options }');

/** A schedule component (`core/cosine`, `{ use: core/warmup, epochs: 1 }`); the legacy names `cosine` and `constant` are read as `core/cosine` / `core/constant`. */
export const ScheduleRefSchema = z.preprocess(
  (v) => (v === 'cosine' ? 'core/cosine' : v === 'constant' ? 'core/constant' : v),
  componentRef('schedule'),
).describe('a schedule component: core/constant | core/cosine | core/step | core/warmup | <plugin>/<name>');

/** Stop a phase when a validation metric stops improving (the method must validate in that phase). */
export const EarlyStoppingSchema = z.strictObject({
  metric: z.string().min(1).describe('the validation metric watched (a key of the phase\'s validation record)'),
  mode: z.enum(['min', 'max']).describe('min: lower is better (a loss, MAE); max: higher is better (R²)'),
  patience: z.number().int().min(1).default(5).describe('validations without improvement before stopping'),
  minDelta: z.number().min(0).default(0).describe('smallest change that counts as an improvement'),
  restoreBest: z.boolean().default(true).describe('end the phase with the weights of the best validation'),
});

export const TrainSchema = z.strictObject({
  epochs: z.number().int().min(0).default(10),
  batchSize: z.number().int().min(1).default(32),
  /** Training samples per epoch drawn from the simulator (or the dataset size). */
  trainSize: z.number().int().min(1).default(1024),
  /** The optimizer of every network without its own entry in `optimizers` (default: the method's). */
  optimizer: OptimizerRefSchema.optional(),
  /** Per-network optimizers, by the method's network names (e.g. `generator`, `discriminator`). */
  optimizers: z.record(z.string().min(1), OptimizerRefSchema).default({}),
  /** The learning-rate schedule of every network without its own entry in `schedules` (default: the method's). */
  schedule: ScheduleRefSchema.optional(),
  schedules: z.record(z.string().min(1), ScheduleRefSchema).default({}),
  earlyStopping: EarlyStoppingSchema.optional(),
  /** Save a checkpoint every N epochs (the last epoch is always saved). */
  checkpointEvery: z.number().int().min(1).default(1),
});

export type TrainConfig = z.output<typeof TrainSchema>;
export type EarlyStoppingConfig = z.output<typeof EarlyStoppingSchema>;

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
  /**
   * A small hyper-parameter search inside every cell (variant x seed): each combination of
   * `vary` runs as a trial of its own, and the cell reports the trial whose validation `metric`
   * is best (`mode`); every variant gets the same search, so the comparison stays fair.
   */
  tune: z.strictObject({
    vary: z.record(z.string(), z.array(z.unknown()).min(1)).refine((v) => Object.keys(v).length > 0, 'expected at least one config path with its values'),
    metric: z.string().min(1).describe('a validation metric of the runs (e.g. val_mae); never a test metric'),
    mode: z.enum(['min', 'max']),
  }).optional(),
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
