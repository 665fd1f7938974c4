import { definePlugin } from '../registry/plugin.js';
import { AdamComponent, AdamwComponent, RmspropComponent, SgdComponent } from './optimizers.js';
import { ConstantSchedule, CosineSchedule, StepSchedule, WarmupSchedule } from './schedules.js';

/** The core's optimizers and learning-rate schedules, and their kinds (plugins add their own, e.g. LARS). */
export const trainingCorePlugin = definePlugin({
  name: 'core-training',
  description: 'optimizers (SGD, Adam, AdamW, RMSprop) with state saved exactly, and learning-rate schedules',
  kinds: {
    optimizer: 'builds the optimizer of a network (its state is saved and restored exactly)',
    schedule: 'the learning rate at each step from the base rate',
  },
  components: [SgdComponent, AdamComponent, AdamwComponent, RmspropComponent, ConstantSchedule, CosineSchedule, StepSchedule, WarmupSchedule],
});
