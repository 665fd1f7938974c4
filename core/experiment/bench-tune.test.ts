import 'reflect-metadata';
import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { inject } from '../di/typed-inject.js';
import { ConfigError, LensforgeError } from '../errors.js';
import { MemoryLogger } from '../di/logger.js';
import { SilentProgress } from '../di/progress.js';
import { TOKENS } from '../di/tokens.js';
import { component } from '../registry/component.js';
import { definePlugin } from '../registry/plugin.js';
import { createRegistry } from '../dataset/build-simulator.js';
import type { Registry } from '../registry/registry.js';
import type { MethodContext } from '../contracts/method.js';
import { benchTasks } from '../execution/bench-on-executor.js';
import { collectBenchResults } from '../execution/bench-results.js';
import { runBench, planBench, expandTrials, expandVariants } from './bench.js';
import { selectTrials } from './bench-tune.js';

const FakeFitOptions = z.strictObject({ lr: z.number().positive().default(0.01), best: z.number().positive().default(0.01) });

/**
 * A method whose "validation error" is smallest at lr = best (|log10 lr − log10 best|) and whose
 * "test error" is smallest at the largest lr: a selection that looked at the test metric would
 * pick another trial than one that looks at the validation metric.
 */
@component({ kind: 'method', name: 'tune-test/fake-fit', description: 'validation optimum at lr = best', options: FakeFitOptions })
class FakeFit {
  constructor(@inject(TOKENS.Options) private readonly o: z.output<typeof FakeFitOptions>) {}
  async run(ctx: MethodContext) {
    void ctx;
    return { metrics: { val_err: Math.abs(Math.log10(this.o.lr) - Math.log10(this.o.best)), test_err: Math.round(1 / this.o.lr) } };
  }
}

@component({ kind: 'simulator', name: 'tune-test/zeros', description: 'zeros', options: z.object({}) })
class Zeros {
  readonly imageShape = [4, 4, 1] as const;
  readonly labelNames = ['y'];
  readonly size = 8;
  sample() { return { image: new Float32Array(16), labels: { y: 0 } }; }
}

async function registry(): Promise<Registry> {
  const reg = await createRegistry([], process.cwd());
  reg.loadPlugin(definePlugin({ name: 'tune-test', components: [FakeFit, Zeros] }));
  return reg;
}

const config = (tune: unknown) => ({
  name: 'tuned', seed: 1, backend: 'cpu',
  data: { use: 'tune-test/zeros' },
  model: { method: { use: 'tune-test/fake-fit' } },
  bench: {
    vary: [{ name: 'low', set: { 'model.method.best': 0.001 } }, { name: 'high', set: { 'model.method.best': 0.1 } }],
    seeds: [1, 2],
    tune,
  },
});

const TUNE = { vary: { 'model.method.lr': [0.001, 0.01, 0.1] }, metric: 'val_err', mode: 'min' };
const quiet = () => ({ logger: new MemoryLogger(), progress: new SilentProgress() });

describe('bench.tune: a hyper-parameter search inside every cell', function () {
  this.timeout(60000);

  it('runs every trial in its own directory and reports each cell\'s trial with the best validation metric', async () => {
    const reg = await registry();
    const out = join(mkdtempSync(join(tmpdir(), 'lf-tune-')), 'bench');
    const r = await runBench(config(TUNE), { registry: reg, out, ...quiet() });
    // 2 variants x 2 seeds x 3 trials ran, each in <variant>/seed-<s>.<trial> (same depth as seed-<s>)
    for (const dir of ['low/seed-1.lr=0.001', 'low/seed-2.lr=0.1', 'high/seed-1.lr=0.01', 'high/seed-2.lr=0.1']) {
      expect(existsSync(join(out, dir, 'summary.json')), dir).to.equal(true);
    }
    // chosen by val_err (lr = best), not by test_err (which the largest lr would win)
    expect(r.rows.map((x) => `${x.variant}/${x.seed}: ${x.metrics.tuned_lr}, test ${x.metrics.test_err}`)).to.deep.equal([
      'low/1: 0.001, test 1000', 'low/2: 0.001, test 1000', 'high/1: 0.1, test 10', 'high/2: 0.1, test 10',
    ]);
    expect(r.table).to.contain('tuned in every cell: model.method.lr in [0.001, 0.01, 0.1]; the trial with the lowest val_err (validation) is reported');
    const csv = readFileSync(join(out, 'results.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).to.equal('variant,seed,val_err,test_err,tuned_lr');
    expect(csv).to.have.length(5);
    // every trial is listed with its selection value and whether it was chosen
    const tuning = readFileSync(join(out, 'tuning.csv'), 'utf8').trim().split('\n');
    expect(tuning[0]).to.equal('variant,seed,trial,val_err (selection),chosen,val_err,test_err');
    expect(tuning).to.have.length(13);
    expect(tuning.filter((l) => l.includes(',yes,'))).to.have.length(4);
    expect(tuning.find((l) => l.startsWith('high,1,lr=0.1,'))).to.match(/,yes,/);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { runs: unknown[]; trials: Array<{ chosen: boolean }>; tune: unknown };
    expect(summary.runs).to.have.length(4);
    expect(summary.trials).to.have.length(12);
    expect(summary.trials.filter((t) => t.chosen)).to.have.length(4);
    expect(summary.tune).to.deep.equal(TUNE);
    // a second bench reuses all 12 trials and writes the same table
    const again = await runBench(config(TUNE), { registry: reg, out, ...quiet() });
    expect(again.table).to.equal(r.table);
  });

  it('on an executor: one task per trial, and the collected tables equal the sequential run\'s', async () => {
    const reg = await registry();
    const out = join(mkdtempSync(join(tmpdir(), 'lf-tune-')), 'bench');
    const seq = await runBench(config(TUNE), { registry: reg, out, ...quiet() });
    const plan = planBench(config(TUNE), reg);
    const tasks = benchTasks(out, plan.items);
    expect(tasks).to.have.length(12);
    expect(tasks[1].label).to.equal('low seed 1 trial lr=0.01');
    expect(tasks[1].outDir).to.equal(join(out, 'low', 'seed-1.lr=0.01'));
    const collected = collectBenchResults({
      format: 'lensforge-finalize', kind: 'bench-results', outDir: out, bench: plan.bench, variants: ['low', 'high'],
      cells: plan.items.map((it, i) => ({ variant: it.variant.name, seed: it.seed, trial: it.trial?.name, runDir: tasks[i].outDir, configHash: tasks[i].configHash })),
    }, new MemoryLogger());
    expect(collected.table).to.equal(seq.table);
  });

  it('refuses a metric the runs do not report, naming it, the run and what they report', () => {
    const rows = [{ variant: 'a', seed: 1, trial: 'lr=0.1', metrics: { test_err: 1 }, runDir: '/x/a/seed-1.lr=0.1' }];
    expect(() => selectTrials(rows, { vary: { 'train.optimizer.lr': [0.1] }, metric: 'val_mae', mode: 'min' }, [{ name: 'lr=0.1', set: { 'train.optimizer.lr': 0.1 } }]))
      .to.throw(LensforgeError, 'bench.tune.metric: "val_mae" is not a metric of /x/a/seed-1.lr=0.1 (variant "a", seed 1, trial "lr=0.1"; it reports test_err); expected a validation metric every run reports');
  });

  it('a diverged trial (NaN) loses to any finite one; max mode picks the largest', () => {
    const trials = [0.1, 0.2, 0.3].map((v) => ({ name: `lr=${v}`, set: { lr: v } }));
    const rows = [
      { variant: 'a', seed: 1, trial: 'lr=0.1', metrics: { acc: NaN }, runDir: 'r1' },
      { variant: 'a', seed: 1, trial: 'lr=0.2', metrics: { acc: 0.5 }, runDir: 'r2' },
      { variant: 'a', seed: 1, trial: 'lr=0.3', metrics: { acc: 0.7 }, runDir: 'r3' },
    ];
    const r = selectTrials(rows, { vary: { lr: [0.1, 0.2, 0.3] }, metric: 'acc', mode: 'max' }, trials);
    expect(r.rows.map((x) => x.runDir)).to.deep.equal(['r3']);
    expect((r.rows[0].metrics as Record<string, number>).tuned_lr).to.equal(0.3);
    const min = selectTrials(rows, { vary: { lr: [0.1, 0.2, 0.3] }, metric: 'acc', mode: 'min' }, trials);
    expect(min.rows[0].runDir).to.equal('r2');
  });

  it('validates every trial of every variant before running, naming the trial', async () => {
    const reg = await registry();
    const bad = { vary: { 'model.method.lr': [0.01, -1] }, metric: 'val_err', mode: 'min' };
    try {
      planBench(config(bad), reg);
      expect.fail('should have thrown');
    } catch (e) {
      expect(e).to.be.instanceOf(ConfigError);
      expect((e as Error).message).to.contain('[variant "low" trial "lr=-1", seeds 1, 2] model.method.lr');
    }
    expect(() => planBench(config({ vary: {}, metric: 'val_err', mode: 'min' }), reg)).to.throw(ConfigError, 'bench.tune.vary: expected at least one config path with its values');
  });

  it('refuses two variants or two trials with one name, naming the field and the name', () => {
    expect(() => expandVariants({ vary: { augment: ['a/x', { use: 'a/x' }] }, seeds: [1] }))
      .to.throw(ConfigError, 'bench.vary: two alternatives are both named "x"; use the list form with explicit names');
    expect(() => expandTrials({ vary: {}, seeds: [1], tune: { vary: { 'train.optimizer.lr': [0.1, 0.1] }, metric: 'm', mode: 'min' } }))
      .to.throw(ConfigError, 'bench.tune.vary: two trials are both named "lr=0.1"; give each value once');
  });
});
