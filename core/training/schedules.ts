import { inject } from 'tsyringe';
import { z } from 'zod';
import { TOKENS } from '../di/tokens.js';
import { component, type OptionsOf } from '../registry/component.js';
import type { ComponentFactory } from '../registry/component-factory.js';
import type { ScheduleComponent, SchedulePoint } from './training-contracts.js';

function checkPoint(at: SchedulePoint): void {
  if (!(at.totalSteps > 0) || !(at.stepsPerEpoch > 0) || !(at.step >= 0)) {
    throw new Error(`schedule: expected step >= 0, totalSteps > 0 and stepsPerEpoch > 0, got ${JSON.stringify(at)}`);
  }
}

export const ConstantOptions = z.strictObject({});

@component({ kind: 'schedule', name: 'core/constant', description: 'the base learning rate throughout', options: ConstantOptions })
export class ConstantSchedule implements ScheduleComponent {
  lr(base: number): number { return base; }
}

export const CosineOptions = z.strictObject({
  final: z.number().min(0).max(1).default(0).describe('learning rate at the end, as a fraction of the base'),
});

/** Half-cosine decay from the base rate to `final` x base over the run (Loshchilov & Hutter 2017, without restarts). */
@component({ kind: 'schedule', name: 'core/cosine', description: 'half-cosine decay over the run (per step)', options: CosineOptions })
export class CosineSchedule implements ScheduleComponent {
  constructor(@inject(TOKENS.Options) private readonly o: OptionsOf<typeof CosineOptions>) {}

  lr(base: number, at: SchedulePoint): number {
    checkPoint(at);
    const t = Math.min(1, Math.max(0, at.step / at.totalSteps));
    const c = 0.5 * (1 + Math.cos(Math.PI * t));
    // final = 0 keeps the exact expression the methods used before schedules were components
    return this.o.final === 0 ? base * 0.5 * (1 + Math.cos(Math.PI * t)) : base * (this.o.final + (1 - this.o.final) * c);
  }
}

export const StepOptions = z.strictObject({
  milestones: z.array(z.number().int().min(1)).min(1).describe('epochs at which the rate is multiplied by gamma'),
  gamma: z.number().positive().max(1).default(0.1).describe('factor at each milestone'),
}).refine((o) => o.milestones.every((m, i) => i === 0 || m > o.milestones[i - 1]), { message: 'expected increasing epochs', path: ['milestones'] });

/** Piecewise-constant decay at epoch milestones, as `torch.optim.lr_scheduler.MultiStepLR`. */
@component({ kind: 'schedule', name: 'core/step', description: 'x gamma at each milestone epoch', options: StepOptions })
export class StepSchedule implements ScheduleComponent {
  constructor(@inject(TOKENS.Options) private readonly o: OptionsOf<typeof StepOptions>) {}

  lr(base: number, at: SchedulePoint): number {
    checkPoint(at);
    const epoch = Math.floor(at.step / at.stepsPerEpoch);
    return base * this.o.gamma ** this.o.milestones.filter((m) => epoch >= m).length;
  }
}

export const WarmupOptions = z.strictObject({
  steps: z.number().int().min(1).optional().describe('warm-up length in updates'),
  epochs: z.number().int().min(1).optional().describe('warm-up length in epochs (instead of steps)'),
  start: z.number().min(0).max(1).default(0).describe('rate at the first step, as a fraction of the base'),
  then: z.unknown().default('core/constant').describe('the schedule after the warm-up (a schedule component), over the remaining steps'),
}).refine((o) => (o.steps === undefined) !== (o.epochs === undefined), { message: 'give exactly one of steps or epochs', path: ['steps'] });

/**
 * Linear warm-up from `start` x base to the base over the first steps (Goyal et al. 2017), then
 * any schedule over the remaining steps (it sees step - W of totalSteps - W).
 */
@component({ kind: 'schedule', name: 'core/warmup', description: 'linear warm-up, then another schedule', options: WarmupOptions })
export class WarmupSchedule implements ScheduleComponent {
  private readonly then: ScheduleComponent;

  constructor(
    @inject(TOKENS.Options) private readonly o: OptionsOf<typeof WarmupOptions>,
    @inject(TOKENS.Factory) factory: ComponentFactory,
    @inject(TOKENS.ComponentPath) path: string,
  ) {
    this.then = factory.create<ScheduleComponent>('schedule', o.then, `${path}.then`);
  }

  lr(base: number, at: SchedulePoint): number {
    checkPoint(at);
    const w = this.o.steps ?? this.o.epochs! * at.stepsPerEpoch;
    if (w >= at.totalSteps) throw new Error(`core/warmup: the warm-up (${w} steps) is not shorter than the run (${at.totalSteps} steps)`);
    if (at.step < w) return base * (this.o.start + ((1 - this.o.start) * at.step) / w);
    return this.then.lr(base, { ...at, step: at.step - w, totalSteps: at.totalSteps - w });
  }
}
