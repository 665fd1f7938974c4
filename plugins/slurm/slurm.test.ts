import 'reflect-metadata';
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readExecState } from '../../core/index.js';
import { cli, cliAsync, EXAMPLE, SIM, TINY, sameDataset, sequentialReference, tmp, waitFor } from '../../core/execution/executor-test-helpers.js';
import { startLocalCluster, type LocalCluster } from './testing/local-cluster.js';
import type { SlurmExtra } from './slurm-submission.js';

const POLL = ['--set', 'executor.pollSeconds=0.5'];

describe('slurm executor (a real single-node cluster: munged, slurmctld, slurmd)', function () {
  this.timeout(300000);
  let cluster: LocalCluster | undefined;
  let seq: string;
  let env: NodeJS.ProcessEnv;

  before(function () {
    this.timeout(120000);
    const c = startLocalCluster();
    if (typeof c === 'string') {
      if (process.env.LENSFORGE_REQUIRE_SLURM === '1') throw new Error(`LENSFORGE_REQUIRE_SLURM=1 but ${c}`);
      console.log(`    skipping the Slurm tests: ${c} (set LENSFORGE_REQUIRE_SLURM=1 to fail instead)`);
      this.skip();
    }
    cluster = c;
    env = { SLURM_CONF: c.conf };
    seq = sequentialReference();
  });

  after(() => { cluster?.stop(); });

  it('runs a 2x2 bench as a job array and writes a results.csv identical to the sequential run', () => {
    const out = join(tmp(), 'bench');
    const r = cli(['bench', EXAMPLE, '--out', out, ...TINY, '--executor', 'slurm', '--jobs', '2', ...POLL], env);
    expect(r.code, r.err).to.equal(0);
    expect(r.err).to.match(/slurm: submitted job array \d+ \(4 element\(s\), attempt 1, at most 2 at once\)/);
    expect(readFileSync(join(out, 'results.csv'), 'utf8')).to.equal(readFileSync(join(seq, 'results.csv'), 'utf8'));
    const s = readExecState(out)!;
    expect(s.executor).to.equal('slurm/slurm');
    expect(s.tasks.map((t) => t.state)).to.deep.equal(['done', 'done', 'done', 'done']);
    const jobId = (s.extra!.slurm as SlurmExtra).submissions[0].jobId;
    expect(s.tasks.map((t) => t.handle)).to.deep.equal([0, 1, 2, 3].map((i) => `${jobId}_${i}`));
    for (const t of s.tasks) expect(readFileSync(t.logPath!, 'utf8'), t.logPath).to.contain(`task ${t.id}: done`);
    const script = readFileSync(join(out, '.lensforge-exec', 'slurm', 'array-1.sh'), 'utf8');
    expect(script).to.contain('#SBATCH --array=0-3%2');
    expect(script).to.contain('#SBATCH --cpus-per-task=1');
  });

  it('reports a failing element with its log while the others finish', () => {
    const out = join(tmp(), 'fail');
    const r = cli(['bench', EXAMPLE, '--out', out, ...TINY, '--set', 'bench.seeds=[1]', '--set', 'bench.vary={"model.method.target":["amplitude","nope"]}',
      '--executor', 'slurm', '--retries', '0', ...POLL], env);
    expect(r.code).to.equal(1);
    const s = readExecState(out)!;
    expect(s.tasks.map((t) => t.state)).to.deep.equal(['done', 'failed']);
    const bad = s.tasks[1];
    expect(bad.logPath).to.match(/slurm-\d+_1\.out$/);
    expect(bad.error).to.match(/Slurm state FAILED, exit code 1:0/);
    expect(r.err).to.contain(`cell-001 (nope seed 1): failed, log ${bad.logPath}`);
    expect(r.err).to.contain('model.method.target: expected one of');
    expect(readFileSync(bad.logPath!, 'utf8')).to.contain('model.method.target: expected one of');
    expect(readFileSync(join(out, 'results.csv'), 'utf8').trim().split('\n')).to.have.length(2);
    const st = cli(['status', out], env);
    expect(st.code, st.err).to.equal(0);
    expect(st.out).to.match(/cell-001 +failed +nope seed 1 .*log .*slurm-\d+_1\.out/);
    // without a reachable scheduler the state file is shown as last written, with a note
    writeFileSync(join(out, 'empty-slurm.conf'), '');
    const off = cli(['status', out], { SLURM_CONF: join(out, 'empty-slurm.conf') });
    expect(off.code, off.err).to.equal(0);
    expect(off.out).to.contain('note: could not ask the scheduler');
    expect(off.out).to.match(/cell-001 +failed/);
  });

  it('resubmits an element cancelled mid-run (scancel), which resumes from its checkpoint', async () => {
    const out = join(tmp(), 'cancel');
    // long enough (on the native backend too) that the cancel lands mid-run
    const long = ['--set', 'train.epochs=40', '--set', 'train.trainSize=1536', '--set', 'data.count=1536', '--set', 'bench.seeds=[1]', '--set', 'bench.vary.augment=[null]'];
    const run = cliAsync(['bench', EXAMPLE, '--out', out, ...long, '--executor', 'slurm', '--retries', '1', ...POLL], env);
    const marker = join(out, 'none', 'seed-1', 'checkpoints', 'train', 'latest.json');
    await waitFor(() => existsSync(marker) && (JSON.parse(readFileSync(marker, 'utf8')) as { tag: string }).tag >= 'epoch-0001', 180000, 'the first checkpoints');
    const jobId = (readExecState(out)!.extra!.slurm as SlurmExtra).submissions[0].jobId;
    const sc = spawnSync('scancel', [`${jobId}_0`], { encoding: 'utf8', env: { ...process.env, ...env } });
    expect(sc.status, sc.stderr).to.equal(0);
    const r = await run.done;
    expect(r.code, r.err).to.equal(0);
    expect(r.err).to.contain('resubmitting 1 element(s) that did not finish (attempt 2 of 2)');
    const s = readExecState(out)!;
    const t = s.tasks[0];
    expect(t.state).to.equal('done');
    expect(t.attempt).to.equal(2);
    const subs = (s.extra!.slurm as SlurmExtra).submissions;
    expect(subs.map((x) => x.attempt)).to.deep.equal([1, 2]);
    expect(readFileSync(t.logPath!, 'utf8')).to.match(/resuming at epoch ([2-9]|[1-3][0-9]|40)\/40/);
    const epochs = readFileSync(join(out, 'none', 'seed-1', 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { epoch: number }).epoch);
    expect(epochs).to.deep.equal(Array.from({ length: 40 }, (_, i) => i));
    expect(readFileSync(join(out, 'results.csv'), 'utf8')).to.match(/^variant,seed,mse_amplitude\nnone,1,\d/);
    const st = cli(['status', out], env);
    expect(st.out).to.match(/cell-000 +done +none seed 1 +attempt 2/);
  });

  it('simulate via slurm writes a dataset byte-identical to one process', () => {
    const d = tmp();
    const one = cli(['simulate', EXAMPLE, '--out', join(d, 'one'), ...SIM, '--workers', '1']);
    expect(one.code, one.err).to.equal(0);
    const r = cli(['simulate', EXAMPLE, '--out', join(d, 'slurm'), ...SIM, '--executor', 'slurm', '--shards-per-task', '2', ...POLL], env);
    expect(r.code, r.err).to.equal(0);
    expect(readExecState(join(d, 'slurm'))!.tasks.map((t) => `${t.id}:${t.state}`)).to.deep.equal(['shards-00000-00001:done', 'shards-00002-00003:done']);
    expect(sameDataset(join(d, 'one'), join(d, 'slurm')).differing).to.deep.equal([]);
  });

  it('--detach returns at once and a dependent job writes the bench table when the elements end', async () => {
    const out = join(tmp(), 'detach');
    const r = cli(['bench', EXAMPLE, '--out', out, ...TINY, '--set', 'bench.seeds=[1]', '--executor', 'slurm', '--detach'], env);
    expect(r.code, r.err).to.equal(0);
    expect(r.err).to.match(/follow-up job \d+ runs when it ends/);
    expect(existsSync(join(out, 'results.csv'))).to.equal(false);
    await waitFor(() => existsSync(join(out, 'results.csv')), 180000, 'the follow-up job to write results.csv');
    const lines = readFileSync(join(out, 'results.csv'), 'utf8').trim().split('\n');
    const seqLines = readFileSync(join(seq, 'results.csv'), 'utf8').trim().split('\n');
    expect(lines).to.deep.equal([seqLines[0], ...seqLines.slice(1).filter((l) => /^[^,]+,1,/.test(l))]);
    const st = cli(['status', out], env);
    expect(st.out).to.contain('2 done, 0 running, 0 queued, 0 failed');
  });
});
