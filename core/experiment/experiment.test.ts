import 'reflect-metadata';
import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { inject } from '../di/typed-inject.js';
import { ConfigError } from '../errors.js';
import { MemoryLogger, type Logger } from '../di/logger.js';
import { SilentProgress } from '../di/progress.js';
import { TOKENS } from '../di/tokens.js';
import { binding } from '../di/token.js';
import { component } from '../registry/component.js';
import { definePlugin } from '../registry/plugin.js';
import { createRegistry } from '../dataset/build-simulator.js';
import type { Registry } from '../registry/registry.js';
import { loadExperiment, validateExperiment, readConfigFile } from './load-config.js';
import { runExperiment } from './runner.js';
import { runBench, expandVariants } from './bench.js';
import { applyOverrides } from './overrides.js';

const EXAMPLE = 'examples/custom-plugin/experiment.yaml';
const tmp = () => mkdtempSync(join(tmpdir(), 'lf-exp-'));

async function exampleRegistry(): Promise<Registry> {
  return createRegistry(['./examples/custom-plugin/plugin.ts'], process.cwd());
}

describe('experiments', function () {
  this.timeout(120000);

  it('reports every configuration error at once, with key paths and the file', async () => {
    const reg = await exampleRegistry();
    const raw = readConfigFile(EXAMPLE);
    applyOverrides(raw, ['data.use=example/blob', 'model.encoder.width=0', 'train.epochs=-1', 'extra=1', 'evaluate[0]=example/mae']);
    try {
      validateExperiment(raw, reg, EXAMPLE);
      expect.fail('should have thrown');
    } catch (e) {
      expect(e).to.be.instanceOf(ConfigError);
      const msg = (e as Error).message;
      expect(msg).to.contain(`5 configuration errors in ${EXAMPLE}:`);
      expect(msg).to.contain('- (root): unknown option "extra"');
      expect(msg).to.contain('- train.epochs: Too small: expected number to be >=0, got -1');
      expect(msg).to.contain('- data.use: unknown simulator "example/blob". Did you mean "example/blobs"?');
      expect(msg).to.contain('- model.encoder.width: Too small: expected number to be >=1, got 0');
      expect(msg).to.match(/- evaluate\[0\]\.use: unknown metric "example\/mae"\. Did you mean [^?]*"example\/mse"[^?]*\?/);
      expect((e as ConfigError).issues.every((i) => i.source === EXAMPLE)).to.equal(true);
    }
  });

  it('requires data and a method', async () => {
    const reg = await exampleRegistry();
    expect(() => validateExperiment({ model: {} }, reg)).to.throw(ConfigError, 'data: required: name the simulator');
    expect(() => validateExperiment({ model: {} }, reg)).to.throw(ConfigError, 'model.method: required: name the method');
  });

  it('lets a test substitute an injected service', async () => {
    const reg = await exampleRegistry();
    @component({ kind: 'simulator', name: 'test/logging-blobs', description: 'logs', options: z.object({}) })
    class LoggingSim {
      readonly imageShape = [8, 8, 1] as const;
      readonly labelNames = ['amplitude'];
      readonly size = 32;
      constructor(@inject(TOKENS.Logger) logger: Logger) { logger.info('simulator built with the injected logger'); }
      sample(i: number) { return { image: new Float32Array(64).fill(i % 3), labels: { amplitude: i % 3 } }; }
    }
    reg.loadPlugin(definePlugin({ name: 'test', components: [LoggingSim] }));
    const loaded = await loadExperiment(EXAMPLE, reg, ['data=test/logging-blobs', 'train.epochs=1', 'model.method.testSize=8', 'train.trainSize=32']);
    const swapped = new MemoryLogger();
    await runExperiment(loaded, { registry: reg, out: join(tmp(), 'run'), logger: new MemoryLogger(), progress: new SilentProgress(), services: [binding(TOKENS.Logger, swapped)] });
    expect(swapped.lines).to.include('simulator built with the injected logger');
  });

  it('writes a run directory and reproduces summary metrics for the same seed', async () => {
    const reg = await exampleRegistry();
    const loaded = await loadExperiment(EXAMPLE, reg, ['train.epochs=2']);
    const d = tmp();
    const opts = { registry: reg, logger: new MemoryLogger(), progress: new SilentProgress() };
    const a = await runExperiment(loaded, { ...opts, out: join(d, 'a') });
    const b = await runExperiment(loaded, { ...opts, out: join(d, 'b') });
    for (const f of ['config.resolved.json', 'metrics.jsonl', 'summary.json', 'checkpoints/train/latest.json']) expect(existsSync(join(d, 'a', f)), f).to.equal(true);
    expect(a.metrics.mse_amplitude).to.be.a('number');
    expect(b.metrics).to.deep.equal(a.metrics);
    const resolved = JSON.parse(readFileSync(join(d, 'a', 'config.resolved.json'), 'utf8')) as Record<string, unknown>;
    expect(resolved.seed).to.equal(7);
    expect((resolved.versions as Record<string, string>).tfjs).to.equal('4.22.0');
    const lines = readFileSync(join(d, 'a', 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { epoch: number });
    expect(lines.map((l) => l.epoch)).to.deep.equal([0, 1]);
    const other = await loadExperiment(EXAMPLE, reg, ['train.epochs=2', 'seed=8']);
    const c = await runExperiment(other, { ...opts, out: join(d, 'c') });
    expect(c.metrics.mse_amplitude).to.not.equal(a.metrics.mse_amplitude);
    // re-using a finished run directory needs --resume or --overwrite
    await runExperiment(loaded, { ...opts, out: join(d, 'a') }).then(() => expect.fail('should refuse'), (e: Error) => expect(e.message).to.match(/^run directory .*\/a already holds a finished run of this configuration \(hash [0-9a-f]{16}\); pass --resume to continue it, --overwrite to move it aside and start over, or --out DIR for a new one$/));
  });

  it('expands bench grids and names variants', () => {
    expect(expandVariants({ vary: { augment: ['example/flip', null], 'train.epochs': [1, 2] }, seeds: [1] }).map((v) => v.name))
      .to.deep.equal(['flip, 1', 'flip, 2', 'none, 1', 'none, 2']);
    expect(expandVariants({ vary: [{ name: 'scratch', set: { 'train.epochs': 0 } }], seeds: [1] })).to.deep.equal([{ name: 'scratch', set: { 'train.epochs': 0 } }]);
  });

  it('runs a bench grid and writes results.csv, results.md and summary.json', async () => {
    const reg = await exampleRegistry();
    const raw = readConfigFile(EXAMPLE);
    applyOverrides(raw, ['train.epochs=1', 'train.trainSize=64', 'model.method.testSize=16']);
    const out = join(tmp(), 'bench');
    const r = await runBench(raw, { registry: reg, out, logger: new MemoryLogger(), progress: new SilentProgress(), source: EXAMPLE, baseDir: 'examples/custom-plugin' });
    expect(r.rows.map((x) => `${x.variant}/${x.seed}`)).to.deep.equal(['flip/1', 'flip/2', 'none/1', 'none/2']);
    const md = readFileSync(join(out, 'results.md'), 'utf8');
    expect(md).to.match(/\| flip \| \d\.\d{4} ± \d\.\d{4} \|/);
    expect(readFileSync(join(out, 'results.csv'), 'utf8').split('\n')[0]).to.equal('variant,seed,mse_amplitude');
    // a second bench re-uses the finished runs
    const again = await runBench(raw, { registry: reg, out, logger: new MemoryLogger(), progress: new SilentProgress(), source: EXAMPLE, baseDir: 'examples/custom-plugin' });
    expect(again.rows.every((x) => x.cached)).to.equal(true);
    expect(again.table).to.equal(r.table);
  });

  it('validates every bench variant before running any', async () => {
    const reg = await exampleRegistry();
    const raw = readConfigFile(EXAMPLE);
    raw.bench = { vary: { 'model.encoder.width': [4, -2] }, seeds: [1] };
    const out = join(tmp(), 'bench');
    await runBench(raw, { registry: reg, out, logger: new MemoryLogger(), progress: new SilentProgress() })
      .then(() => expect.fail('should fail'), (e: Error) => {
        expect(e.message).to.contain('[variant "-2", seed 1] model.encoder.width: Too small');
      });
    expect(existsSync(join(out, '4'))).to.equal(false);
  });
});
