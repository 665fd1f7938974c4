import 'reflect-metadata';
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { MemoryLogger } from '../di/logger.js';
import { SilentProgress } from '../di/progress.js';
import { component } from '../registry/component.js';
import { definePlugin } from '../registry/plugin.js';
import { createRegistry } from '../dataset/build-simulator.js';
import { simulateDataset } from '../dataset/simulate.js';
import type { Registry } from '../registry/registry.js';
import type { MethodContext, MethodResult } from '../contracts/index.js';
import { LOCK_FILE, type LockHolder } from '../io/dir-lock.js';
import { holdLockInChild } from '../testing/lock-holder-process.js';
import { loadExperiment, readConfigFile } from './load-config.js';
import { applyOverrides } from './overrides.js';
import { configHashOf, runExperiment, type Summary } from './runner.js';
import { runBench } from './bench.js';

const EXAMPLE = 'examples/custom-plugin/experiment.yaml';
/** The tutorial config, small and with SGD (whose resume is bit-identical). */
const TINY = ['train.epochs=3', 'train.trainSize=64', 'model.method.testSize=16', 'train.optimizer.name=sgd'];
const tmp = () => realpathSync(mkdtempSync(join(tmpdir(), 'lf-integrity-')));
const readJson = <T>(p: string) => JSON.parse(readFileSync(p, 'utf8')) as T;
const quiet = () => ({ logger: new MemoryLogger(), progress: new SilentProgress() });

function deadPid(): number {
  return Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
}

/** A method with a deterministic metric and a timing (the contract's `{ metrics, timings }`). */
@component({ kind: 'method', name: 'test/timed', description: 'a metric and a timing', options: z.strictObject({ k: z.number().default(1), target: z.string().optional(), testSize: z.number().optional() }) })
class TimedMethod {
  constructor() { /* no options needed */ }
  async run(ctx: MethodContext): Promise<MethodResult> {
    const t0 = performance.now();
    let s = 0;
    for (let i = 0; i < 32; i++) s += ctx.data.sample(i, 'train').labels.amplitude * ctx.rng.derive(`w${i}`).uniform();
    return { metrics: { score: s / 32 }, timings: { ms_total: performance.now() - t0 + 1e-9 } };
  }
}

async function registry(): Promise<Registry> {
  const reg = await createRegistry(['./examples/custom-plugin/plugin.ts'], process.cwd());
  reg.loadPlugin(definePlugin({ name: 'test', components: [TimedMethod] }));
  return reg;
}

function benchRaw(vary: unknown, extra: string[] = []): Record<string, unknown> {
  const raw = readConfigFile(EXAMPLE);
  applyOverrides(raw, [...TINY, ...extra]);
  raw.bench = { vary, seeds: [1] };
  return raw;
}

describe('run integrity: one config and one writer per directory, resumable bench, deterministic metrics', function () {
  this.timeout(240000);
  let reg: Registry;
  before(async () => { reg = await registry(); });

  it('refuses a run directory of another configuration, naming both hashes and the differing keys', async () => {
    const out = join(tmp(), 'run');
    const first = await runExperiment(await loadExperiment(EXAMPLE, reg, [...TINY, 'train.epochs=1']), { ...quiet(), registry: reg, out });
    const other = await loadExperiment(EXAMPLE, reg, [...TINY, 'train.epochs=2', 'seed=9']);
    const expected = `run directory ${out} holds a run of a different configuration: stored hash ${first.summary.configHash} (config.resolved.json), ` +
      `this config ${configHashOf(other)}; 2 differing keys: seed: 7 → 9; train.epochs: 1 → 2. ` +
      'Pass --overwrite to move the old run aside (whole) and start over, or --out DIR for a new run directory';
    for (const resume of [true, false]) {
      const err = await runExperiment(other, { ...quiet(), registry: reg, out, resume }).then(() => undefined, (e: Error) => e);
      expect(err?.message).to.equal(expected);
    }
    expect(readJson<Summary>(join(out, 'summary.json')).configHash).to.equal(first.summary.configHash);
    expect(existsSync(join(out, LOCK_FILE)), 'the lock is released after the refusal').to.equal(false);
  });

  it('--overwrite moves the old run aside whole and starts over in a clean directory', async () => {
    const d = tmp();
    const out = join(d, 'run');
    const first = await runExperiment(await loadExperiment(EXAMPLE, reg, [...TINY, 'train.epochs=1']), { ...quiet(), registry: reg, out });
    const other = await loadExperiment(EXAMPLE, reg, [...TINY, 'train.epochs=2']);
    const logger = new MemoryLogger();
    const second = await runExperiment(other, { logger, progress: new SilentProgress(), registry: reg, out, overwrite: true });
    const aside = readdirSync(d).filter((f) => f.startsWith('run.replaced-'));
    expect(aside).to.have.length(1);
    expect(aside[0]).to.match(/^run\.replaced-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z$/);
    const asidePath = join(d, aside[0]);
    expect(logger.lines).to.include(`[blobs] --overwrite: moved the old run in ${out} aside, whole, to ${asidePath} (it held a run of a different configuration: ` +
      `stored hash ${first.summary.configHash} (config.resolved.json), this config ${second.summary.configHash}; 1 differing key: train.epochs: 1 → 2); starting over in a clean directory`);
    // the old run is intact beside, the new directory holds only the new run
    expect(readJson<Summary>(join(asidePath, 'summary.json')).configHash).to.equal(first.summary.configHash);
    expect(readJson<{ configHash: string }>(join(asidePath, 'config.resolved.json')).configHash).to.equal(first.summary.configHash);
    expect(readdirSync(join(asidePath, 'checkpoints', 'train')).filter((f) => f.startsWith('epoch-'))).to.deep.equal(['epoch-0000']);
    expect(existsSync(join(asidePath, LOCK_FILE))).to.equal(false);
    expect(readJson<{ configHash: string }>(join(out, 'config.resolved.json')).configHash).to.equal(second.summary.configHash);
    expect(readJson<Summary>(join(out, 'summary.json')).configHash).to.equal(second.summary.configHash);
    expect(second.runDir.readRecords().map((r) => r.epoch)).to.deep.equal([0, 1]);
    // the same config again: --resume continues it (nothing moved), --overwrite without --resume replaces it
    await runExperiment(other, { ...quiet(), registry: reg, out, resume: true, overwrite: true });
    expect(readdirSync(d).filter((f) => f.startsWith('run.replaced-'))).to.have.length(1);
    const again = new MemoryLogger();
    await runExperiment(other, { logger: again, progress: new SilentProgress(), registry: reg, out, overwrite: true });
    expect(readdirSync(d).filter((f) => f.startsWith('run.replaced-'))).to.have.length(2);
    expect(again.lines.some((l) => /^\[blobs\] --overwrite: moved the old run in .* aside, whole, to .*run\.replaced-.*; starting over in a clean directory$/.test(l))).to.equal(true);
  });

  it('bench: reuses finished cells, resumes an interrupted one from its checkpoints, refuses a changed cell unless --overwrite, which replaces only that cell', async () => {
    const out = join(tmp(), 'bench');
    const vary = [{ name: 'a', set: { augment: { use: 'example/flip' } } }, { name: 'b', set: { augment: null } }];
    const opts = { registry: reg, out, progress: new SilentProgress(), source: EXAMPLE, baseDir: 'examples/custom-plugin' };
    const first = await runBench(benchRaw(vary), { ...opts, logger: new MemoryLogger() });
    const cell = (v: string) => join(out, v, 'seed-1');
    // "interrupted": cell b lost its summary (as after a kill during its final evaluation)
    rmSync(join(cell('b'), 'summary.json'));
    // cell a's summary as written before timings were split from metrics: re-evaluated, not reused
    const { timings: _t, ...legacy } = readJson<Summary>(join(cell('a'), 'summary.json'));
    writeFileSync(join(cell('a'), 'summary.json'), JSON.stringify(legacy));
    const log1 = new MemoryLogger();
    const second = await runBench(benchRaw(vary), { ...opts, logger: log1 });
    expect(log1.lines).to.include(`[1/2] a seed 1: ${join(cell('a'), 'summary.json')} predates the split of timings from metrics; re-evaluating the run from its checkpoints`);
    expect(log1.lines).to.include(`[2/2] b seed 1: interrupted earlier, resuming ${cell('b')} from its checkpoints (train: epoch-0002)`);
    expect(log1.lines).to.include('[b] train: resuming at epoch 4/3');
    expect(second.rows.map((r) => r.cached)).to.deep.equal([false, false]);
    expect(readJson<Summary>(join(cell('a'), 'summary.json')).timings).to.deep.equal({});
    expect(JSON.stringify(second.rows.map((r) => r.metrics))).to.equal(JSON.stringify(first.rows.map((r) => r.metrics)));

    // the grid changes: b gets another augmentation, c is new
    const changed = [vary[0], { name: 'b', set: { augment: { use: 'example/flip', p: 0.25 } } }, { name: 'c', set: { 'train.epochs': 2 } }];
    const oldB = readJson<Summary>(join(cell('b'), 'summary.json')).configHash;
    const err = await runBench(benchRaw(changed), { ...opts, logger: new MemoryLogger() }).then(() => undefined, (e: Error) => e);
    const newB = /this config ([0-9a-f]{16})/.exec(err?.message ?? '')?.[1];
    expect(err?.message).to.equal(`bench folder ${out}: 1 of 3 cells holds a run of another configuration:\n` +
      `  - b/seed-1 (variant "b", seed 1) stored hash ${oldB} (config.resolved.json), this config ${newB}; 1 differing key: augment: (absent) → {"use":"example/flip","p":0.25}\n` +
      'Pass --overwrite to replace those cells (each old cell directory is moved aside whole to <cell>.replaced-<time>); unchanged cells are reused or resumed. Or use another --out.');
    expect(existsSync(cell('c')), 'nothing ran').to.equal(false);

    const log2 = new MemoryLogger();
    const third = await runBench(benchRaw(changed), { ...opts, logger: log2, overwrite: true });
    expect(log2.lines).to.include(`[1/3] a seed 1: finished earlier, reusing ${join(cell('a'), 'summary.json')}`);
    expect(log2.lines).to.include(`[2/3] b seed 1: replacing ${cell('b')}: it holds a run of a different configuration: stored hash ${oldB} (config.resolved.json), ` +
      `this config ${newB}; 1 differing key: augment: (absent) → {"use":"example/flip","p":0.25}`);
    expect(log2.lines).to.include('[3/3] c seed 1');
    expect(third.rows.map((r) => r.cached)).to.deep.equal([true, false, false]);
    const asideB = readdirSync(join(out, 'b')).filter((f) => f.startsWith('seed-1.replaced-'));
    expect(asideB).to.have.length(1);
    expect(readJson<Summary>(join(out, 'b', asideB[0], 'summary.json')).configHash).to.equal(oldB);
    // every cell's summary describes the config beside it
    for (const v of ['a', 'b', 'c']) {
      expect(readJson<Summary>(join(cell(v), 'summary.json')).configHash, v).to.equal(readJson<{ configHash: string }>(join(cell(v), 'config.resolved.json')).configHash);
    }
    expect(readJson<Summary>(join(cell('b'), 'summary.json')).configHash).to.equal(newB);
    // killed before its first checkpoint: started again in place, same config, same numbers
    rmSync(join(cell('c'), 'summary.json'));
    rmSync(join(cell('c'), 'checkpoints'), { recursive: true });
    const log3 = new MemoryLogger();
    const fourth = await runBench(benchRaw(changed), { ...opts, logger: log3 });
    expect(log3.lines).to.include(`[3/3] c seed 1: interrupted before its first checkpoint; starting it again in ${cell('c')}`);
    expect(JSON.stringify(fourth.rows.map((r) => r.metrics))).to.equal(JSON.stringify(third.rows.map((r) => r.metrics)));
  });

  it('a second writer is refused with the holder named, for a run directory, a bench folder and a dataset folder', async () => {
    const d = tmp();
    const cases: Array<{ what: string; dir: string; start: () => Promise<unknown> }> = [
      { what: 'run directory', dir: join(d, 'run'), start: async () => runExperiment(await loadExperiment(EXAMPLE, reg, TINY), { ...quiet(), registry: reg, out: join(d, 'run') }) },
      { what: 'bench folder', dir: join(d, 'bench'), start: async () => runBench(benchRaw({ augment: [null] }), { ...quiet(), registry: reg, out: join(d, 'bench') }) },
      { what: 'dataset folder', dir: join(d, 'data'), start: async () => simulateDataset(await loadExperiment(EXAMPLE, reg, ['simulate.count=8', 'simulate.shardSize=4', 'simulate.plotSamples=0']), { out: join(d, 'data'), registry: reg, logger: new MemoryLogger(), workers: 1 }) },
    ];
    for (const c of cases) {
      const holder = await holdLockInChild(c.dir, c.what);
      try {
        const err = await c.start().then(() => undefined, (e: Error) => e);
        const h = readJson<LockHolder>(join(c.dir, LOCK_FILE));
        expect(err?.message, c.what).to.equal(`${c.what} ${c.dir} is in use by another process: pid ${holder.pid} on host ${hostname()}, since ${h.startedAt} ` +
          `(hold-dir-lock ${c.dir}); lock file ${join(c.dir, LOCK_FILE)}. Wait for it to finish or stop it.`);
        expect(readdirSync(c.dir), `${c.what}: nothing written`).to.deep.equal([LOCK_FILE]);
      } finally {
        holder.child.kill('SIGTERM');
        await holder.exited;
      }
    }
  });

  it('takes over a stale lock and removes stale temp files at the next start (run directory and dataset folder)', async () => {
    const d = tmp();
    const out = join(d, 'run');
    const loaded = await loadExperiment(EXAMPLE, reg, TINY);
    await runExperiment(loaded, { ...quiet(), registry: reg, out });
    rmSync(join(out, 'summary.json'));
    const dead = deadPid();
    const stale: LockHolder = { pid: dead, host: hostname(), startedAt: '2026-01-02T03:04:05.000Z', command: 'lensforge run killed.yaml', token: 't' };
    writeFileSync(join(out, LOCK_FILE), JSON.stringify(stale));
    mkdirSync(join(out, 'checkpoints', 'train', `.epoch-0003.${dead}.tmp`));
    writeFileSync(join(out, 'checkpoints', 'train', `.epoch-0003.${dead}.tmp`, 'tensors.bin'), 'partial');
    writeFileSync(join(out, `.summary.json.${dead}.7.tmp`), '{"trunc');
    writeFileSync(join(out, 'plots', `.umap.png.${dead}.1.tmp`), '');
    writeFileSync(join(out, `.metrics.jsonl.${process.pid}.99.tmp`), '');   // a live writer's: kept
    const logger = new MemoryLogger();
    await runExperiment(loaded, { logger, progress: new SilentProgress(), registry: reg, out, resume: true });
    expect(logger.lines[0]).to.equal(`warning: run directory ${out}: taking over the stale lock ${join(out, LOCK_FILE)} of pid ${dead} on host ${hostname()} ` +
      '(since 2026-01-02T03:04:05.000Z: lensforge run killed.yaml); that process is no longer running');
    expect(logger.lines[1]).to.equal(`removed 3 stale temporary files left in ${out} by processes that are no longer running: ` +
      `.summary.json.${dead}.7.tmp, plots/.umap.png.${dead}.1.tmp, checkpoints/train/.epoch-0003.${dead}.tmp`);
    expect(existsSync(join(out, `.metrics.jsonl.${process.pid}.99.tmp`))).to.equal(true);
    expect(existsSync(join(out, 'summary.json'))).to.equal(true);
    expect(existsSync(join(out, LOCK_FILE))).to.equal(false);

    const data = join(d, 'data');
    const sim = await loadExperiment(EXAMPLE, reg, ['simulate.count=8', 'simulate.shardSize=4', 'simulate.plotSamples=0']);
    await simulateDataset(sim, { out: data, registry: reg, logger: new MemoryLogger(), workers: 1, maxShards: 1 });
    writeFileSync(join(data, `.images-00001.npy.${dead}.0.tmp`), 'partial shard');
    const simLog = new MemoryLogger();
    await simulateDataset(sim, { out: data, registry: reg, logger: simLog, workers: 1 });
    expect(simLog.lines).to.include(`removed 1 stale temporary file left in ${data} by processes that are no longer running: .images-00001.npy.${dead}.0.tmp`);
    expect(readdirSync(data).filter((f) => f.endsWith('.tmp'))).to.deep.equal([]);
  });

  it('metrics are bit-identical across reruns; timings go to summary.json `timings` and to their own bench columns after the metrics', async () => {
    const d = tmp();
    const tiny = await loadExperiment(EXAMPLE, reg, TINY);
    const a = await runExperiment(tiny, { ...quiet(), registry: reg, out: join(d, 'a') });
    const b = await runExperiment(tiny, { ...quiet(), registry: reg, out: join(d, 'b') });
    const sa = readJson<Summary>(join(d, 'a', 'summary.json')), sb = readJson<Summary>(join(d, 'b', 'summary.json'));
    expect(JSON.stringify(sb.metrics)).to.equal(JSON.stringify(sa.metrics));
    expect(Object.keys(sa.metrics)).to.deep.equal(['mse_amplitude']);
    expect(sa.timings).to.deep.equal({});
    expect(a.metrics).to.deep.equal(b.metrics);

    const timed = await loadExperiment(EXAMPLE, reg, [...TINY, 'model.method.use=test/timed']);
    const t1 = await runExperiment(timed, { ...quiet(), registry: reg, out: join(d, 't1') });
    const t2 = await runExperiment(timed, { ...quiet(), registry: reg, out: join(d, 't2') });
    const s1 = readJson<Summary>(join(d, 't1', 'summary.json'));
    expect(Object.keys(s1.metrics)).to.deep.equal(['score']);
    expect(Object.keys(s1.timings)).to.deep.equal(['ms_total']);
    expect(s1.timings.ms_total).to.be.greaterThan(0);
    expect(JSON.stringify(readJson<Summary>(join(d, 't2', 'summary.json')).metrics)).to.equal(JSON.stringify(s1.metrics));
    expect(t2.timings).to.have.property('ms_total');
    expect(t1.metrics).to.not.have.property('ms_total');

    const raw = benchRaw({ 'model.method.k': [1, 2] }, ['model.method.use=test/timed']);
    const bench = await runBench(raw, { ...quiet(), registry: reg, out: join(d, 'bench') });
    expect(bench.metrics).to.deep.equal(['score']);
    expect(bench.timings).to.deep.equal(['ms_total']);
    const csv = readFileSync(join(d, 'bench', 'results.csv'), 'utf8').split('\n');
    expect(csv[0]).to.equal('variant,seed,score,timings.ms_total');
    const md = readFileSync(join(d, 'bench', 'results.md'), 'utf8');
    expect(md.split('\n')[0]).to.equal('| variant | score | timings.ms_total |');
    expect(md).to.contain('timings.* columns: wall-clock measurements, which vary from run to run (the metrics do not)');
    const summary = readJson<{ metrics: string[]; timings: string[]; aggregate: Record<string, Record<string, unknown>>; aggregateTimings: Record<string, Record<string, unknown>> }>(join(d, 'bench', 'summary.json'));
    expect(Object.keys(summary.aggregate['1'])).to.deep.equal(['score']);
    expect(Object.keys(summary.aggregateTimings['1'])).to.deep.equal(['ms_total']);
    // a timing named in bench.metrics is still shown as a timing, after the metrics
    raw.bench = { vary: { 'model.method.k': [1, 2] }, seeds: [1], metrics: ['ms_total', 'score'] };
    const again = await runBench(raw, { ...quiet(), registry: reg, out: join(d, 'bench') });
    expect(again.table.split('\n')[0]).to.equal('| variant | score | timings.ms_total |');
    expect(dirname(again.rows[0].runDir)).to.equal(join(d, 'bench', '1'));
  });
});
