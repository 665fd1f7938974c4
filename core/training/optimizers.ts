import { inject } from 'tsyringe';
import { z } from 'zod';
import { TOKENS } from '../di/tokens.js';
import { component, type OptionsOf } from '../registry/component.js';
import { AdamOptimizer } from './adam-optimizer.js';
import type { OwnedOptimizer, WeightDecay } from './owned-optimizer.js';
import { RmspropOptimizer } from './rmsprop-optimizer.js';
import { SgdOptimizer } from './sgd-optimizer.js';
import type { OptimizerComponent } from './training-contracts.js';

const WeightDecaySchema = z.union([
  z.number().min(0),
  z.strictObject({
    value: z.number().min(0),
    mode: z.enum(['coupled', 'decoupled']).default('coupled'),
    applyTo: z.enum(['all', 'kernels']).default('all'),
  }),
]).describe('a number (coupled L2 on every variable) or { value, mode: coupled|decoupled, applyTo: all|kernels }');

const common = {
  lr: z.number().positive().describe('base learning rate'),
  scaleLrByBatch: z.boolean().default(false).describe('use lr x batchSize / 256 (Goyal et al. 2017; SimSiam)'),
};

function decay(w: z.output<typeof WeightDecaySchema>, defaultMode: WeightDecay['mode']): WeightDecay {
  return typeof w === 'number' ? { value: w, mode: defaultMode, applyTo: 'all' } : w;
}

abstract class OptimizerBase<O extends { lr: number; scaleLrByBatch: boolean }> implements OptimizerComponent {
  constructor(protected readonly o: O) {}
  baseLr(batchSize: number): number {
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`optimizer batchSize: expected an integer >= 1, got ${batchSize}`);
    return this.o.scaleLrByBatch ? (this.o.lr * batchSize) / 256 : this.o.lr;
  }
  abstract create(batchSize: number): OwnedOptimizer;
}

export const SgdOptions = z.strictObject({
  ...common,
  lr: common.lr.default(0.03),
  momentum: z.number().min(0).lt(1).default(0.9),
  nesterov: z.boolean().default(false),
  weightDecay: WeightDecaySchema.default(0),
});

@component({ kind: 'optimizer', name: 'core/sgd', description: 'SGD with (Nesterov) momentum, as torch.optim.SGD', options: SgdOptions })
export class SgdComponent extends OptimizerBase<OptionsOf<typeof SgdOptions>> {
  constructor(@inject(TOKENS.Options) o: OptionsOf<typeof SgdOptions>) { super(o); }
  create(batchSize: number): OwnedOptimizer {
    return new SgdOptimizer(this.baseLr(batchSize), this.o.momentum, this.o.nesterov, decay(this.o.weightDecay, 'coupled'));
  }
}

const adamFields = {
  ...common,
  lr: common.lr.default(1e-3),
  beta1: z.number().min(0).lt(1).default(0.9),
  beta2: z.number().min(0).lt(1).default(0.999),
  epsilon: z.number().positive().default(1e-7).describe("tfjs's default; PyTorch's is 1e-8"),
};

export const AdamOptions = z.strictObject({ ...adamFields, weightDecay: WeightDecaySchema.default(0) });

@component({ kind: 'optimizer', name: 'core/adam', description: 'Adam (coupled weight decay, as torch.optim.Adam)', options: AdamOptions })
export class AdamComponent extends OptimizerBase<OptionsOf<typeof AdamOptions>> {
  constructor(@inject(TOKENS.Options) o: OptionsOf<typeof AdamOptions>) { super(o); }
  create(batchSize: number): OwnedOptimizer {
    return new AdamOptimizer(this.baseLr(batchSize), this.o.beta1, this.o.beta2, this.o.epsilon, decay(this.o.weightDecay, 'coupled'));
  }
}

export const AdamwOptions = z.strictObject({ ...adamFields, weightDecay: WeightDecaySchema.default(0.01) });

@component({ kind: 'optimizer', name: 'core/adamw', description: 'AdamW (decoupled weight decay, as torch.optim.AdamW)', options: AdamwOptions })
export class AdamwComponent extends OptimizerBase<OptionsOf<typeof AdamwOptions>> {
  constructor(@inject(TOKENS.Options) o: OptionsOf<typeof AdamwOptions>) { super(o); }
  create(batchSize: number): OwnedOptimizer {
    return new AdamOptimizer(this.baseLr(batchSize), this.o.beta1, this.o.beta2, this.o.epsilon, decay(this.o.weightDecay, 'decoupled'));
  }
}

export const RmspropOptions = z.strictObject({
  ...common,
  lr: common.lr.default(1e-2),
  alpha: z.number().min(0).lt(1).default(0.99),
  epsilon: z.number().positive().default(1e-8),
  momentum: z.number().min(0).lt(1).default(0),
  centered: z.boolean().default(false),
  weightDecay: WeightDecaySchema.default(0),
});

@component({ kind: 'optimizer', name: 'core/rmsprop', description: 'RMSprop, as torch.optim.RMSprop', options: RmspropOptions })
export class RmspropComponent extends OptimizerBase<OptionsOf<typeof RmspropOptions>> {
  constructor(@inject(TOKENS.Options) o: OptionsOf<typeof RmspropOptions>) { super(o); }
  create(batchSize: number): OwnedOptimizer {
    return new RmspropOptimizer(this.baseLr(batchSize), this.o.alpha, this.o.epsilon, this.o.momentum, this.o.centered, decay(this.o.weightDecay, 'coupled'));
  }
}
