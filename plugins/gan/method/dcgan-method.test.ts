import { expect } from 'chai';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  component, inject, MemoryLogger, Registry, runExperiment, SilentProgress, TOKENS, validateExperiment, z,
  type EvalContext, type Metric, type Rng, type Sample, type Simulator,
} from '../../../core/index.js';
import { ganPlugin } from '../plugin.js';
import * as tf from '@tensorflow/tfjs';
import { testBackendRequest } from '../../../core/testing/test-backend.js';
import { makeEmaUpdate } from './ema-hook.js';
import { buildPixelTransform } from './pixel-transform.js';
import { lossVariance, median } from './stability.js';

/** 16x16 smooth random maps (sums of two random cosines), deterministic per (split, index). */
@component({ kind: 'simulator', name: 'test/cosine-maps', description: 'tiny smooth maps for GAN tests', options: z.strictObject({ count: z.number().int().default(64) }) })
class CosineMaps implements Simulator {
  readonly imageShape = [16, 16, 1] as const;
  readonly labelNames = [] as const;
  readonly size: number;
  constructor(@inject(TOKENS.Options) o: { count: number }, @inject(TOKENS.Rng) private readonly rng: Rng) { this.size = o.count; }
  sample(i: number, split = 'train'): Sample {
    const r = this.rng.derive(`${split}:${i}`);
    const [a, b, p] = [r.uniform(0.2, 1), r.uniform(0.2, 1), r.uniform(0, 6.28)];
    return { image: Float32Array.from({ length: 256 }, (_, k) => 0.1 * (a * Math.cos((k % 16) / 2 + p) + b * Math.sin(Math.floor(k / 16) / 3))), labels: {} };
  }
}

const seen: Array<Record<string, unknown>> = [];
/** Records what the method hands to metrics and returns the mean generated pixel. */
@component({ kind: 'metric', name: 'test/map-probe', description: 'records EvalContext.extra', options: z.strictObject({}) })
class MapProbe implements Metric {
  readonly requires = ['extra'] as const;
  async evaluate(ctx: EvalContext) {
    const e = ctx.extra as { generatedMaps: Float32Array[]; validationMaps: Float32Array[]; mapSize: number; epoch?: number };
    seen.push({ nGen: e.generatedMaps.length, nVal: e.validationMaps.length, mapSize: e.mapSize, epoch: e.epoch, len: e.generatedMaps[0].length });
    let s = 0;
    for (const m of e.generatedMaps) for (const v of m) s += v;
    return { probe_meanPixel: s / (e.generatedMaps.length * e.mapSize * e.mapSize) };
  }
}

function registry(): Registry {
  const reg = new Registry();
  reg.loadPlugin(ganPlugin);
  reg.loadPlugin({ name: 'test', components: [CosineMaps, MapProbe] });
  return reg;
}

const TINY = {
  preset: 'quick',
  generator: { channels: [8, 4], referenceSize: 2 },
  discriminator: { channels: [4, 8], minibatch: { kernels: 2, kernelDim: 3 } },
  evalMaps: 6, evalBatch: 4, sampleGrid: 2, stabilityEpochs: 2,
  pixelTransform: { kind: 'affine', scale: 0.25 },
};

async function run(loss: unknown, method: Record<string, unknown> = {}, epochs = 1, out = join(mkdtempSync(join(tmpdir(), 'lf-gan-')), 'run'), resume = false) {
  const reg = registry();
  const raw = {
    name: 'tiny-gan', seed: 3, backend: testBackendRequest(), data: { use: 'test/cosine-maps', count: 64 },
    model: { method: { use: 'gan/dcgan', ...TINY, ...method } }, loss,
    train: { epochs, batchSize: 4, trainSize: 8 }, evaluate: [{ use: 'test/map-probe' }],
  };
  const loaded = validateExperiment(raw, reg);
  const res = await runExperiment(loaded, { registry: reg, out, logger: new MemoryLogger(), progress: new SilentProgress(), resume, overwrite: !resume });
  return { ...res, out };
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
    const names = (JSON.parse(readFileSync(join(ema.out, 'checkpoints', 'train', 'epoch-0000', 'tensors.json'), 'utf8')) as { tensors: Array<{ name: string }> }).tensors.map((e) => e.name);
    expect(names.some((n) => n.startsWith('model:generatorEma/'))).to.equal(true);
  });

  it('rejects a non-GAN switch loss and a too small training set, naming the field', async () => {
    const reg = registry();
    reg.loadPlugin({ name: 'test2', components: [MseLike] });
    const raw = {
      data: { use: 'test/cosine-maps', count: 64 }, backend: testBackendRequest(),
      model: { method: { use: 'gan/dcgan', ...TINY, switchLoss: { epoch: 0, to: 'test2/mse' } } }, loss: 'gan/hinge',
      train: { epochs: 1, batchSize: 4, trainSize: 8 },
    };
    const opts = { registry: reg, logger: new MemoryLogger(), progress: new SilentProgress(), overwrite: true };
    let msg = '';
    try { await runExperiment(validateExperiment(raw, reg), { ...opts, out: mkdtempSync(join(tmpdir(), 'lf-gan-')) }); } catch (e) { msg = (e as Error).message; }
    expect(msg).to.equal('model.method.switchLoss.to: expected a gan loss, got a regression loss');
    raw.train.trainSize = 3;
    delete (raw.model.method as { switchLoss?: unknown }).switchLoss;
    try { await runExperiment(validateExperiment(raw, reg), { ...opts, out: mkdtempSync(join(tmpdir(), 'lf-gan-')) }); } catch (e) { msg = (e as Error).message; }
    expect(msg).to.equal('train.trainSize: gan/dcgan needs at least one batch (4) of training maps, got 3 (data.size 64)');
  });
});

@component({ kind: 'loss', name: 'test2/mse', description: 'a regression loss', options: z.strictObject({}) })
class MseLike { readonly family = 'regression' as const; compute(): never { throw new Error('unused'); } }

describe('gan/dcgan helpers', () => {
  it('makeEmaUpdate: avg ← β_t·avg + (1 − β_t)·src with β_t = min(β, (1 + t)/(10 + t))', async () => {
    await tf.setBackend('cpu');
    const mk = (v: number) => {
      const m = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1], useBias: true })] });
      m.setWeights([tf.tensor2d([[v]]), tf.tensor1d([v])]);
      return m;
    };
    const src = mk(10), avg = mk(0);
    const upd = makeEmaUpdate(src, avg, 0.9);
    upd(0);                                   // β_0 = 0.1 → 0.1·0 + 0.9·10 = 9
    expect(avg.getWeights()[0].dataSync()[0]).to.be.closeTo(9, 1e-5);
    upd(1000);                                // β = 0.9 → 0.9·9 + 0.1·10 = 9.1
    expect(avg.getWeights()[1].dataSync()[0]).to.be.closeTo(9.1, 1e-5);
    expect(() => makeEmaUpdate(src, avg, 1)).to.throw('model.method.ema.decay: expected a number in [0, 1), got 1');
    const other = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [1] })] });
    expect(() => makeEmaUpdate(src, other, 0.5)).to.throw('ema: the averaged model does not have the architecture of the trained one');
  });

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
