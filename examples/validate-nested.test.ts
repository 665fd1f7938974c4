import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, createRegistry, MAX_ALLOC_ENV, readConfigFile, validateConfigFile, validateExperiment, planBench } from '../core/index.js';
import { applyOverrides } from '../core/experiment/overrides.js';
import type { Registry } from '../core/registry/registry.js';

function issuesOf(fn: () => unknown): string[] {
  try { fn(); } catch (e) {
    if (e instanceof ConfigError) return e.issues.map((i) => `${i.path}: ${i.message}`);
    throw e;
  }
  expect.fail('expected a ConfigError');
}

const cfg = (file: string, sets: string[] = []) => { const raw = readConfigFile(file); applyOverrides(raw, sets); return raw; };

/** The 19 mutations the issue found accepted by `validate`: nested component configs and bench grids. */
describe('validate reaches nested component configs and every bench cell (example configs)', function () {
  this.timeout(60000);
  let reg: Registry;
  before(async () => { reg = await createRegistry(); });

  it('model.method.downstream.data (a componentRef inside a union option) is validated with full key paths', () => {
    const q = 'examples/lensiam-quick.yaml';
    expect(issuesOf(() => validateExperiment(cfg(q, [
      'model.method.downstream.data.sources.mergerFraction=x', 'model.method.downstream.data.deltaPix=abc',
      'model.method.downstream.data.noise.exposure_time.0=x', 'model.method.downstream.data.psfs.fwhm.2=x',
    ]), reg, q))).to.deep.equal([
      'model.method.downstream.data.deltaPix: expected number, got "abc"',
      'model.method.downstream.data.sources.mergerFraction: expected number, got "x"',
      'model.method.downstream.data.psfs.fwhm.2: expected number, got "x"',
      'model.method.downstream.data.noise.exposure_time.0: expected number, got "x"',
    ]);
    expect(issuesOf(() => validateExperiment(cfg(q, ['model.method.downstream.data.use=lensing/strong-lns']), reg, q))[0])
      .to.match(/^model\.method\.downstream\.data\.use: unknown simulator "lensing\/strong-lns". Did you mean "lensing\/strong-lens"/);
  });

  it('bench.vary.model.method.labelFraction.1: "not-a-number" is refused per variant and seeds', () => {
    const f = 'examples/band-pretext-quick.yaml';
    const raw = cfg(f);
    const vary = (raw.bench as { vary: Record<string, unknown[]> }).vary;
    vary['model.method.labelFraction'][1] = 'not-a-number';
    const issues = issuesOf(() => planBench(raw, reg, f));
    expect(issues.length).to.be.greaterThan(0);
    for (const i of issues) expect(i).to.match(/^\[variant "[^"]*not-a-number", seeds 1, 2, 3\] model\.method\.labelFraction: expected number, got "not-a-number"$/);
  });

  it('bench.vary.N.set.loss, .set.augment.use and switchLoss.to are validated', () => {
    const f = 'examples/gan-losses.yaml';
    const raw = cfg(f);
    const vary = (raw.bench as { vary: Array<{ set: Record<string, unknown> }> }).vary;
    vary[1].set['augment.use'] = 5;
    vary[2].set.loss = 3;
    vary[2].set['model.method.switchLoss'] = { epoch: 16, to: 'gan/relativstic' };
    const issues = issuesOf(() => planBench(raw, reg, f));
    expect(issues).to.have.length(3);
    expect(issues).to.include('[variant "hinge", seeds 1, 2, 3] augment: expected an augmenter name or { use: "<plugin>/<name>", ...options }, got {"use":5}');
    expect(issues).to.include('[variant "hinge-then-relativistic", seeds 1, 2, 3] loss: expected a loss name or { use: "<plugin>/<name>", ...options }, got 3');
    expect(issues.find((i) => i.includes('switchLoss'))).to.match(/^\[variant "hinge-then-relativistic", seeds 1, 2, 3\] model\.method\.switchLoss\.to\.use: unknown loss "gan\/relativstic". Did you mean "gan\/relativistic" or "gan\/relativistic-average"\? Registered losses: /);
    vary[1].set = {}; vary[2].set = { 'model.method.switchLoss': { epoch: 16, to: { use: 'gan/relativistic', bogus: 1 } } };
    expect(issuesOf(() => planBench(raw, reg, f))).to.deep.equal(['[variant "hinge-then-relativistic", seeds 1, 2, 3] model.method.switchLoss.to: unknown option "bogus" (this takes no options)']);
  });

  it('`validate` of a config file checks the bench too', async () => {
    const d = mkdtempSync(join(tmpdir(), 'lf-valnest-'));
    writeFileSync(join(d, 'b.yaml'), 'data: { use: lensing/strong-lens, numPix: 32 }\nmodel: { encoder: encoders/small-cnn, method: { use: simsiam/simsiam, downstream: false } }\n' +
      'bench: { vary: [ { name: a, set: {} }, { name: b, set: { model.method.downstream: { data: { use: lensing/strong-lens, deltaPix: -1 } } } } ] }\n');
    const err = await validateConfigFile(join(d, 'b.yaml'), reg).then(() => undefined, (e: unknown) => e);
    expect(err).to.be.instanceOf(ConfigError);
    expect((err as ConfigError).issues.map((i) => `${i.path}: ${i.message}`)).to.deep.equal(['[variant "b", seed 1] model.method.downstream.data.deltaPix: Too small: expected number to be >0, got -1']);
  });

  it('refuses image and batch sizes over the allocation limit, with the estimated bytes and the fields', () => {
    const q = 'examples/lensiam-quick.yaml';
    const prev = process.env[MAX_ALLOC_ENV];
    process.env[MAX_ALLOC_ENV] = '512';
    try {
      expect(issuesOf(() => validateExperiment(cfg(q, ['data.numPix=1024', 'data.supersampling=16']), reg, q))).to.deep.equal([
        'data.numPix: numPix 1024 x supersampling 16 needs about 10.0 GiB for the render grids (5 float64 arrays of (numPix x supersampling)^2 sub-pixels), more than the allocation limit of 512.0 MiB (LENSFORGE_MAX_ALLOC_MB=512); reduce numPix or supersampling',
      ]);
      expect(issuesOf(() => validateExperiment(cfg(q, ['train.batchSize=20000', 'data.numPix=256']), reg, q))).to.deep.equal([
        'train.batchSize: train.batchSize 20000 x numPix 256 needs about 9.77 GiB for a training batch (2 float32 views per sample), more than the allocation limit of 512.0 MiB (LENSFORGE_MAX_ALLOC_MB=512); reduce train.batchSize or numPix',
      ]);
      // nested simulators are checked too
      expect(issuesOf(() => validateExperiment(cfg(q, ['model.method.downstream.data.supersampling=16', 'model.method.downstream.data.numPix=1024']), reg, q))[0])
        .to.match(/^model\.method\.downstream\.data\.numPix: numPix 1024 x supersampling 16 needs about 10\.0 GiB/);
      expect(() => validateExperiment(cfg(q), reg, q)).to.not.throw();
    } finally {
      if (prev === undefined) delete process.env[MAX_ALLOC_ENV]; else process.env[MAX_ALLOC_ENV] = prev;
    }
  });
});
