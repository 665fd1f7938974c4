import { expect } from 'chai';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, realpathSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LockHolder } from '../io/dir-lock.js';

const BIN = 'dist/core/cli/bin.js';
const EXAMPLE = 'examples/custom-plugin/experiment.yaml';
/** Long enough to be killed mid-training (5 epochs of 96 steps); SGD, whose resume is bit-identical; seed 1 as the bench cell's. */
const SETS = ['--set', 'seed=1', '--set', 'train.epochs=5', '--set', 'train.trainSize=1536', '--set', 'data.count=1536', '--set', 'train.optimizer.name=sgd'];
const BENCH_SETS = [...SETS, '--set', 'bench.vary.augment=[example/flip]', '--set', 'bench.seeds=[1]'];
const tmp = () => realpathSync(mkdtempSync(join(tmpdir(), 'lf-cli-int-')));
const readJson = <T>(p: string) => JSON.parse(readFileSync(p, 'utf8')) as T;

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, LENSFORGE_DEBUG: '' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Start `lensforge ARGS` and, once `marker` (a latest.json) names epoch-0001 or later, stop it with `signal`. */
async function interruptAfterCheckpoint(args: string[], marker: string, signal: NodeJS.Signals): Promise<{ child: ChildProcess; exited: Promise<void> }> {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: 'ignore' });
  const exited = new Promise<void>((res) => child.on('exit', () => res()));
  const hit = await new Promise<boolean>((res) => {
    const iv = setInterval(() => {
      try {
        if (existsSync(marker) && readJson<{ tag: string }>(marker).tag >= 'epoch-0001') { clearInterval(iv); child.kill(signal); res(true); }
      } catch { /* being replaced */ }
    }, 5);
    child.on('exit', () => { clearInterval(iv); res(false); });
  });
  expect(hit, 'the command finished before it could be interrupted').to.equal(true);
  return { child, exited };
}

describe('lensforge CLI: interrupted runs and benches, one writer per directory (real processes)', function () {
  this.timeout(300000);
  let ref: Record<string, number>;
  let d: string;

  before(() => {
    d = tmp();
    const r = cli(['run', EXAMPLE, '--out', join(d, 'reference'), ...SETS]);
    expect(r.code, r.err).to.equal(0);
    ref = readJson<{ metrics: Record<string, number> }>(join(d, 'reference', 'summary.json')).metrics;
  });

  it('bench resumes a cell killed with kill -9 from its checkpoints and ends bit-identical to an uninterrupted run', async () => {
    const out = join(d, 'bench');
    const cell = join(out, 'flip', 'seed-1');
    const { exited } = await interruptAfterCheckpoint(['bench', EXAMPLE, '--out', out, ...BENCH_SETS], join(cell, 'checkpoints', 'train', 'latest.json'), 'SIGKILL');
    await exited;
    expect(existsSync(join(cell, 'summary.json'))).to.equal(false);
    expect(existsSync(join(out, 'lensforge.lock')), 'kill -9 leaves the bench lock').to.equal(true);
    const benchLock = readJson<LockHolder>(join(out, 'lensforge.lock'));
    const cellLock = readJson<LockHolder>(join(cell, 'lensforge.lock'));
    const tag = readJson<{ tag: string }>(join(cell, 'checkpoints', 'train', 'latest.json')).tag;

    const r = cli(['bench', EXAMPLE, '--out', out, ...BENCH_SETS]);
    expect(r.code, r.err).to.equal(0);
    expect(r.err).to.contain(`warning: bench folder ${out}: taking over the stale lock ${join(out, 'lensforge.lock')} of pid ${benchLock.pid} on host ${hostname()} ` +
      `(since ${benchLock.startedAt}: ${benchLock.command}); that process is no longer running`);
    expect(r.err).to.contain(`warning: run directory ${cell}: taking over the stale lock ${join(cell, 'lensforge.lock')} of pid ${cellLock.pid}`);
    expect(r.err).to.contain(`[1/1] flip seed 1: interrupted earlier, resuming ${cell} from its checkpoints (train: ${tag})`);
    expect(r.err).to.contain(`[flip] train: resuming at epoch ${Number(tag.slice(6)) + 2}/5`);
    expect(JSON.stringify(readJson<{ metrics: Record<string, number> }>(join(cell, 'summary.json')).metrics)).to.equal(JSON.stringify(ref));
    const epochs = readFileSync(join(cell, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { epoch: number }).epoch);
    expect(epochs).to.deep.equal([0, 1, 2, 3, 4]);
    expect(readFileSync(join(out, 'results.csv'), 'utf8')).to.equal(`variant,seed,mse_amplitude\nflip,1,${ref.mse_amplitude}\n`);
    expect(existsSync(join(out, 'lensforge.lock')) || existsSync(join(cell, 'lensforge.lock')), 'locks released').to.equal(false);
  });

  it('a second run on a directory in use is refused naming the holder; after kill -9 the next --resume takes over and ends bit-identical', async () => {
    const out = join(d, 'run');
    const args = ['run', EXAMPLE, '--out', out, ...SETS];
    const { child, exited } = await interruptAfterCheckpoint(args, join(out, 'checkpoints', 'train', 'latest.json'), 'SIGSTOP');
    try {
      const h = readJson<LockHolder>(join(out, 'lensforge.lock'));
      expect(h.pid).to.equal(child.pid);
      const second = cli([...args, '--resume']);
      expect(second.code).to.equal(1);
      expect(second.err).to.equal(`error: run directory ${out} is in use by another process: pid ${child.pid} on host ${hostname()}, since ${h.startedAt} ` +
        `(${h.command}); lock file ${join(out, 'lensforge.lock')}. Wait for it to finish or stop it.\n`);
      expect(h.command).to.contain(`run ${EXAMPLE} --out ${out}`);
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
    const resumed = cli([...args, '--resume']);
    expect(resumed.code, resumed.err).to.equal(0);
    expect(resumed.err).to.contain(`warning: run directory ${out}: taking over the stale lock ${join(out, 'lensforge.lock')} of pid ${child.pid} on host ${hostname()}`);
    expect(resumed.err).to.match(/\[blobs\] train: resuming at epoch [3-5]\/5/);
    expect(JSON.stringify(readJson<{ metrics: Record<string, number> }>(join(out, 'summary.json')).metrics)).to.equal(JSON.stringify(ref));
    expect(existsSync(join(out, 'lensforge.lock'))).to.equal(false);
    // the same directory with another configuration: refused with both hashes and the differing key
    const other = cli([...args, '--resume', '--set', 'train.epochs=6']);
    expect(other.code).to.equal(1);
    expect(other.err).to.match(new RegExp(`^error: run directory ${out} holds a run of a different configuration: stored hash [0-9a-f]{16} \\(config\\.resolved\\.json\\), ` +
      'this config [0-9a-f]{16}; 1 differing key: train\\.epochs: 5 → 6\\. Pass --overwrite to move the old run aside \\(whole\\) and start over, or --out DIR for a new run directory\\n$'));
  });
});
