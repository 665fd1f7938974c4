import 'reflect-metadata';
import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ComponentFactory, createRegistry, loadExperiment, MemoryLogger, Rng, runExperiment, SilentProgress, type Registry, type ScheduleComponent } from 'lensforge';

const EXAMPLE = 'examples/custom-plugin/experiment.yaml';
const TINY = ['train.epochs=2', 'train.trainSize=64', 'model.method.testSize=16'];

describe('tutorial plugin: the example/linear-decay schedule', function () {
  this.timeout(120000);
  let reg: Registry;
  let factory: ComponentFactory;
  const make = (spec: unknown) => factory.create<ScheduleComponent>('schedule', spec, 'train.schedule');
  before(async () => {
    reg = await createRegistry(['./examples/custom-plugin/plugin.ts'], process.cwd());
    factory = new ComponentFactory(reg, Rng.fromSeed(1));
  });

  it('decays in a straight line from the base rate at the first update to final x base at the last', () => {
    const s = make({ use: 'example/linear-decay', final: 0.1 });
    const at = (step: number) => ({ step, totalSteps: 11, stepsPerEpoch: 5 });
    expect(s.lr(0.02, at(0))).to.equal(0.02);
    expect(s.lr(0.02, at(5))).to.be.closeTo(0.02 * 0.55, 1e-15);
    expect(s.lr(0.02, at(10))).to.be.closeTo(0.002, 1e-15);
    for (let t = 1; t <= 10; t++) expect(s.lr(0.02, at(t))).to.be.below(s.lr(0.02, at(t - 1)));
    expect(make('example/linear-decay').lr(1, at(10))).to.equal(0);
    expect(make('example/linear-decay').lr(0.3, { step: 0, totalSteps: 1, stepsPerEpoch: 1 })).to.equal(0.3);
  });

  it('names what is wrong: an option out of range with its config path, a step outside the run', () => {
    expect(() => make({ use: 'example/linear-decay', final: 2 })).to.throw('train.schedule.final: Too big: expected number to be <=1, got 2');
    expect(() => make('example/linear-decay').lr(1, { step: 11, totalSteps: 11, stepsPerEpoch: 5 })).to.throw('example/linear-decay: step: expected an integer in [0, 10], got 11');
  });

  it('is what the example config trains with: final 1 is bit-identical to core/constant, final 0.1 is not', async () => {
    const run = async (schedule: string) => {
      const loaded = await loadExperiment(EXAMPLE, reg, [...TINY, `train.schedule=${schedule}`]);
      return (await runExperiment(loaded, { registry: reg, out: join(mkdtempSync(join(tmpdir(), 'lf-linear-')), 'run'), logger: new MemoryLogger(), progress: new SilentProgress() })).metrics;
    };
    const flat = await run('{ use: example/linear-decay, final: 1 }');
    expect(flat).to.deep.equal(await run('core/constant'));
    const decayed = await run('{ use: example/linear-decay, final: 0.1 }');
    expect(decayed.mse_amplitude).to.be.a('number').and.not.equal(flat.mse_amplitude);
  });
});
