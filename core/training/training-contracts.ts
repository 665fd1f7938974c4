import type { OwnedOptimizer } from './owned-optimizer.js';

/**
 * The `optimizer` kind: builds the optimizer of one network from its config. `scaleLrByBatch`
 * (lr x batch / 256, the rule of Goyal et al. 2017 that SimSiam uses) is applied here, once.
 */
export interface OptimizerComponent {
  /** The learning rate before any schedule, for a batch of `batchSize` samples. */
  baseLr(batchSize: number): number;
  /** A fresh optimizer at `baseLr(batchSize)`. */
  create(batchSize: number): OwnedOptimizer;
}

/** Where training is when a schedule is asked for the learning rate. */
export interface SchedulePoint {
  /** Updates done so far (0 for the first step). */
  step: number;
  /** Updates in the whole run (> 0). */
  totalSteps: number;
  /** Updates per epoch (> 0). */
  stepsPerEpoch: number;
}

/** The `schedule` kind: the learning rate at a point of training, from the base rate. */
export interface ScheduleComponent {
  lr(base: number, at: SchedulePoint): number;
}
