import * as tf from '@tensorflow/tfjs';
import { DivergenceError, LensforgeError } from '../errors.js';
import type { EarlyStoppingConfig } from '../experiment/config-schema.js';
import type { ScheduledOptimizer } from './scheduled-optimizer.js';
import type { MethodContext } from '../contracts/method.js';
import { CheckpointStore, firstNonFinite, type Checkpoint, type SkippedCheckpoint, type StoredTensor } from '../io/checkpoint-store.js';
import { TrainingStateSchema, type TrainingState } from './training-state-schema.js';
import { loadModelTensors, loadOptimizerTensors, modelTensors, optimizerTensors } from '../io/checkpoint-tf.js';
import type { Rng } from '../tensor/rng.js';

export type StepLosses = Record<string, number>;

/** Where a step is: what the loop hands to `step` and to the hooks. */
export interface StepInfo {
  epoch: number;
  /** Step within the epoch (0-based). */
  step: number;
  /** Updates done before this step in the phase (0-based). */
  globalStep: number;
  totalSteps: number;
  /** The learning rate each scheduled optimizer uses in this step, by name. */
  lr: Record<string, number>;
}

/** Called by the loop around its steps (EMA, logging, custom stopping ...). */
export interface TrainingHooks {
  /** After every step, outside the step's tensor scope (tensors made here are the hook's to dispose). */
  afterStep?(info: StepInfo, losses: StepLosses): void | Promise<void>;
  /** After every epoch, with the epoch's record as written to metrics.jsonl. */
  afterEpoch?(epoch: number, record: Readonly<Record<string, number>>): void | Promise<void>;
  /** After a checkpoint was written. */
  onCheckpoint?(tag: string, epoch: number): void | Promise<void>;
}

/** Something with state a resumed run must get back exactly (a data cursor, a sampler, a running statistic). */
export interface StatefulPart {
  save(): unknown;
  load(state: unknown): void;
}

/** The method's validation in a phase: its values go to the epoch's record and drive early stopping. */
export interface PhaseValidation {
  /** Validate every N epochs (default 1); the last epoch is always validated. */
  every?: number;
  run(epoch: number): Record<string, number> | Promise<Record<string, number>>;
}

export interface TrainingLoopOptions {
  ctx: Pick<MethodContext, 'runDir' | 'logger' | 'progress' | 'resume' | 'tag' | 'train'>;
  /** Phase name (e.g. `pretrain`, `finetune`): checkpoints and metrics records are per phase. */
  phase: string;
  epochs: number;
  stepsPerEpoch: number;
  models: Record<string, tf.LayersModel>;
  /**
   * Optimizers by name (their checkpoint names). A `ScheduledOptimizer` (from
   * `TrainingService.optimizers`) gets its learning rate from its schedule before every step; a
   * bare tf.Optimizer is left as it is.
   */
  optimizers: Record<string, tf.Optimizer | ScheduledOptimizer>;
  /** Random streams whose state must survive a resume. */
  rngs?: Record<string, Rng>;
  /** Other state that must survive a resume (data cursors ...), by name. */
  parts?: Record<string, StatefulPart>;
  /**
   * One optimisation step; returns its losses (`loss` first). Non-finite values stop training.
   * It runs inside a tensor scope that is closed in `finally`: tensors it makes and does not
   * `tf.keep` are released after it, even when it throws.
   */
  step(epoch: number, step: number, info: StepInfo): StepLosses | Promise<StepLosses>;
  /** Extra per-epoch metrics (e.g. a collapse monitor), recorded with the epoch's mean losses. */
  onEpochEnd?(epoch: number, means: StepLosses): Record<string, number> | Promise<Record<string, number>>;
  hooks?: TrainingHooks | TrainingHooks[];
  /** Validation in this phase; with `train.earlyStopping` (or `earlyStopping`) it can end the phase early. */
  validate?: PhaseValidation;
  /** Overrides `train.earlyStopping` for this phase (`false`: never stop early). */
  earlyStopping?: EarlyStoppingConfig | false;
  /** Extra JSON state to save/restore (e.g. beta_SD). */
  saveState?(): Record<string, unknown>;
  loadState?(s: Record<string, unknown>): void;
}

export interface TrainingHistory {
  epochs: Array<Record<string, number>>;
  resumedFrom?: number;
  skipped: boolean;
  /** Set when early stopping ended the phase: the epoch it stopped after and the best one (0-based). */
  stoppedEarly?: { epoch: number; bestEpoch: number; best: number; metric: string };
}

interface EarlyState { metric: string; best: number | null; bestEpoch: number; bad: number; stopped: boolean }

const isScheduled = (o: tf.Optimizer | ScheduledOptimizer): o is ScheduledOptimizer =>
  typeof (o as ScheduledOptimizer).schedule === 'object' && (o as ScheduledOptimizer).optimizer instanceof tf.Optimizer;
const bare = (o: tf.Optimizer | ScheduledOptimizer): tf.Optimizer => (isScheduled(o) ? o.optimizer : o);

/**
 * The loop every method shares: learning rates from each optimizer's schedule before every step,
 * each step in a tensor scope released in `finally`, progress, per-epoch records in
 * metrics.jsonl, validation and early stopping, hooks, a checkpoint after every
 * `train.checkpointEvery` epochs (models, optimizer slots, RNG states, stateful parts, early-
 * stopping state and best weights, extra state), resume from the phase's last checkpoint, and a
 * clear stop when a loss becomes NaN or infinite (the last good checkpoint is kept).
 */
export async function runTrainingLoop(o: TrainingLoopOptions): Promise<TrainingHistory> {
  const { ctx, phase } = o;
  if (!Number.isInteger(o.epochs) || o.epochs < 0) throw new LensforgeError(`${phase}: epochs: expected an integer >= 0, got ${o.epochs}`);
  if (!Number.isInteger(o.stepsPerEpoch) || o.stepsPerEpoch < 1) throw new LensforgeError(`${phase}: stepsPerEpoch: expected an integer >= 1, got ${o.stepsPerEpoch}`);
  const store = new CheckpointStore(ctx.runDir.file('checkpoints', phase), 2, TrainingStateSchema);
  const history: TrainingHistory = { epochs: [], skipped: false };
  const hooks = o.hooks === undefined ? [] : Array.isArray(o.hooks) ? o.hooks : [o.hooks];
  const es = o.earlyStopping === false ? undefined : o.earlyStopping ?? (o.validate ? ctx.train.earlyStopping : undefined);
  if (es && !o.validate) throw new LensforgeError(`${phase}: early stopping on "${es.metric}" needs a validation in this phase, and the method has none here`);
  let early: EarlyState | undefined = es ? { metric: es.metric, best: null, bestEpoch: -1, bad: 0, stopped: false } : undefined;
  let best: Record<string, StoredTensor> | undefined;
  const totalSteps = o.epochs * o.stepsPerEpoch;
  let start = 0;
  if (ctx.resume) {
    const found = resumePoint(store, ctx, phase);
    if (found) {
      const { checkpoint: ck, state } = found;
      for (const [name, m] of Object.entries(o.models)) loadModelTensors(m, `model:${name}`, ck.tensors);
      for (const [name, opt] of Object.entries(o.optimizers)) await loadOptimizerTensors(bare(opt), `opt:${name}`, ck.tensors);
      const rs = state.rngs ?? {};
      for (const [name, r] of Object.entries(o.rngs ?? {})) if (rs[name]) r.setState(rs[name]);
      const ps = state.parts ?? {};
      for (const [name, p] of Object.entries(o.parts ?? {})) if (name in ps) p.load(ps[name]);
      if (state.extra && o.loadState) o.loadState(state.extra);
      if (early && state.earlyStopping?.metric === early.metric) early = { ...state.earlyStopping };
      const bestTensors = Object.fromEntries(Object.entries(ck.tensors).filter(([k]) => k.startsWith('best:')));
      if (Object.keys(bestTensors).length) best = bestTensors;
      start = state.epoch + 1;
      history.resumedFrom = start;
      history.epochs = state.history.slice() as Array<Record<string, number>>;
      const repaired = ctx.runDir.restorePhaseRecords(phase, start, history.epochs);
      if (repaired) ctx.logger.warn(`[${ctx.tag}] ${phase}: ${repaired}`);
      if (early?.stopped) {
        ctx.logger.info(`[${ctx.tag}] ${phase}: stopped early after epoch ${start} in the run being resumed`);
        finishEarly(o, es!, early, best, history, start - 1);
        history.skipped = true;
        return history;
      }
      ctx.logger.info(`[${ctx.tag}] ${phase}: resuming at epoch ${start + 1}/${o.epochs}`);
      if (start >= o.epochs) { history.skipped = true; return history; }
    }
  }
  const every = ctx.train.checkpointEvery;
  for (let epoch = start; epoch < o.epochs; epoch++) {
    const task = ctx.progress.start(`[${ctx.tag}] ${phase} epoch ${epoch + 1}/${o.epochs}`, o.stepsPerEpoch);
    const sums: StepLosses = {};
    const t0 = Date.now();
    try {
      for (let s = 0; s < o.stepsPerEpoch; s++) {
        const info: StepInfo = { epoch, step: s, globalStep: epoch * o.stepsPerEpoch + s, totalSteps, lr: {} };
        for (const [name, opt] of Object.entries(o.optimizers)) {
          if (!isScheduled(opt)) continue;
          const lr = opt.schedule.lr(opt.baseLr, { step: info.globalStep, totalSteps, stepsPerEpoch: o.stepsPerEpoch });
          opt.optimizer.setLearningRate(lr);
          info.lr[name] = lr;
        }
        tf.engine().startScope();
        let losses: StepLosses;
        try {
          losses = await o.step(epoch, s, info);
        } finally {
          tf.engine().endScope();
        }
        for (const [k, v] of Object.entries(losses)) {
          if (!Number.isFinite(v)) {
            throw new DivergenceError(`${phase}: ${k} became ${v} at epoch ${epoch + 1}, step ${s + 1}; ${lastGoodText(store)}` +
              '. Lower the learning rate or check the data for NaN/Inf.');
          }
          sums[k] = (sums[k] ?? 0) + v;
        }
        for (const h of hooks) await h.afterStep?.(info, losses);
        task.tick(1, losses);
      }
    } finally {
      task.stop();
    }
    const means: StepLosses = Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, v / Math.max(1, o.stepsPerEpoch)]));
    const extra = o.onEpochEnd ? await o.onEpochEnd(epoch, means) : {};
    const last = epoch === o.epochs - 1;
    let validation: Record<string, number> = {};
    if (o.validate && ((epoch + 1) % Math.max(1, o.validate.every ?? 1) === 0 || last)) {
      validation = await o.validate.run(epoch);
      if (early) updateEarly(phase, es!, early, validation, epoch, () => { best = snapshot(o.models); });
    }
    const rec = { ...means, ...extra, ...validation, seconds: (Date.now() - t0) / 1000, msPerStep: (Date.now() - t0) / Math.max(1, o.stepsPerEpoch) };
    history.epochs.push(rec);
    ctx.runDir.record({ phase, epoch, ...rec });
    ctx.logger.info(`[${ctx.tag}] ${phase} epoch ${epoch + 1}/${o.epochs}: ${Object.entries(rec).map(([k, v]) => `${k}=${fmt(v)}`).join(' ')}`);
    for (const h of hooks) await h.afterEpoch?.(epoch, rec);
    const stopping = !!early?.stopped;
    if ((epoch + 1) % every === 0 || last || stopping) {
      const tensors: Record<string, StoredTensor> = {};
      for (const [name, m] of Object.entries(o.models)) Object.assign(tensors, modelTensors(m, `model:${name}`));
      for (const [name, opt] of Object.entries(o.optimizers)) Object.assign(tensors, await optimizerTensors(bare(opt), `opt:${name}`));
      if (best) Object.assign(tensors, best);
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
          parts: o.parts ? Object.fromEntries(Object.entries(o.parts).map(([k, p]) => [k, p.save()])) : undefined,
          earlyStopping: early,
          extra: o.saveState ? o.saveState() : undefined,
        },
        tensors,
      });
      for (const h of hooks) await h.onCheckpoint?.(tag, epoch);
    }
    if (stopping) {
      finishEarly(o, es!, early!, best, history, epoch);
      break;
    }
  }
  return history;
}

/** Weights of every model, in memory, under the names a checkpoint stores them (`best:model:<name>/i`). */
function snapshot(models: Record<string, tf.LayersModel>): Record<string, StoredTensor> {
  const out: Record<string, StoredTensor> = {};
  for (const [name, m] of Object.entries(models)) Object.assign(out, modelTensors(m, `best:model:${name}`));
  return out;
}

function updateEarly(phase: string, es: EarlyStoppingConfig, st: EarlyState, vals: Record<string, number>, epoch: number, onBest: () => void): void {
  const v = vals[es.metric];
  if (typeof v !== 'number') {
    throw new LensforgeError(`train.earlyStopping.metric: "${es.metric}" is not a validation value of phase ${phase}; expected one of ${Object.keys(vals).join(', ') || '(none)'}`);
  }
  const better = st.best === null || !Number.isFinite(st.best) || (es.mode === 'min' ? v < st.best - es.minDelta : v > st.best + es.minDelta);
  if (better && Number.isFinite(v)) {
    st.best = v; st.bestEpoch = epoch; st.bad = 0;
    if (es.restoreBest) onBest();
  } else {
    st.bad += 1;
    if (st.bad >= es.patience) st.stopped = true;
  }
}

function finishEarly(o: TrainingLoopOptions, es: EarlyStoppingConfig, st: EarlyState, best: Record<string, StoredTensor> | undefined, history: TrainingHistory, epoch: number): void {
  if (es.restoreBest && best) for (const [name, m] of Object.entries(o.models)) loadModelTensors(m, `best:model:${name}`, best);
  history.stoppedEarly = { epoch, bestEpoch: st.bestEpoch, best: st.best ?? NaN, metric: es.metric };
  o.ctx.logger.info(`[${o.ctx.tag}] ${o.phase}: early stop after epoch ${epoch + 1}: ${es.metric} did not improve for ${es.patience} validation(s); ` +
    `best ${fmt(st.best ?? NaN)} at epoch ${st.bestEpoch + 1}${es.restoreBest && best ? ' (its weights restored)' : ''}`);
}

/**
 * The checkpoint to resume the phase from, its state validated: the newest intact one. What was
 * skipped (a damaged latest, a missing tag, a bad state.json) is logged as a warning; with no
 * intact checkpoint left the phase starts from scratch, with a warning naming what was rejected.
 */
function resumePoint(store: CheckpointStore, ctx: TrainingLoopOptions['ctx'], phase: string): { checkpoint: Checkpoint; state: TrainingState } | undefined {
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
