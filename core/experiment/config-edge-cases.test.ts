import 'reflect-metadata';
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../errors.js';
import { createRegistry } from '../dataset/build-simulator.js';
import type { Registry } from '../registry/registry.js';
import { readConfigFile, validateExperiment } from './load-config.js';
import { applyOverrides } from './overrides.js';
import { planBench } from './bench-plan.js';
import { validateConfigFile } from './validate-config.js';

const EXAMPLE = 'examples/custom-plugin/experiment.yaml';
const tmp = () => mkdtempSync(join(tmpdir(), 'lf-edge-'));
let reg: Registry;

function issuesOf(fn: () => unknown): string[] {
  try { fn(); } catch (e) {
    if (e instanceof ConfigError) return e.issues.map((i) => `${i.path}: ${i.message}`);
    throw e;
  }
  expect.fail('expected a ConfigError');
}

function example(sets: string[] = []): Record<string, unknown> {
  const raw = readConfigFile(EXAMPLE);
  applyOverrides(raw, sets);
  return raw;
}

describe('config edge cases', function () {
  this.timeout(60000);
  before(async () => { reg = await createRegistry(['./examples/custom-plugin/plugin.ts'], process.cwd()); });

  it('names non-finite numbers as such (.inf, .nan, 1e400, YAML .inf in a file)', () => {
    for (const [v, shown] of [['.inf', 'Infinity'], ['.nan', 'NaN'], ['1e400', 'Infinity'], ['-.inf', '-Infinity']]) {
      expect(issuesOf(() => validateExperiment(example([`train.optimizer.lr=${v}`]), reg))).to.deep.equal([`train.optimizer.lr: expected a finite number, got ${shown}`]);
    }
    const d = tmp();
    writeFileSync(join(d, 'e.yaml'), readFileSync(EXAMPLE, 'utf8').replace('plugins: [./plugin.ts]', `plugins: [${join(process.cwd(), 'examples/custom-plugin/plugin.ts')}]`).replace('noise: 0.05', 'noise: .inf'));
    expect(issuesOf(() => validateExperiment(readConfigFile(join(d, 'e.yaml')), reg))).to.deep.equal(['data.noise: expected a finite number, got Infinity']);
  });

  it('refuses JSON duplicate keys with the key, line and column', () => {
    const d = tmp();
    writeFileSync(join(d, 'c.json'), '{\n  "seed": 1,\n  "name": "x",\n  "seed": 2,\n  "seed": 3\n}\n');
    expect(() => readConfigFile(join(d, 'c.json'))).to.throw(/^config .*c\.json: not valid JSON at line 4, column 3: duplicate key "seed" \(remove one of them/);
    writeFileSync(join(d, 'bad.json'), '{\n  "seed": 1,\n  "name": "x"\n  "data": {}\n}\n');
    expect(() => readConfigFile(join(d, 'bad.json'))).to.throw(/bad\.json: not valid JSON at line 4, column 3: unexpected """; expected "," or "\}" after a property value/);
  });

  it('refuses __proto__, constructor and prototype as path segments anywhere, and Object.prototype stays clean', () => {
    for (const k of ['__proto__', 'constructor', 'prototype']) {
      expect(() => applyOverrides({}, [`${k}.polluted=1`])).to.throw(ConfigError, `--set ${k}.polluted: "${k}" is not allowed as a key (it could modify Object.prototype); rename the key`);
      expect(() => applyOverrides({}, [`train.${k}.x=1`])).to.throw(ConfigError, `"${k}" is not allowed as a key`);
    }
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
    expect(Object.prototype).to.not.have.property('polluted');
    const d = tmp();
    writeFileSync(join(d, 'p.yaml'), 'seed: 1\ntrain:\n  optimizer:\n    __proto__: { polluted: 1 }\n');
    expect(issuesOf(() => readConfigFile(join(d, 'p.yaml')))).to.deep.equal(['train.optimizer.__proto__: "__proto__" is not allowed as a key (it could modify Object.prototype); rename the key']);
    writeFileSync(join(d, 'p.json'), '{"data": {"constructor": {"prototype": 1}}}');
    expect(issuesOf(() => readConfigFile(join(d, 'p.json')))).to.deep.equal(['data.constructor: "constructor" is not allowed as a key (it could modify Object.prototype); rename the key']);
    // a bench `set` path
    const raw = example(['bench={vary: [{name: a, set: {"__proto__.polluted": 1}}]}']);
    expect(issuesOf(() => planBench(raw, reg))).to.deep.equal(['[variant "a", seed 1] bench set __proto__.polluted: "__proto__" is not allowed as a key (it could modify Object.prototype); rename the key']);
    expect(Object.prototype).to.not.have.property('polluted');
  });

  it('says an empty file is empty', () => {
    const d = tmp();
    writeFileSync(join(d, 'e.yaml'), '');
    expect(issuesOf(() => readConfigFile(join(d, 'e.yaml')))).to.deep.equal(['(root): the file is empty; expected a mapping of sections (seed, data, model, ...)'.replace('(root): ', ': ')]);
    writeFileSync(join(d, 'c.yaml'), '# only a comment\n');
    expect(issuesOf(() => readConfigFile(join(d, 'c.yaml')))).to.deep.equal([': the file holds no settings (only comments); expected a mapping of sections (seed, data, model, ...)']);
    writeFileSync(join(d, 'e.json'), '\n');
    expect(() => readConfigFile(join(d, 'e.json'))).to.throw('the file is empty (only whitespace)');
  });

  it('refuses directories, FIFOs and devices at once, naming the path and what it is', function () {
    const d = tmp();
    mkdirSync(join(d, 'cfg.yaml'));
    expect(() => readConfigFile(join(d, 'cfg.yaml'))).to.throw(/^config .*cfg\.yaml: is a directory, not a file; expected a YAML or JSON experiment file$/);
    if (existsSync('/dev/null')) expect(() => readConfigFile('/dev/null')).to.throw('config /dev/null: is a character device, not a file');
    try { execFileSync('mkfifo', [join(d, 'pipe.yaml')]); } catch { this.skip(); }
    const t0 = Date.now();
    expect(() => readConfigFile(join(d, 'pipe.yaml'))).to.throw(/pipe\.yaml: is a named pipe \(FIFO\), not a file/);
    expect(Date.now() - t0).to.be.below(1000);
  });

  it('reports the failing union branch\'s own field error', () => {
    // simulate.workers: 'auto' | integer in [1, 64]
    expect(issuesOf(() => validateExperiment(example(['simulate={workers: 0}']), reg))).to.deep.equal(['simulate.workers: Too small: expected number to be >=1, got 0']);
    expect(issuesOf(() => validateExperiment(example(['simulate={workers: many}']), reg))).to.deep.equal(['simulate.workers: expected "auto" or number, got "many"']);
    // bench.vary: a map of lists | a list of { name, set }
    expect(issuesOf(() => planBench(example(['bench={vary: [{name: a, set: {}, extra: 1}]}']), reg)))
      .to.deep.equal(['bench.vary.0: unknown option "extra"; valid options: name, set']);
  });

  it('gives unknown options a did-you-mean and the valid names', () => {
    expect(issuesOf(() => validateExperiment(example(['train.epoch=3']), reg))).to.deep.equal([
      'train: unknown option "epoch"; did you mean "epochs"? Valid options: batchSize, checkpointEvery, earlyStopping, epochs, optimizer, optimizers, schedule, schedules, trainSize',
    ]);
    expect(issuesOf(() => validateExperiment(example(['data.nosie=0.1']), reg))).to.deep.equal([
      'data: unknown option "nosie"; did you mean "noise" or "size"? Valid options: count, noise, sigmaRange, size',
    ]);
  });

  it('says when a namespace matches no loaded plugin', () => {
    expect(issuesOf(() => validateExperiment(example(['augment=astro/dihedral-lens-pair']), reg))).to.deep.equal([
      `augment.use: unknown augmenter "astro/dihedral-lens-pair": no plugin named "astro" is loaded; add it under plugins: in the config (e.g. plugins: [./path/to/plugin.ts] or a package name). Loaded plugins: ${reg.pluginNames().join(', ')}`,
    ]);
    // a known namespace still gets did-you-mean
    expect(issuesOf(() => validateExperiment(example(['augment=example/flp']), reg))[0]).to.match(/^augment\.use: unknown augmenter "example\/flp". Did you mean "example\/flip"/);
  });
});

describe('validate checks what run and bench will build', function () {
  this.timeout(60000);
  before(async () => { reg = await createRegistry(['./examples/custom-plugin/plugin.ts'], process.cwd()); });

  const withBench = (bench: string, sets: string[] = []) => example([`bench=${bench}`, ...sets]);

  it('validates every bench variant x seed, prefixed with its variant and seeds', () => {
    expect(issuesOf(() => planBench(withBench('{vary: {data.noise: [0.1, "not-a-number"]}, seeds: [1, 2]}'), reg))).to.deep.equal([
      '[variant "not-a-number", seeds 1, 2] data.noise: expected number, got "not-a-number"',
    ]);
    expect(issuesOf(() => planBench(withBench('{vary: [{name: a, set: {}}, {name: b, set: {augment.use: 5}}, {name: c, set: {loss: 3}}]}'), reg))).to.deep.equal([
      '[variant "b", seed 1] augment: expected an augmenter name or { use: "<plugin>/<name>", ...options }, got {"use":5,"p":0.5}',
      '[variant "c", seed 1] loss: expected a loss name or { use: "<plugin>/<name>", ...options }, got 3',
    ]);
    const ok = planBench(withBench('{vary: {augment: [example/flip, null]}, seeds: [1, 2]}'), reg);
    expect(ok.items.map((i) => `${i.variant.name}/${i.seed}`)).to.deep.equal(['flip/1', 'flip/2', 'none/1', 'none/2']);
  });

  it('the validate entry point reports base and variant errors together, without repeating base ones per variant', async () => {
    const d = tmp();
    const cfg = readFileSync(EXAMPLE, 'utf8').replace('plugins: [./plugin.ts]', `plugins: [${join(process.cwd(), 'examples/custom-plugin/plugin.ts')}]`)
      .replace('augment: [example/flip, null]', 'augment: [example/flip, null, { use: example/flip, p: 7 }]');
    writeFileSync(join(d, 'b.yaml'), cfg);
    const r = await validateConfigFile(join(d, 'b.yaml'), reg).then(() => [], (e: ConfigError) => e.issues.map((i) => `${i.path}: ${i.message}`));
    expect(r).to.deep.equal(['[variant "flip(p=7)", seeds 1, 2] augment.p: Too big: expected number to be <=1, got 7']);
    const r2 = await validateConfigFile(join(d, 'b.yaml'), reg, ['train.epochs=-1']).then(() => [], (e: ConfigError) => e.issues.map((i) => `${i.path}: ${i.message}`));
    expect(r2).to.deep.equal(['train.epochs: Too small: expected number to be >=0, got -1', '[variant "flip(p=7)", seeds 1, 2] augment.p: Too big: expected number to be <=1, got 7']);
  });
});
