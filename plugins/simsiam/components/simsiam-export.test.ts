import 'reflect-metadata';
import { expect } from 'chai';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  component, ComponentFactory, createRegistry, definePlugin, embedRun, exportRun, inject, MemoryLogger, predictRun, readNpy, Rng, runExperiment,
  SilentProgress, TOKENS, validateExperiment, writeNpy, z, type Registry, type Sample, type Simulator,
  plainTfjsOutputs, maxAbsDiff,
} from '../../../core/index.js';

/** Rings of random radius (the label) at random positions. */
@component({ kind: 'simulator', name: 'test/export-rings', description: 'rings', options: z.object({ size: z.number().default(16) }) })
class ExportRings implements Simulator {
  readonly imageShape: readonly [number, number, number];
  readonly labelNames = ['radius'];
  readonly size = 10000;
  constructor(@inject(TOKENS.Options) private readonly o: { size: number }, @inject(TOKENS.Rng) private readonly rng: Rng) { this.imageShape = [o.size, o.size, 1]; }
  sample(i: number, split = 'train'): Sample {
    const r = this.rng.derive(`${split}:${i}`);
    const radius = r.uniform(2, 6);
    const n = this.o.size, img = new Float32Array(n * n);
    for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) {
      const d = Math.hypot(x - (n - 1) / 2, y - (n - 1) / 2) - radius;
      img[y * n + x] = Math.exp(-d * d) + r.normal(0, 0.05);
    }
    return { image: img, labels: { radius } };
  }
}

describe('simsiam/simsiam export capability: encoder and theta_E-style head', function () {
  this.timeout(180000);
  let reg: Registry;
  before(async () => {
    reg = await createRegistry();
    reg.loadPlugin(definePlugin({ name: 'test-export', components: [ExportRings] }));
  });

  it('exports encoder + downstream head; predict reproduces the run\'s downstream R², embed and predict equal plain tfjs', async () => {
    const work = mkdtempSync(join(tmpdir(), 'lf-ss-export-'));
    const run = join(work, 'run');
    const cfg = {
      name: 'ss-export', seed: 3, backend: 'auto',
      data: { use: 'test/export-rings', size: 16 },
      augment: { use: 'simsiam/default', crop: { scale: [0.6, 1] } },
      model: {
        encoder: { use: 'encoders/small-cnn', width: 4 },
        method: { use: 'simsiam/simsiam', projector: { hidden: 16, out: 16 }, predictor: { bottleneck: 8 }, evaluation: { size: 10 }, downstream: { target: 'radius', trainSize: 32, testSize: 24, epochs: 2, batchSize: 16 } },
      },
      loss: { use: 'simsiam/neg-cosine' },
      train: { epochs: 1, batchSize: 16, trainSize: 32, optimizer: { name: 'sgd', lr: 0.05, momentum: 0.9, weightDecay: 1e-4 } },
      evaluate: [],
    };
    const res = await runExperiment(validateExperiment(cfg, reg), { registry: reg, out: run, logger: new MemoryLogger(), progress: new SilentProgress() });

    const exp = await exportRun(run, join(work, 'export'), reg);
    const nets = exp.card.networks as Array<{ name: string; role: string; output: { targets?: string[]; scale?: number[]; offset?: number[] }; weightsFrom: string; plainTfjs: { loadable: boolean } }>;
    expect(nets.map((n) => `${n.name}:${n.role}:${n.weightsFrom}`)).to.deep.equal(['encoder:encoder:checkpoints/pretrain/epoch-0000', 'downstream:head:checkpoints/downstream/epoch-0001']);
    expect(nets.every((n) => n.plainTfjs.loadable)).to.equal(true);
    // the label normalisation saved with the downstream checkpoint is what the card tells a user to undo
    const state = JSON.parse(readFileSync(join(run, 'checkpoints', 'downstream', 'epoch-0001', 'state.json'), 'utf8')) as { extra: { labelNormalisation: { target: string; mean: number; std: number } } };
    expect(state.extra.labelNormalisation.target).to.equal('radius');
    expect(nets[1].output).to.deep.include({ targets: ['radius'], scale: [state.extra.labelNormalisation.std], offset: [state.extra.labelNormalisation.mean] });

    // the run's own downstream test images, as a plain .npy stack with a labels CSV
    const sim = new ComponentFactory(reg, Rng.fromSeed(3)).create<Simulator>('simulator', cfg.data, 'data');
    const test = Array.from({ length: 24 }, (_, i) => sim.sample(i, 'downstream-test'));
    const npy = join(work, 'test.npy');
    const stack = new Float32Array(24 * 256);
    test.forEach((s, i) => stack.set(s.image, i * 256));
    writeNpy(npy, stack, [24, 16, 16]);
    writeFileSync(join(work, 'test.csv'), ['id,radius', ...test.map((s, i) => `${i},${s.labels.radius}`)].join('\n') + '\n');

    const p = await predictRun(run, npy, join(work, 'pred.csv'), reg, { labels: join(work, 'test.csv') });
    expect(p.metrics.radius.r2).to.be.closeTo(res.metrics.downstream_r2_radius, 1e-6);
    const ln = state.extra.labelNormalisation;
    const plainHead = plainTfjsOutputs(join(work, 'export', 'downstream'), test.map((x) => x.image), [16, 16, 1]).flat().map((y) => y * ln.std + ln.mean);
    expect(maxAbsDiff(plainHead, p.predictions.radius)).to.be.at.most(1e-5);

    const e = await embedRun(run, npy, join(work, 'emb.npy'), reg, { labels: join(work, 'test.csv'), umap: false });
    expect(readNpy(join(work, 'emb.npy')).shape).to.deep.equal([24, e.dim]);
    expect(maxAbsDiff(plainTfjsOutputs(join(work, 'export', 'encoder'), test.map((x) => x.image), [16, 16, 1]).flat(), e.embeddings)).to.be.at.most(1e-5);
  });
});
