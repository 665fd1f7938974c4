import type * as tf from '@tensorflow/tfjs';
import { LensforgeError } from '../errors.js';
import type { EvalContext, MetricValues } from '../contracts/metric.js';
import type { NamedMetric, RunMetrics } from '../contracts/method.js';
import type { TrainConfig } from '../experiment/config-schema.js';
import type { Logger } from '../di/logger.js';
import type { ProgressReporter } from '../di/progress.js';
import type { RunDir } from '../io/run-dir.js';
import type { ComponentFactory } from '../registry/component-factory.js';
import type { ComponentSpec } from '../registry/component-spec.js';
import type { Rng } from '../tensor/rng.js';
import type { ScheduledOptimizer } from './scheduled-optimizer.js';
import type { OptimizerComponent, ScheduleComponent } from './training-contracts.js';
import { runTrainingLoop, type TrainingHistory, type TrainingLoopOptions } from './training-loop.js';

/** A method's default optimizer (and schedule) of one network, used when the config names none. */
export interface NetworkDefaults {
  optimizer: string | ComponentSpec;
  /** Default `core/cosine`. */
  schedule?: string | ComponentSpec;
}

/** An optimizer and schedule a method takes from its own options (e.g. a fine-tuning phase's). */
export interface OwnOptimizerSpec {
  optimizer: string | ComponentSpec;
  /** The config path of `optimizer`, e.g. `model.method.downstream.optimizer`. */
  path: string;
  schedule?: string | ComponentSpec;
  schedulePath?: string;
}

export interface TrainingServiceDeps {
  factory: ComponentFactory;
  train: TrainConfig;
  runDir: RunDir;
  logger: Logger;
  progress: ProgressReporter;
  resume: boolean;
  tag: string;
  metrics: NamedMetric[];
  rng: Rng;
  /** The method's name, for messages (`simsiam/simsiam`). */
  method: string;
}

/**
 * The core's training layer, one per run, handed to the method as `ctx.training`:
 * - `optimizers({ generator: {...defaults}, discriminator: ... }, batchSize)` builds each
 *   network's optimizer and schedule from `train.optimizers.<network>` / `train.optimizer`
 *   (`train.schedules.<network>` / `train.schedule`), else the method's defaults; `scaleLrByBatch`
 *   is applied by the optimizer component.
 * - `run({...})` runs a phase: the shared loop (`runTrainingLoop`) with schedules, tensor scopes,
 *   checkpoints of all state, exact resume, metrics.jsonl, NaN stop, validation and early stopping.
 * - `evaluate(evalCtx)` evaluates the configured metrics, checking each metric's `requires`.
 */
export class TrainingService {
  private checked = false;

  constructor(private readonly d: TrainingServiceDeps) {}

  get train(): TrainConfig { return this.d.train; }

  /**
   * The optimizers of the networks a method trains from `train`, by network name. Every key of
   * `train.optimizers` / `train.schedules` must be one of these names (a method trains all its
   * `train`-configured networks in one call).
   */
  optimizers<N extends string>(networks: Record<N, NetworkDefaults>, batchSize: number): Record<N, ScheduledOptimizer> {
    const names = Object.keys(networks) as N[];
    if (!this.checked) {
      this.checked = true;
      for (const [section, map] of [['optimizers', this.d.train.optimizers], ['schedules', this.d.train.schedules]] as const) {
        for (const k of Object.keys(map)) {
          if (!(names as string[]).includes(k)) {
            throw new LensforgeError(`train.${section}.${k}: ${this.d.method} has no network "${k}"; expected one of ${names.join(', ')}`);
          }
        }
      }
    }
    const out = {} as Record<N, ScheduledOptimizer>;
    for (const name of names) {
      const def = networks[name];
      const own = this.d.train.optimizers[name];
      const opt: Source = own ? { spec: own, path: `train.optimizers.${name}` }
        : this.d.train.optimizer ? { spec: this.d.train.optimizer, path: 'train.optimizer' }
          : { spec: def.optimizer, path: 'train.optimizer', note: `${this.d.method}'s default for ${name}` };
      const ownS = this.d.train.schedules[name];
      const sch: Source = ownS ? { spec: ownS, path: `train.schedules.${name}` }
        : this.d.train.schedule ? { spec: this.d.train.schedule, path: 'train.schedule' }
          : { spec: def.schedule ?? 'core/cosine', path: 'train.schedule', note: `${this.d.method}'s default for ${name}` };
      out[name] = this.build(name, opt, sch, batchSize);
    }
    return out;
  }

  /** One network's optimizer from the method's own options (a phase with its own optimizer, e.g. fine-tuning). */
  optimizer(network: string, own: OwnOptimizerSpec, batchSize: number): ScheduledOptimizer {
    const schedule: Source = { spec: own.schedule ?? 'core/cosine', path: own.schedulePath ?? own.path, note: own.schedulePath ? undefined : 'schedule' };
    return this.build(network, { spec: own.optimizer, path: own.path }, schedule, batchSize);
  }

  private build(network: string, opt: Source, sch: Source, batchSize: number): ScheduledOptimizer {
    const comp = this.d.factory.create<OptimizerComponent>('optimizer', opt.spec, opt.path);
    const schedule = this.d.factory.create<ScheduleComponent>('schedule', sch.spec, sch.path);
    return { network, optimizer: comp.create(batchSize), baseLr: comp.baseLr(batchSize), schedule, path: described(opt), schedulePath: described(sch) };
  }

  /** Run one training phase through the shared loop (see `TrainingLoopOptions`). */
  run(o: Omit<TrainingLoopOptions, 'ctx'>): Promise<TrainingHistory> {
    return runTrainingLoop({ ...o, ctx: this.d });
  }

  /**
   * Evaluate the configured metrics on what the method produced. A metric that requires a field
   * the method did not provide is an error naming the metric, the field and `missing[field]`
   * (why it is absent, e.g. "only with downstream enabled"). Each metric gets its own stream
   * (`rngName(path)`, default the metric's config path); values are recorded in metrics.jsonl
   * (phase `evaluate`) unless `record` is false.
   */
  async evaluate(evalCtx: Omit<EvalContext, 'rng'>, o: { missing?: Partial<Record<keyof EvalContext, string>>; rngName?: (path: string) => string; record?: boolean } = {}): Promise<RunMetrics> {
    const out: RunMetrics = {};
    for (const m of this.d.metrics) {
      for (const need of m.metric.requires) {
        if ((evalCtx as Partial<EvalContext>)[need] === undefined) {
          throw new LensforgeError(`${m.path}: ${m.name} needs ${String(need)}, which ${this.d.method} ${o.missing?.[need] ?? 'does not provide'}`);
        }
      }
      const vals: MetricValues = await m.metric.evaluate({ ...evalCtx, rng: this.d.rng.derive(o.rngName ? o.rngName(m.path) : m.path) });
      Object.assign(out, vals);
      if (o.record !== false) this.d.runDir.record({ phase: 'evaluate', metric: m.name, ...vals });
    }
    return out;
  }
}

/** Where an optimizer or schedule spec came from: its config path and, for a method default, a note. */
interface Source { spec: unknown; path: string; note?: string }

const described = (s: Source): string => (s.note ? `${s.path} (${s.note})` : s.path);

/** Dispose models and optimizers in reverse order, ignoring ones already disposed (a model inside another). */
export function disposeAll(items: Array<{ dispose(): void } | tf.LayersModel | undefined>): void {
  for (const d of items.slice().reverse()) {
    try { d?.dispose(); } catch { /* already disposed */ }
  }
}

