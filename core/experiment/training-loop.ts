import * as tf from '@tensorflow/tfjs';
import { AdamOptimizer } from '../training/adam-optimizer.js';
import { SgdOptimizer } from '../training/sgd-optimizer.js';
import { DivergenceError } from '../errors.js';
import type { MethodContext } from '../contracts/method.js';
import { CheckpointStore, firstNonFinite, type Checkpoint, type SkippedCheckpoint, type StoredTensor } from '../io/checkpoint-store.js';
import { TrainingStateSchema, type TrainingState } from './training-state-schema.js';
import { loadModelTensors, loadOptimizerTensors, modelTensors, optimizerTensors } from '../io/checkpoint-tf.js';
import type { Rng } from '../tensor/rng.js';

export type StepLosses = Record<string, number>;

export interface TrainingLoopOptions {
  ctx: MethodContext;
  /** Phase name (e.g. `pretrain`, `finetune`): checkpoints and metrics records are per phase. */
  phase: string;
  epochs: number;
  stepsPerEpoch: number;
  models: Record<string, tf.LayersModel>;
  optimizers: Record<string, tf.Optimizer>;
  /** Random streams whose state must survive a resume. */
  rngs?: Record<string, Rng>;
  /** One optimisation step; returns its losses (`loss` first). Non-finite values stop training. */
  step(epoch: number, step: number): StepLosses | Promise<StepLosses>;
  /** Extra per-epoch metrics (e.g. a collapse monitor), recorded with the epoch's mean losses. */
  onEpochEnd?(epoch: number, means: StepLosses): Record<string, number> | Promise<Record<string, number>>;
  /** Extra JSON state to save/restore (e.g. beta_SD). */
  saveState?(): Record<string, unknown>;
  loadState?(s: Record<string, unknown>): void;
}

export interface TrainingHistory { epochs: Array<Record<string, number>>; resumedFrom?: number; skipped: boolean }

/**
 * The epoch loop every method shares: progress, per-epoch records in metrics.jsonl, a checkpoint
 * after every `train.checkpointEvery` epochs (models, optimizer slots, RNG states, extra state),
 * resume from the phase's last checkpoint, and a clear stop when a loss becomes NaN or infinite
 * (the last good checkpoint is kept).
 */
export async function runTrainingLoop(o: TrainingLoopOptions): Promise<TrainingHistory> {
  const { ctx, phase } = o;
  const store = new CheckpointStore(ctx.runDir.file('checkpoints', phase), 2, TrainingStateSchema);
  const history: TrainingHistory = { epochs: [], skipped: false };
  let start = 0;
  if (ctx.resume) {
    const found = resumePoint(store, ctx, phase);
    if (found) {
      const { checkpoint: ck, state } = found;
      for (const [name, m] of Object.entries(o.models)) loadModelTensors(m, `model:${name}`, ck.tensors);
      for (const [name, opt] of Object.entries(o.optimizers)) await loadOptimizerTensors(opt, `opt:${name}`, ck.tensors);
      const rs = state.rngs ?? {};
      for (const [name, r] of Object.entries(o.rngs ?? {})) if (rs[name]) r.setState(rs[name]);
      if (state.extra && o.loadState) o.loadState(state.extra);
      start = state.epoch + 1;
      history.resumedFrom = start;
      history.epochs = state.history.slice() as Array<Record<string, number>>;
      const repaired = ctx.runDir.restorePhaseRecords(phase, start, history.epochs);
      if (repaired) ctx.logger.warn(`[${ctx.tag}] ${phase}: ${repaired}`);
      ctx.logger.info(`[${ctx.tag}] ${phase}: resuming at epoch ${start + 1}/${o.epochs}`);
      if (start >= o.epochs) { history.skipped = true; return history; }
    }
  }
  const every = ctx.train.checkpointEvery;
  for (let epoch = start; epoch < o.epochs; epoch++) {
    const task = ctx.progress.start(`[${ctx.tag}] ${phase} epoch ${epoch + 1}/${o.epochs}`, o.stepsPerEpoch);
    const sums: StepLosses = {};
    const t0 = Date.now();
    for (let s = 0; s < o.stepsPerEpoch; s++) {
      const losses = await o.step(epoch, s);
      for (const [k, v] of Object.entries(losses)) {
        if (!Number.isFinite(v)) {
          task.stop();
          throw new DivergenceError(`${phase}: ${k} became ${v} at epoch ${epoch + 1}, step ${s + 1}; ${lastGoodText(store)}` +
            '. Lower the learning rate or check the data for NaN/Inf.');
        }
        sums[k] = (sums[k] ?? 0) + v;
      }
      task.tick(1, losses);
    }
    task.stop();
    const means: StepLosses = Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, v / Math.max(1, o.stepsPerEpoch)]));
    const extra = o.onEpochEnd ? await o.onEpochEnd(epoch, means) : {};
    const rec = { ...means, ...extra, seconds: (Date.now() - t0) / 1000, msPerStep: (Date.now() - t0) / Math.max(1, o.stepsPerEpoch) };
    history.epochs.push(rec);
    ctx.runDir.record({ phase, epoch, ...rec });
    ctx.logger.info(`[${ctx.tag}] ${phase} epoch ${epoch + 1}/${o.epochs}: ${Object.entries(rec).map(([k, v]) => `${k}=${fmt(v)}`).join(' ')}`);
    if ((epoch + 1) % every === 0 || epoch === o.epochs - 1) {
      const tensors: Record<string, StoredTensor> = {};
      for (const [name, m] of Object.entries(o.models)) Object.assign(tensors, modelTensors(m, `model:${name}`));
      for (const [name, opt] of Object.entries(o.optimizers)) Object.assign(tensors, await optimizerTensors(opt, `opt:${name}`));
      const tag = `epoch-${String(epoch).padStart(4, '0')}`;
      for (const [name, t] of Object.entries(tensors)) {
        const bad = firstNonFinite(t.data);
        if (bad) {
          throw new DivergenceError(`${phase}: tensor "${name}" holds ${bad} after epoch ${epoch + 1}, so checkpoint ${tag} was not saved; ` +
            `${lastGoodText(store)}. Lower the learning rate or check the data for NaN/Inf.`);
        }
      }
      store.save(tag, {
        state: {
          epoch, phase, history: history.epochs,
          rngs: Object.fromEntries(Object.entries(o.rngs ?? {}).map(([k, r]) => [k, r.getState()])),
          extra: o.saveState ? o.saveState() : undefined,
        },
        tensors,
      });
    }
  }
  return history;
}

/**
 * The checkpoint to resume the phase from, its state validated: the newest intact one. What was
 * skipped (a damaged latest, a missing tag, a bad state.json) is logged as a warning; with no
 * intact checkpoint left the phase starts from scratch, with a warning naming what was rejected.
 */
function resumePoint(store: CheckpointStore, ctx: MethodContext, phase: string): { checkpoint: Checkpoint; state: TrainingState } | undefined {
  const r = store.resume();
  if (r.checkpoint && r.tag) {
    if (r.skipped.length) ctx.logger.warn(`[${ctx.tag}] ${phase}: resuming from checkpoint ${r.tag}, the newest intact one; skipped ${describeSkipped(r.skipped)}`);
    return { checkpoint: r.checkpoint, state: r.checkpoint.state as TrainingState };
  }
  if (r.skipped.length) {
    ctx.logger.warn(`[${ctx.tag}] ${phase}: no intact checkpoint in ${store.dir}, starting from scratch; rejected ${describeSkipped(r.skipped)}`);
    ctx.runDir.truncateRecords((rec) => rec.phase !== phase); // the phase's records are written again
  }
  return undefined;
}

function describeSkipped(skipped: readonly SkippedCheckpoint[]): string {
  return skipped.map((s) => `${s.tag} (${s.reason})`).join('; ');
}

/** Names the newest checkpoint that verifies (digests, schemas, finite values) for the NaN stop. */
function lastGoodText(store: CheckpointStore): string {
  const r = store.resume();
  return r.tag ? `the last good checkpoint (${r.tag}) is kept in ${store.dir}` : `no intact checkpoint was written yet in ${store.dir}`;
}

function fmt(v: number): string {
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? v.toExponential(3) : v.toFixed(4);
}

/**
 * Build an optimizer from the train config (SGD with momentum, or Adam) with a settable rate:
 * the core's own optimizers (core/training), whose whole state is saved and restored exactly,
 * with the same arithmetic as tfjs's MomentumOptimizer / AdamOptimizer.
 */
export function makeOptimizer(cfg: MethodContext['train']['optimizer'], lr: number): tf.Optimizer {
  return cfg.name === 'adam' ? new AdamOptimizer(lr, cfg.beta1, cfg.beta2) : new SgdOptimizer(lr, cfg.momentum);
}

/** Learning rate at a fractional position t in [0, 1] of training: constant or half-cosine decay. */
export function scheduledLr(base: number, schedule: 'cosine' | 'constant', t: number): number {
  return schedule === 'cosine' ? base * 0.5 * (1 + Math.cos(Math.PI * Math.min(1, Math.max(0, t)))) : base;
}

/**
 * Set the learning rate of an optimizer in place: ours (core/training) and tfjs's SGD/momentum
 * through their `setLearningRate` (tfjs's SGD and momentum optimizers keep `-lr` in a tensor
 * made by it, so assigning `learningRate` alone does nothing to their updates), others (tfjs's
 * Adam, RMSprop) through the `learningRate` they read at each step.
 */
export function setLearningRate(opt: tf.Optimizer, lr: number): void {
  const o = opt as unknown as { learningRate: number; setLearningRate?: (lr: number) => void };
  if (typeof o.setLearningRate === 'function') o.setLearningRate(lr);
  else o.learningRate = lr;
}
