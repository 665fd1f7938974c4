import { expect } from 'chai';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runFingerprint } from './run-fingerprint.fixture.js';

const BIN = 'dist/core/cli/bin.js';
/** One compute thread: the CPU is shared, and the comparison is of two processes. */
const ENV = { ...process.env, LENSFORGE_NATIVE_THREADS: '1', LENSFORGE_DEBUG: '' };

/** SimSiam on the test rings (the fixture's plugin file), 4 pre-training epochs of 16 steps, then fine-tuning. */
function writeConfig(dir: string): string {
  const plugin = resolve('dist/plugins/simsiam/components/rings.fixture.js');
  const file = join(dir, 'simsiam-kill.yaml');
  writeFileSync(file, [
    'name: simsiam-kill',
    'seed: 4',
    `backend: ${process.env.LENSFORGE_BACKEND ?? 'auto'}`,
    `plugins: [${plugin}]`,
    'data: { use: test/rings, size: 16 }',
    'augment: { use: simsiam/default, crop: { scale: [0.6, 1] } }',
    'model:',
    '  encoder: { use: encoders/small-cnn, width: 4 }',
    '  method:',
    '    use: simsiam/simsiam',
    '    projector: { hidden: 32, out: 32 }',
    '    predictor: { bottleneck: 8 }',
    '    evaluation: { size: 40 }',
    '    downstream: { target: radius, trainSize: 32, testSize: 32, epochs: 2, batchSize: 16, optimizer: { use: core/adam, lr: 0.001 } }',
    'loss: simsiam/neg-cosine',
    'train:',
    '  epochs: 4',
    '  batchSize: 16',
    '  trainSize: 256',
    '  optimizer: { use: core/sgd, lr: 0.05, momentum: 0.9, weightDecay: 0.0001 }',
    '  schedule: core/cosine',
    'evaluate: [{ use: simsiam/knn-r2, k: 5, folds: 4 }]',
    '',
  ].join('\n'));
  return file;
}

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: ENV });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('simsiam/simsiam: a run killed with kill -9 after its first checkpoint, resumed with --resume (real processes) @backend @slow', function () {
  this.timeout(600000);

  it('ends bit-identical to an uninterrupted run: metrics, per-epoch records and every checkpoint\'s tensors', async () => {
    const d = realpathSync(mkdtempSync(join(tmpdir(), 'lf-ss-kill-')));
    const cfg = writeConfig(d);
    const full = cli(['run', cfg, '--out', join(d, 'full')]);
    expect(full.code, full.err).to.equal(0);

    const out = join(d, 'killed');
    const latest = join(out, 'checkpoints', 'pretrain', 'latest.json');
    const child = spawn(process.execPath, [BIN, 'run', cfg, '--out', out], { stdio: 'ignore', env: ENV });
    const exited = new Promise<NodeJS.Signals | null>((res) => child.on('exit', (_code, signal) => res(signal)));
    // kill -9 as soon as the first checkpoint is on disk
    const killed = await new Promise<boolean>((res) => {
      const iv = setInterval(() => {
        if (existsSync(latest)) { clearInterval(iv); child.kill('SIGKILL'); res(true); }
      }, 5);
      child.on('exit', () => { clearInterval(iv); res(false); });
    });
    expect(killed, 'the run finished before the test could kill it').to.equal(true);
    expect(await exited).to.equal('SIGKILL');
    expect(existsSync(join(out, 'summary.json')), 'killed before the end').to.equal(false);
    const tagAtKill = (JSON.parse(readFileSync(latest, 'utf8')) as { tag: string }).tag;
    expect(tagAtKill < 'epoch-0003', `killed at ${tagAtKill}, before the last pre-training epoch`).to.equal(true);

    const resumed = cli(['run', cfg, '--out', out, '--resume']);
    expect(resumed.code, resumed.err).to.equal(0);
    expect(resumed.err).to.match(/\[simsiam-kill\] pretrain: resuming at epoch [234]\/4/);
    const a = runFingerprint(join(d, 'full')), b = runFingerprint(out);
    expect(b.metrics).to.equal(a.metrics);
    expect(b.records).to.deep.equal(a.records);
    expect(b.tensors).to.deep.equal(a.tensors);
  });
});
