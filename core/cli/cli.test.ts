import { expect } from 'chai';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = 'dist/core/cli/bin.js';
const EXAMPLE = 'examples/custom-plugin/experiment.yaml';
const PLUGIN = './examples/custom-plugin/plugin.ts';
const tmp = () => mkdtempSync(join(tmpdir(), 'lf-cli-'));

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, LENSFORGE_DEBUG: '' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('lensforge CLI (end to end on the example plugin)', function () {
  this.timeout(240000);

  it('lists components with options and defaults, as text and JSON', () => {
    const t = cli(['--plugin', PLUGIN, 'list', 'simulator']);
    expect(t.code, t.err).to.equal(0);
    expect(t.out).to.contain('example/blobs  (example)  Gaussian blobs with noise (tutorial plugin)');
    expect(t.out).to.match(/size: integer in \[8, 256\] = 16 {2}— image side in pixels/);
    const j = cli(['--plugin', PLUGIN, 'list', '--json']);
    const items = JSON.parse(j.out) as Array<{ name: string; kind: string; options: Array<{ name: string; default?: unknown }> }>;
    const blobs = items.find((i) => i.name === 'example/blobs')!;
    expect(blobs.kind).to.equal('simulator');
    expect(blobs.options.find((o) => o.name === 'noise')!.default).to.equal(0.05);
    expect(items.some((i) => i.name === 'io/dataset')).to.equal(true);
  });

  it('validates a config, and reports every error with exit code 2', () => {
    const ok = cli(['validate', EXAMPLE]);
    expect(ok.code, ok.err).to.equal(0);
    expect(ok.out).to.contain('valid. data=example/blobs method=example/regress');
    const bad = cli(['validate', EXAMPLE, '--set', 'model.encoder.width=abc', '--set', 'loss.use=example/mae']);
    expect(bad.code).to.equal(2);
    expect(bad.err).to.contain('2 configuration errors in examples/custom-plugin/experiment.yaml:');
    expect(bad.err).to.contain('model.encoder.width: expected number, got "abc"');
    expect(bad.err).to.contain('loss.use: unknown loss "example/mae". Did you mean "example/mse"?');
    const missing = cli(['run', 'nope.yaml']);
    expect(missing.code).to.equal(1);
    expect(missing.err).to.contain('config file not found');
  });

  it('runs an experiment into a run directory', () => {
    const out = join(tmp(), 'run');
    const r = cli(['run', EXAMPLE, '--out', out, '--set', 'train.epochs=1']);
    expect(r.code, r.err).to.equal(0);
    expect(JSON.parse(r.out)).to.have.property('mse_amplitude');
    for (const f of ['config.resolved.json', 'metrics.jsonl', 'summary.json']) expect(existsSync(join(out, f)), f).to.equal(true);
  });

  it('resumes a killed run and ends with the same result as an uninterrupted one', async () => {
    const d = tmp();
    const sets = ['--set', 'train.epochs=5', '--set', 'train.trainSize=1536', '--set', 'data.count=1536'];
    const full = cli(['run', EXAMPLE, '--out', join(d, 'full'), ...sets]);
    expect(full.code, full.err).to.equal(0);
    const out = join(d, 'killed');
    const child = spawn(process.execPath, [BIN, 'run', EXAMPLE, '--out', out, ...sets], { stdio: 'ignore' });
    const marker = join(out, 'checkpoints', 'train', 'latest.json');
    const killed = await new Promise<boolean>((res) => {
      const iv = setInterval(() => {
        if (existsSync(marker)) {
          const { tag } = JSON.parse(readFileSync(marker, 'utf8')) as { tag: string };
          if (tag >= 'epoch-0001') { clearInterval(iv); child.kill('SIGKILL'); res(true); }
        }
      }, 5);
      child.on('exit', () => { clearInterval(iv); res(false); });
    });
    expect(killed, 'the run finished before it could be killed').to.equal(true);
    expect(existsSync(join(out, 'summary.json'))).to.equal(false);
    const resumed = cli(['run', EXAMPLE, '--out', out, '--resume', ...sets]);
    expect(resumed.code, resumed.err).to.equal(0);
    expect(resumed.err).to.match(/resuming at epoch [3-5]\/5/);
    const a = JSON.parse(readFileSync(join(d, 'full', 'summary.json'), 'utf8')) as { metrics: Record<string, number> };
    const b = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { metrics: Record<string, number> };
    // tfjs's Adam recomputes its bias corrections as beta^t when its state is restored (instead of
    // the running product), so a resumed run agrees to float32 rounding, not bit for bit.
    expect(Object.keys(b.metrics)).to.deep.equal(Object.keys(a.metrics));
    for (const k of Object.keys(a.metrics)) expect(b.metrics[k]).to.be.closeTo(a.metrics[k], 1e-5 * Math.abs(a.metrics[k]));
    const epochs = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { epoch: number }).epoch);
    expect(epochs).to.deep.equal([0, 1, 2, 3, 4]);
  });

  it('resumes from the previous intact checkpoint when the latest tensors.bin is damaged, with a warning, and ends identical', () => {
    const d = tmp();
    const sets = ['--set', 'train.epochs=4', '--set', 'train.optimizer.name=sgd', '--set', 'train.optimizer.lr=0.02'];
    const full = cli(['run', EXAMPLE, '--out', join(d, 'full'), ...sets]);
    expect(full.code, full.err).to.equal(0);
    const out = join(d, 'damaged');
    cpSync(join(d, 'full'), out, { recursive: true });
    rmSync(join(out, 'summary.json'));
    const bin = join(out, 'checkpoints', 'train', 'epoch-0003', 'tensors.bin');
    const buf = readFileSync(bin);
    const expected = createHash('sha256').update(buf).digest('hex');
    for (let i = 100; i < 116; i++) buf[i] ^= 0xa5;
    writeFileSync(bin, buf);
    const got = createHash('sha256').update(buf).digest('hex');
    const resumed = cli(['run', EXAMPLE, '--out', out, '--resume', ...sets]);
    expect(resumed.code, resumed.err).to.equal(0);
    expect(resumed.err).to.contain(`warning: [blobs] train: resuming from checkpoint epoch-0002, the newest intact one; skipped epoch-0003 (${bin}: sha256 mismatch: expected ${expected}, got ${got} (same size, ${buf.length} bytes); the file is damaged)`);
    expect(resumed.err).to.contain('[blobs] train: resuming at epoch 4/4');
    const a = JSON.parse(readFileSync(join(d, 'full', 'summary.json'), 'utf8')) as { metrics: Record<string, number> };
    const b = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { metrics: Record<string, number> };
    expect(b.metrics).to.deep.equal(a.metrics);
    expect(readFileSync(bin).equals(readFileSync(join(d, 'full', 'checkpoints', 'train', 'epoch-0003', 'tensors.bin')))).to.equal(true);
    const epochs = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { epoch: number }).epoch);
    expect(epochs).to.deep.equal([0, 1, 2, 3]);
  });

  it('refuses to resume a run of another configuration', () => {
    const out = join(tmp(), 'run');
    expect(cli(['run', EXAMPLE, '--out', out, '--set', 'train.epochs=1']).code).to.equal(0);
    const r = cli(['run', EXAMPLE, '--out', out, '--resume', '--set', 'train.epochs=2', '--set', 'seed=99']);
    expect(r.code).to.equal(1);
    expect(r.err).to.contain('holds a run of a different configuration');
  });

  it('runs a bench and prints the comparison table', () => {
    const out = join(tmp(), 'bench');
    const r = cli(['bench', EXAMPLE, '--out', out, '--set', 'train.epochs=1', '--set', 'train.trainSize=64', '--set', 'bench.seeds=[3]']);
    expect(r.code, r.err).to.equal(0);
    expect(r.out).to.contain('| variant | mse_amplitude |');
    expect(r.out).to.match(/\| none \| \d\.\d{4} \|/);
    expect(existsSync(join(out, 'results.csv'))).to.equal(true);
  });

  it('prints doctor information, as text and JSON', () => {
    const t = cli(['doctor']);
    expect(t.code, t.err).to.equal(0);
    expect(t.out).to.match(/^backend: (tensorflow|native|wasm) \(/);
    expect(t.out).to.contain(`node ${process.version}, tfjs 4.22.0`);
    const r = cli(['doctor', '--json']);
    expect(r.code, r.err).to.equal(0);
    const info = JSON.parse(r.out) as { node: string; tfjs: string; candidates: { kind: string }[] };
    expect(info.node).to.equal(process.version);
    expect(info.tfjs).to.equal('4.22.0');
    expect(info.candidates.map((c) => c.kind)).to.deep.equal(['gpu', 'node', 'native', 'wasm', 'cpu']);
  });

  it('loads third-party plugins named in a config relative to the file', () => {
    const d = tmp();
    const cfg = readFileSync(EXAMPLE, 'utf8').replace('plugins: [./plugin.ts]', `plugins: [${join(process.cwd(), 'examples/custom-plugin/plugin.ts')}]`);
    writeFileSync(join(d, 'exp.yaml'), cfg);
    expect(cli(['validate', join(d, 'exp.yaml')]).code).to.equal(0);
    writeFileSync(join(d, 'bad.yaml'), cfg.replace(/plugins: \[[^\]]*\]/, 'plugins: [./missing-plugin.js]'));
    const bad = cli(['validate', join(d, 'bad.yaml')]);
    expect(bad.code).to.equal(1);
    expect(bad.err).to.contain('plugins: "./missing-plugin.js" not found');
  });

  it('validate expands the bench; list shows nested options; a FIFO or folder as config is refused at once', function () {
    const ok = cli(['validate', EXAMPLE]);
    expect(ok.code, ok.err).to.equal(0);
    expect(ok.out).to.contain('; bench: 2 variant(s) x 2 seed(s) = 4 run(s), all valid');
    const bad = cli(['validate', EXAMPLE, '--set', 'bench.vary.augment=[example/flip, {use: example/flip, p: 2}]']);
    expect(bad.code).to.equal(2);
    expect(bad.err).to.contain('[variant "flip(p=2)", seeds 1, 2] augment.p: Too big: expected number to be <=1, got 2');
    const list = cli(['list', 'method']);
    expect(list.out).to.contain('      downstream: false | object = {}\n        data: simulator component (name or { use, ...options })  — an independent population (default: the training simulator)');
    const d = tmp();
    mkdirSync(join(d, 'dir.yaml'));
    const dir = cli(['validate', join(d, 'dir.yaml')]);
    expect(dir.code).to.equal(1);
    expect(dir.err).to.contain('dir.yaml: is a directory, not a file; expected a YAML or JSON experiment file');
    try { execFileSync('mkfifo', [join(d, 'pipe.yaml')]); } catch { this.skip(); }
    const fifo = spawnSync(process.execPath, [BIN, 'validate', join(d, 'pipe.yaml')], { encoding: 'utf8', timeout: 60000 });
    expect(fifo.status).to.equal(1);
    expect(fifo.stderr).to.contain('pipe.yaml: is a named pipe (FIFO), not a file');
    // (without the check the process hangs forever on the pipe; spawnSync's timeout would make status null)
  });
});
