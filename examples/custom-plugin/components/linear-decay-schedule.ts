import { component, inject, LensforgeError, TOKENS, z, type ScheduleComponent, type SchedulePoint } from 'lensforge';

export const LinearDecayOptions = z.strictObject({
  final: z.number().min(0).max(1).default(0).describe('learning rate at the last update, as a fraction of the base'),
});
type Options = z.output<typeof LinearDecayOptions>;

/**
 * A learning-rate schedule of the tutorial plugin: straight-line decay from the base rate at the
 * first update to `final` x base at the last one, lr(t) = base * (1 - (1 - final) * t / (T - 1))
 * for update t of T (`torch.optim.lr_scheduler.LinearLR`'s shape). The core's loop asks it for
 * the rate before every step; a schedule is a pure function of where training is, so a resumed
 * run gets the same rates as an uninterrupted one.
 */
@component({ kind: 'schedule', name: 'example/linear-decay', description: 'linear decay to final x base over the run (tutorial plugin)', options: LinearDecayOptions })
export class LinearDecaySchedule implements ScheduleComponent {
  constructor(@inject(TOKENS.Options) private readonly o: Options) {}

  lr(base: number, at: SchedulePoint): number {
    if (!Number.isInteger(at.step) || at.step < 0 || at.step >= at.totalSteps) {
      throw new LensforgeError(`example/linear-decay: step: expected an integer in [0, ${at.totalSteps - 1}], got ${at.step}`);
    }
    const t = at.totalSteps > 1 ? at.step / (at.totalSteps - 1) : 0;
    return base * (1 - (1 - this.o.final) * t);
  }
}
