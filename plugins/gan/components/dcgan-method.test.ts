import { expect } from 'chai';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { component, MemoryLogger, runExperiment, SilentProgress, validateExperiment, z, type Registry } from '../../../core/index.js';
import { interruptAfter, probeSeen as seen, ganTestRegistry, runTinyGan, tinyConfig, trainRecords } from '../testing/tiny-gan.js';
import { buildPixelTransform } from '../method/pixel-transform.js';
import { lossVariance, median } from '../method/stability.js';

let reg: Registry;
before(async () => {
  reg = await ganTestRegistry();
  reg.loadPlugin({ name: 'test2', components: [MseLike] });
});

async function run(loss: unknown, method: Record<string, unknown> = {}, epochs = 1, out?: string, resume = false) {
  return runTinyGan(reg, { loss, method, train: { epochs }, out, resume });
}

/** Tensor names of a checkpoint of the run in `out`. */
function checkpointNames(out: string, tag: string): string[] {
  return (JSON.parse(readFileSync(join(out, 'checkpoints', 'train', tag, 'tensors.json'), 'utf8')) as { tensors: Array<{ name: string }> }).tensors.map((e) => e.name);
}

async function configError(raw: Record<string, unknown>): Promise<string> {
  try {
    await runExperiment(validateExperiment(raw, reg), { registry: reg, out: join(mkdtempSync(join(tmpdir(), 'lf-gan-')), 'run'), logger: new MemoryLogger(), progress: new SilentProgress(), overwrite: true });
  } catch (e) { return (e as Error).message; }
  return '(no error)';
}

describe('gan/dcgan method @backend', function () {
  this.timeout(60000);

  for (const loss of ['gan/non-saturating', 'gan/hinge', 'gan/relativistic', 'gan/relativistic-average', 'gan/wgan-gp']) {
    it(`runs a few steps without NaN with ${loss}`, async () => {
      const { metrics, timings, runDir } = await run(loss);
      const rec = runDir.readRecords().filter((r) => r.phase === 'train');
      expect(rec).to.have.length(1);
      for (const k of ['gLoss', 'dLoss', 'dReal', 'dFake']) expect(Number.isFinite(rec[0][k]), k).to.equal(true);
      if (loss === 'gan/wgan-gp') expect(rec[0].gp as number).to.be.greaterThan(0);
      for (const k of ['gLossVariance', 'gLossFinal', 'dLossFinal', 'probe_meanPixel']) expect(Number.isFinite(metrics[k]), k).to.equal(true);
      // the step time is a timing, reported apart from the (deterministic) metrics
      expect(metrics).to.not.have.property('msPerStep');
      expect(timings.msPerStep).to.be.greaterThan(0);
    });
  }

  it('end to end: switches the loss at the given epoch, hands maps to the metrics, writes figures, resumes', async () => {
    seen.length = 0;
    const method = { switchLoss: { epoch: 1, to: 'gan/relativistic' }, evalEvery: 1 };
    const a = await run('gan/hinge', method, 2);
    const rec = a.runDir.readRecords().filter((r) => r.phase === 'train');
    expect(rec.map((r) => r.lossIndex)).to.deep.equal([0, 1]);
    expect(rec[0].probe_meanPixel).to.be.a('number');           // intermediate evaluation after epoch 1
    expect(seen).to.deep.equal([
      { nGen: 6, nVal: 6, mapSize: 16, epoch: 0, len: 256 },
      { nGen: 6, nVal: 6, mapSize: 16, epoch: undefined, len: 256 },
    ]);
    for (const f of ['loss-curves.png', 'samples.png']) expect(readFileSync(a.runDir.plot(f)).subarray(1, 4).toString()).to.equal('PNG');
    // A finished run resumed from its checkpoint re-evaluates the saved weights: same maps, same metrics.
    const b = await run('gan/hinge', method, 2, a.out, true);
    expect(b.metrics.probe_meanPixel).to.equal(a.metrics.probe_meanPixel);
    expect(b.metrics.gLossVariance).to.equal(a.metrics.gLossVariance);
  });

  it('ema: evaluates the averaged generator and checkpoints it as generatorEma', async () => {
    const plain = await run('gan/hinge', {}, 1);
    const ema = await run('gan/hinge', { ema: { decay: 0.9 } }, 1);
    // Same seed, same training: only the evaluated weights differ.
    expect(ema.runDir.readRecords().filter((r) => r.phase === 'train')[0].gLoss).to.equal(plain.runDir.readRecords().filter((r) => r.phase === 'train')[0].gLoss);
    expect(ema.metrics.probe_meanPixel).to.not.equal(plain.metrics.probe_meanPixel);
    expect(checkpointNames(ema.out, 'epoch-0000').some((n) => n.startsWith('model:generatorEma/'))).to.equal(true);
  });

  it('floorSplit: scores real maps of another split as <metric>_floor, the same whatever the generator; refuses the validation split', async () => {
    seen.length = 0;
    const one = await run('gan/hinge', { floorSplit: 'test' }, 1);
    const two = await run('gan/hinge', { floorSplit: 'test', ema: { decay: 0.9 } }, 2);
    // the generated maps differ, the floor (real vs real) does not
    expect(two.metrics.probe_meanPixel).to.not.equal(one.metrics.probe_meanPixel);
    expect(two.metrics.probe_meanPixel_floor).to.equal(one.metrics.probe_meanPixel_floor);
    expect(one.metrics.probe_hash_floor).to.equal(two.metrics.probe_hash_floor);
    // the floor's "generated" maps are real maps of the test split: as many as the validation maps, in data units
    const floorCall = seen[1];
    expect(floorCall).to.deep.include({ nGen: 6, nVal: 6, mapSize: 16, len: 256 });
    expect(one.metrics.probe_meanPixel_floor).to.not.equal(one.metrics.probe_meanPixel);
    // nothing of the floor is recorded as an evaluation of the generator
    expect(one.runDir.readRecords().filter((r) => r.phase === 'evaluate').some((r) => Object.keys(r).some((k) => k.endsWith('_floor')))).to.equal(false);
    expect(await configError(tinyConfig({ method: { floorSplit: 'validation' } }))).to.equal(
      'model.method.floorSplit is "validation", the split the validation maps come from; expected another split of the data (e.g. "test"), so that the floor compares independent maps');
  });

  it('rejects a non-GAN switch loss and a too small training set, naming the field', async () => {
    const raw = tinyConfig({ method: { switchLoss: { epoch: 0, to: 'test2/mse' } } });
    expect(await configError(raw)).to.equal('model.method.switchLoss.to: expected a gan loss, got a regression loss');
    expect(await configError(tinyConfig({ train: { trainSize: 3 } }))).to.equal('train.trainSize: gan/dcgan needs at least one batch (4) of training maps, got 3 (data.size 64)');
  });

  it('refuses the removed model.method.adam block, writing out the train.optimizers that replace it', () => {
    let msg = '';
    try { validateExperiment(tinyConfig({ method: { adam: { lrG: 0.001, beta1: 0.5 } } }), reg); } catch (e) { msg = (e as Error).message; }
    expect(msg).to.contain('model.method.adam: removed: the generator and discriminator optimizers are now train.optimizers.generator / .discriminator ' +
      '(any optimizer component; default Adam lr 2e-4, beta1 0.5, beta2 0.999); write instead ' +
      'train: { optimizers: { generator: { use: core/adam, lr: 0.001, beta1: 0.5, beta2: 0.999 }, discriminator: { use: core/adam, lr: 0.0002, beta1: 0.5, beta2: 0.999 } } }');
  });

  it('takes each network\'s optimizer from train.optimizers.<network>, else train.optimizer, else Adam; names unknown networks', async () => {
    const sgdD = await runTinyGan(reg, { train: { optimizer: { use: 'core/sgd', lr: 0.01, momentum: 0.5 }, optimizers: { generator: { use: 'core/adam', lr: 0.001 } } } });
    const names = checkpointNames(sgdD.out, 'epoch-0000');
    const slots = (net: string) => [...new Set(names.filter((n) => n.startsWith(`opt:${net}/`) && n.includes('/', `opt:${net}/`.length)).map((n) => n.slice(n.lastIndexOf('/') + 1)))].sort();
    expect(slots('generator')).to.deep.equal(['m', 'v']);              // train.optimizers.generator: Adam
    expect(slots('discriminator')).to.deep.equal(['momentum']);         // train.optimizer: SGD with momentum
    // with neither, both are DCGAN's Adam (lr 2e-4, beta1 0.5): the same run as naming it explicitly
    const adam = { use: 'core/adam', lr: 2e-4, beta1: 0.5, beta2: 0.999 };
    const explicit = await runTinyGan(reg, { train: { optimizers: { generator: adam, discriminator: adam } } });
    const implicit = await runTinyGan(reg, {});
    expect(explicit.metrics.probe_hash).to.equal(implicit.metrics.probe_hash);
    expect(trainRecords(explicit)).to.deep.equal(trainRecords(implicit));
    expect(sgdD.metrics.probe_hash).to.not.equal(implicit.metrics.probe_hash);
    expect(await configError(tinyConfig({ train: { optimizers: { critic: adam } } }))).to.equal('train.optimizers.critic: gan/dcgan has no network "critic"; expected one of generator, discriminator');
  });

  for (const [g, d] of [['core/adam', 'core/adam'], ['core/sgd', 'core/adam']] as const) {
    it(`resumes bit for bit after an interruption: generator ${g}, discriminator ${d}, EMA, cosine schedule`, async () => {
      const train = { epochs: 3, trainSize: 14, optimizers: { generator: { use: g, lr: 0.01 }, discriminator: { use: d, lr: 0.001, beta1: 0.5 } } };
      const method = { ema: { decay: 0.9 }, dSteps: 2 };
      const full = await runTinyGan(reg, { loss: 'gan/wgan-gp', method, train });
      const out = join(mkdtempSync(join(tmpdir(), 'lf-gan-')), 'run');
      cpSync(full.out, out, { recursive: true });
      interruptAfter(out, 1);                                          // killed after epoch 2 (3 steps, 6 batches of 4 of 14 maps: mid-permutation)
      const logger = new MemoryLogger();
      const resumed = await runTinyGan(reg, { loss: 'gan/wgan-gp', method, train, out, resume: true, logger });
      expect(logger.lines.join('\n')).to.contain('train: resuming at epoch 3/3');
      expect(trainRecords(resumed)).to.deep.equal(trainRecords(full));
      expect(resumed.metrics).to.deep.equal(full.metrics);
      const bin = (dir: string) => readFileSync(join(dir, 'checkpoints', 'train', 'epoch-0002', 'tensors.bin'));
      expect(checkpointNames(out, 'epoch-0002')).to.deep.equal(checkpointNames(full.out, 'epoch-0002'));
      expect(bin(out).equals(bin(full.out)), 'weights, optimizer slots and EMA weights after epoch 3').to.equal(true);
      expect(checkpointNames(out, 'epoch-0002').some((n) => n.startsWith('model:generatorEma/'))).to.equal(true);
    });
  }

  it('learns: the pixel KS distance of generated to validation maps falls well below the untrained generator\'s', async function () {
    this.timeout(180000);
    const cfg = (epochs: number) => ({
      data: { count: 256 }, method: { evalMaps: 32, evalBatch: 16 }, evaluate: [{ use: 'cosmology/pixel-ks', histogram: false }],
      train: { epochs, batchSize: 8, trainSize: 64, schedule: 'constant', optimizer: { use: 'core/adam', lr: 1e-3, beta1: 0.5 } },
    });
    const untrained = await runTinyGan(reg, cfg(0));
    const trained = await runTinyGan(reg, cfg(5));                       // 40 G+D steps
    expect(untrained.metrics.ks_D).to.be.greaterThan(0.2);
    expect(trained.metrics.ks_D).to.be.lessThan(0.5 * untrained.metrics.ks_D);
  });

  it('evalEvery is the phase validation: train.earlyStopping on a map metric stops, restores the best weights and evaluates them', async () => {
    const logger = new MemoryLogger();
    const r = await runTinyGan(reg, { method: { evalEvery: 1 }, train: { epochs: 4, earlyStopping: { metric: 'probe_meanPixel', mode: 'min', patience: 1 } }, logger });
    const rec = trainRecords(r);
    expect(rec.every((e) => typeof e.probe_meanPixel === 'number' && typeof e.probe_hash === 'number')).to.equal(true);
    const vals = rec.map((e) => e.probe_meanPixel as number);
    const best = vals.indexOf(Math.min(...vals));
    expect(rec.length).to.be.lessThan(4);                              // stopped early ...
    expect(rec.length).to.equal(best + 2);                             // ... one validation after the best
    expect(r.metrics.probe_hash).to.equal(rec[best].probe_hash);       // the final evaluation sees the best epoch's weights
    expect(r.metrics.probe_hash).to.not.equal(rec[rec.length - 1].probe_hash);
    expect(logger.lines.join('\n')).to.contain(`train: early stop after epoch ${rec.length}: probe_meanPixel did not improve for 1 validation(s); best`);
  });
});

@component({ kind: 'loss', name: 'test2/mse', description: 'a regression loss', options: z.strictObject({}) })
class MseLike { readonly family = 'regression' as const; compute(): never { throw new Error('unused'); } }

describe('gan/dcgan helpers', () => {
  it('cosmogan pixel transform: auto constants, s(median) = 0, exact inverse', () => {
    const px = Float32Array.from([-0.04, -0.01, 0.0, 0.02, 0.3]);
    const t = buildPixelTransform({ kind: 'cosmogan', shift: 'auto', a: 'auto' }, () => px);
    // shift = 0.04, a = median(px + 0.04) = 0.04 → s(-0.04) = -1, s(0) = 0, s(0.3) = 2·0.34/0.38 − 1.
    const s = t.forward(px);
    expect(s[0]).to.be.closeTo(-1, 1e-6);
    expect(s[2]).to.be.closeTo(0, 1e-6);
    expect(s[4]).to.be.closeTo(0.68 / 0.38 - 1, 1e-6);
    Array.from(t.inverse(s)).forEach((v, i) => expect(v).to.be.closeTo(px[i], 1e-6));
    const fixed = buildPixelTransform({ kind: 'cosmogan', shift: 0, a: 4 }, () => { throw new Error('not needed'); });
    expect(fixed.forward(Float32Array.of(4))[0]).to.equal(0);
    const aff = buildPixelTransform({ kind: 'affine', offset: 1, scale: 2 }, () => px);
    expect(Array.from(aff.inverse(aff.forward(Float32Array.of(5, -3))))).to.deep.equal([5, -3]);
  });

  it('stability: variance of the last epochs of the final loss; median', () => {
    expect(lossVariance([[100, -100], [1, 3], [2, 2]], 2)).to.equal(0.5);       // last 2 epochs: 1,3,2,2
    expect(lossVariance([[1, 3], [5, 5], [2, 2]], 3, 2)).to.equal(0);            // only epoch 2 (after a switch)
    expect(lossVariance([], 3)).to.be.NaN;
    expect([median([3, 1, 2]), median([4, 1, 2, 3])]).to.deep.equal([2, 2.5]);
  });
});
