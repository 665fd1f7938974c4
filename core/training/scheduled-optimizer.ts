import type { OwnedOptimizer } from './owned-optimizer.js';
import type { ScheduleComponent } from './training-contracts.js';

/**
 * One network's optimizer as the training loop drives it: the optimizer (state saved exactly),
 * its base learning rate (after `scaleLrByBatch`) and the schedule that sets the rate before
 * every step. Built by `TrainingService.optimizers` / `.optimizer` from the config.
 */
export interface ScheduledOptimizer {
  /** The network it trains (`encoder`, `generator` ...). */
  readonly network: string;
  readonly optimizer: OwnedOptimizer;
  readonly baseLr: number;
  readonly schedule: ScheduleComponent;
  /** Config paths the optimizer and schedule came from (for messages), e.g. `train.optimizers.generator`. */
  readonly path: string;
  readonly schedulePath: string;
}
