import 'reflect-metadata';
import { expect } from 'chai';
import { createRegistry } from '../dataset/build-simulator.js';
import { ComponentFactory } from '../registry/component-factory.js';
import { Rng } from '../tensor/rng.js';
import type { ScheduleComponent } from './training-contracts.js';

describe('core/training schedules', () => {
  let factory: ComponentFactory;
  const make = (spec: unknown) => factory.create<ScheduleComponent>('schedule', spec, 'train.schedule');
  before(async () => { factory = new ComponentFactory(await createRegistry(), Rng.fromSeed(1)); });

  it('cosine decays from the base to final x base over the run, and equals the half-cosine expression the methods used before, exactly', () => {
    const cos = make('core/cosine');
    const at = (step: number) => ({ step, totalSteps: 240, stepsPerEpoch: 30 });
    expect(cos.lr(0.5, at(0))).to.equal(0.5);
    expect(cos.lr(0.5, at(120))).to.be.closeTo(0.25, 1e-15);
    expect(cos.lr(0.5, at(240))).to.be.closeTo(0, 1e-15);
    for (let s = 0; s < 240; s += 7) expect(cos.lr(0.0625, at(s))).to.equal(0.0625 * 0.5 * (1 + Math.cos(Math.PI * Math.min(1, Math.max(0, s / 240)))));
    expect(make({ use: 'core/cosine', final: 0.1 }).lr(1, at(240))).to.be.closeTo(0.1, 1e-15);
    expect(make('core/constant').lr(0.3, at(17))).to.equal(0.3);
  });

  it('step multiplies by gamma at each milestone epoch', () => {
    const st = make({ use: 'core/step', milestones: [2, 4], gamma: 0.5 });
    const lr = (epoch: number) => st.lr(1, { step: epoch * 10 + 3, totalSteps: 60, stepsPerEpoch: 10 });
    expect([0, 1, 2, 3, 4, 5].map(lr)).to.deep.equal([1, 1, 0.5, 0.5, 0.25, 0.25]);
    expect(() => make({ use: 'core/step', milestones: [4, 2] })).to.throw('milestones: expected increasing epochs');
  });

  it('warm-up rises linearly from start x base, then hands the remaining steps to the next schedule', () => {
    const w = make({ use: 'core/warmup', steps: 10, start: 0.1, then: 'core/cosine' });
    const at = (step: number) => ({ step, totalSteps: 110, stepsPerEpoch: 11 });
    expect(w.lr(1, at(0))).to.be.closeTo(0.1, 1e-15);
    expect(w.lr(1, at(5))).to.be.closeTo(0.55, 1e-15);
    expect(w.lr(1, at(10))).to.equal(1);
    expect(w.lr(1, at(60))).to.be.closeTo(0.5, 1e-15); // half-way through the 100 cosine steps
    const byEpochs = make({ use: 'core/warmup', epochs: 1, then: { use: 'core/step', milestones: [5] } });
    expect(byEpochs.lr(2, at(11))).to.equal(2);
    expect(() => make({ use: 'core/warmup' })).to.throw('give exactly one of steps or epochs');
    // a nested component's configuration error reaches the user as it is, with its full path
    expect(() => make({ use: 'core/warmup', steps: 5, then: 'core/linear' })).to.throw('train.schedule.then.use: unknown schedule "core/linear". Registered schedules: core/constant, core/cosine, core/step, core/warmup');
    expect(() => w.lr(1, { step: 0, totalSteps: 10, stepsPerEpoch: 1 })).to.throw('core/warmup: the warm-up (10 steps) is not shorter than the run (10 steps)');
  });
});
