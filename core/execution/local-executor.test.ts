import 'reflect-metadata';
import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MemoryLogger } from '../di/logger.js';
import { createRegistry } from '../dataset/build-simulator.js';
import { readConfigFile, validateExperiment } from '../experiment/load-config.js';
import { applyOverrides } from '../experiment/overrides.js';
import { configHashOf } from '../experiment/runner.js';
import { readExecState } from './exec-state.js';
import { LocalExecutor, LocalExecutorOptions, useSingleThreadedV8 } from './local-executor.js';
import { availableParallelism } from 'node:os';
import { workerArgv } from './task-files.js';
import type { ExecTask } from './task.js';
import { cli, EXAMPLE, SIM, TINY, sameDataset, sequentialReference, tmp, waitFor } from './executor-test-helpers.js';

/** A run task of the example (built by hand, as a plugin's own command would). */
async function exampleTask(id: string, outDir: string, sets: string[]): Promise<ExecTask> {
  const registry = await createRegistry(['./examples/custom-plugin/plugin.ts']);
  const raw = readConfigFile(EXAMPLE);
  delete raw.bench;
  applyOverrides(raw, sets);
  const loaded = validateExperiment(raw, registry, EXAMPLE, 'examples/custom-plugin');
  return { id, label: id, outDir, configHash: configHashOf(loaded), payload: { kind: 'run', config: raw, baseDir: join(process.cwd(), 'examples/custom-plugin'), source: EXAMPLE } };
}

describe('local executor (child processes)', function () {
  this.timeout(240000);
  let seq: string;

  before(function () {
    this.timeout(120000);
    seq = sequentialReference();
  });

  it('jobs that fill the cores run node --single-threaded (auto), others do not', () => {
    expect(useSingleThreadedV8('auto', 2, 1, 2)).to.equal(true);
    expect(useSingleThreadedV8('auto', 1, 1, 2)).to.equal(false);
    expect(useSingleThreadedV8('auto', 1, 2, 2)).to.equal(false); // a job with 2 threads keeps V8's helpers
    expect(useSingleThreadedV8('off', 2, 1, 2)).to.equal(false);
    expect(useSingleThreadedV8('on', 1, 1, 8)).to.equal(true);
    expect(workerArgv('/t.json', { singleThreadedV8: true }).slice(1, 2)).to.deep.equal(['--single-threaded']);
    expect(workerArgv('/t.json')).to.not.include('--single-threaded');
  });

  it('bench --jobs 2 writes a results.csv identical to the sequential run, and skips cells finished with the same hash', () => {
    const out = join(tmp(), 'par');
    const r = cli(['bench', EXAMPLE, '--out', out, ...TINY, '--jobs', '2']);
    expect(r.code, r.err).to.equal(0);
    expect(r.err).to.contain('on executor core/local');
    if (availableParallelism() <= 2) expect(r.err).to.match(/started \(pid \d+, node --single-threaded, log /);
    expect(readFileSync(join(out, 'results.csv'), 'utf8')).to.equal(readFileSync(join(seq, 'results.csv'), 'utf8'));
    expect(readFileSync(join(out, 'results.md'), 'utf8')).to.equal(readFileSync(join(seq, 'results.md'), 'utf8'));
    const s = readExecState(out)!;
    expect(s.tasks.map((t) => t.state)).to.deep.equal(['done', 'done', 'done', 'done']);
    for (const t of s.tasks) expect(existsSync(t.logPath!), t.logPath).to.equal(true);
    // again: every cell is done with the same hash, nothing runs
    const again = cli(['bench', EXAMPLE, '--out', out, ...TINY, '--executor', 'local', '--jobs', '2']);
    expect(again.code, again.err).to.equal(0);
    expect(again.err.match(/finished earlier with the same configuration, skipped/g)).to.have.length(4);
    expect(readExecState(out)!.tasks.every((t) => t.skipped)).to.equal(true);
    expect(readFileSync(join(out, 'results.csv'), 'utf8')).to.equal(readFileSync(join(seq, 'results.csv'), 'utf8'));
    // another configuration of the same cells (seed set changed) is not mistaken for done
    const other = cli(['bench', EXAMPLE, '--out', out, ...TINY, '--set', 'bench.seeds=[3]', '--set', 'bench.vary.augment=[null]', '--jobs', '1']);
    expect(other.code, other.err).to.equal(0);
    expect(other.err).to.not.contain('skipped');
    const st = cli(['status', out]);
    expect(st.code, st.err).to.equal(0);
    expect(st.out).to.match(/cell-000 +done +none seed 3/);
  });

  it('reports a failing cell with its log path and last lines while the other cells finish', () => {
    const out = join(tmp(), 'fail');
    const r = cli(['bench', EXAMPLE, '--out', out, ...TINY, '--set', 'bench.seeds=[1]', '--set', 'bench.vary={"model.method.target":["amplitude","nope"]}', '--jobs', '2']);
    expect(r.code).to.equal(1);
    const log = join(out, '.lensforge-exec', 'logs', 'cell-001.log');
    expect(r.err).to.contain('1 of 2 bench task(s) did not finish');
    expect(r.err).to.contain(`cell-001 (nope seed 1): failed, log ${log}`);
    expect(r.err).to.contain('exited with code 1');
    expect(r.err).to.contain('model.method.target: expected one of');
    expect(readFileSync(log, 'utf8')).to.contain('model.method.target: expected one of');
    const csv = readFileSync(join(out, 'results.csv'), 'utf8').trim().split('\n');
    expect(csv).to.have.length(2);
    expect(csv[1]).to.match(/^amplitude,1,\d/);
    const st = cli(['status', out]);
    expect(st.out).to.match(/cell-000 +done/);
    expect(st.out).to.match(/cell-001 +failed .*log .*cell-001\.log/);
    expect(st.out).to.contain('1 done, 0 running, 0 queued, 1 failed');
  });

  it('reports a killed child with its signal, and cancels queued and running tasks on abort', async () => {
    const d = tmp();
    const long = ['train.epochs=30', 'train.trainSize=1536', 'data.count=1536'];
    const tasks = [await exampleTask('a', join(d, 'a'), long), await exampleTask('b', join(d, 'b'), long), await exampleTask('c', join(d, 'c'), long)];
    const ex = new LocalExecutor(LocalExecutorOptions.parse({ jobs: 2 }));
    const ac = new AbortController();
    const logger = new MemoryLogger();
    const p = ex.run(tasks, { outDir: d, what: 'test', logger, signal: ac.signal });
    await waitFor(() => (readExecState(d)?.tasks.filter((t) => t.state === 'running').length ?? 0) === 2, 30000, 'two running tasks');
    const a = readExecState(d)!.tasks[0];
    process.kill(Number(a.handle), 'SIGKILL');
    await waitFor(() => readExecState(d)!.tasks[0].state === 'failed', 30000, 'the killed task to be reported');
    await waitFor(() => readExecState(d)!.tasks[2].state === 'running', 30000, 'the queued task to start');
    ac.abort();
    const r = await p;
    expect(r.tasks.map((t) => t.state)).to.deep.equal(['failed', 'cancelled', 'cancelled']);
    expect(r.tasks[0].error).to.contain('killed by SIGKILL');
    expect(r.tasks[0].error).to.contain(`last lines of ${join(d, '.lensforge-exec', 'logs', 'a.log')}`);
    expect(logger.lines.join('\n')).to.contain('[a] a: failed (killed by SIGKILL)');
    for (const t of r.tasks.slice(1)) expect(() => process.kill(Number(t.handle), 0), `process ${t.handle} still alive`).to.throw();
  });

  it('simulate --executor local --jobs 2 writes a dataset byte-identical to one process', () => {
    const d = tmp();
    const one = cli(['simulate', EXAMPLE, '--out', join(d, 'one'), ...SIM, '--workers', '1']);
    expect(one.code, one.err).to.equal(0);
    const par = cli(['simulate', EXAMPLE, '--out', join(d, 'par'), ...SIM, '--executor', 'local', '--jobs', '2', '--shards-per-task', '2']);
    expect(par.code, par.err).to.equal(0);
    const cmp = sameDataset(join(d, 'one'), join(d, 'par'));
    expect(cmp.files).to.include.members(['images-00003.npy', 'params.csv', 'samples.png']);
    expect(cmp.differing).to.deep.equal([]);
    expect(readExecState(join(d, 'par'))!.tasks.map((t) => t.state)).to.deep.equal(['done', 'done']);
    expect(JSON.parse(readFileSync(join(d, 'par', 'manifest.json'), 'utf8')).complete).to.equal(true);
  });
});
