import * as tf from '@tensorflow/tfjs';
import { writeImageGridPng, writeLinePlot, type MethodContext, type RunMetrics, type Simulator } from '../../../core/index.js';
import type { DcganGenerator } from '../nets/dcgan-generator.js';
import type { PixelTransform } from './pixel-transform.js';

export interface DcganEvaluationOptions { evalMaps: number; evalBatch: number; sampleGrid: number }

/**
 * What gan/dcgan evaluates and draws: `evalMaps` maps generated from fixed latents (inference
 * mode), inverse-transformed to data units, and as many validation maps, handed to the configured
 * metrics (`ctx.training.evaluate`) as EvalContext.extra = { generatedMaps, validationMaps,
 * mapSize, epoch? } (epoch only for intermediate evaluations; each metric's stream is
 * `<metric path>:<epoch | final>`); the sample grid and loss-curve figures.
 */
export class DcganEvaluation {
  constructor(
    private readonly ctx: MethodContext,
    private readonly o: DcganEvaluationOptions,
    private readonly transform: PixelTransform,
    readonly validationMaps: Float32Array[],
  ) {}

  /** `evalMaps` validation maps (data units) from `sim`'s split. */
  static validationMaps(sim: Simulator, split: string, count: number, per: number, path: string): Float32Array[] {
    return Array.from({ length: Math.min(count, sim.size) }, (_, i) => {
      const im = sim.sample(i, split).image;
      if (im.length !== per) throw new Error(`${path}: expected maps of ${per} values, got ${im.length}`);
      return im;
    });
  }

  /** Generate `count` maps in data units from latents fixed by `seedName` (inference mode). */
  generate(G: DcganGenerator, count: number, seedName: string): Float32Array[] {
    const r = this.ctx.rng.derive(seedName);
    const { latentDim, outputSize: n, outputChannels: c } = G.config;
    const per = n * n * c;
    const out: Float32Array[] = [];
    for (let s = 0; s < count; s += this.o.evalBatch) {
      const k = Math.min(this.o.evalBatch, count - s);
      const vals = tf.tidy(() => G.generate(tf.tensor2d(r.normalArray(k * latentDim), [k, latentDim]), false).dataSync());
      for (let i = 0; i < k; i++) out.push(this.transform.inverse(vals.subarray(i * per, (i + 1) * per) as Float32Array));
    }
    return out;
  }

  /** The configured metrics on maps of `G`; `epoch` for an intermediate evaluation (not recorded apart: its values join the epoch's record). */
  evaluate(G: DcganGenerator, epoch?: number): Promise<RunMetrics> {
    const generated = this.generate(G, this.validationMaps.length, 'eval-latents');
    const extra: Record<string, unknown> = { generatedMaps: generated, validationMaps: this.validationMaps, mapSize: G.config.outputSize };
    if (epoch !== undefined) extra.epoch = epoch;
    return this.ctx.training.evaluate({ extra, plotDir: this.ctx.runDir.plotsDir, tag: this.ctx.tag }, {
      rngName: (path) => `${path}:${epoch ?? 'final'}`, record: epoch === undefined,
    });
  }

  /**
   * The real-vs-real floor: the configured metrics with `realMaps` (other real maps, data units)
   * in place of the generated ones, each key suffixed `_floor`. A perfect generator scores about
   * this; it does not depend on the model. No plots, not recorded as an evaluation.
   */
  async realFloor(realMaps: Float32Array[], mapSize: number): Promise<RunMetrics> {
    const m = await this.ctx.training.evaluate({ extra: { generatedMaps: realMaps, validationMaps: this.validationMaps, mapSize }, tag: this.ctx.tag }, {
      rngName: (path) => `${path}:floor`, record: false,
    });
    return Object.fromEntries(Object.entries(m).map(([k, v]) => [`${k}_floor`, v]));
  }

  /** plots/loss-curves.png (per-epoch mean G and D losses) and plots/samples.png. */
  async writeFigures(G: DcganGenerator, epochs: ReadonlyArray<Record<string, number>>, switchEpoch?: number): Promise<void> {
    const x = epochs.map((_, i) => i + 1);
    if (epochs.length > 0) {
      await writeLinePlot(this.ctx.runDir.plot('loss-curves.png'), [
        { name: 'generator', x, y: epochs.map((e) => e.gLoss) },
        { name: 'discriminator', x, y: epochs.map((e) => e.dLoss) },
      ], { title: `${this.ctx.tag}: GAN losses${switchEpoch !== undefined ? ` (loss switched after epoch ${switchEpoch})` : ''}`, xLabel: 'epoch', yLabel: 'mean loss' });
    }
    this.writeSampleGrid(G, 'samples.png');
  }

  /** Top rows: validation maps; bottom rows: generated maps (fixed latents); one colour scale. */
  writeSampleGrid(G: DcganGenerator, name: string): void {
    const k = Math.min(this.o.sampleGrid, this.validationMaps.length);
    if (k === 0) return;
    const gen = this.generate(G, k, 'sample-grid-latents');
    const n = G.config.outputSize;
    writeImageGridPng(this.ctx.runDir.plot(name), [...this.validationMaps.slice(0, k), ...gen], n, n, { cols: Math.min(8, k), stretch: 'global', colormap: 'viridis', asinh: 0.1, scale: n <= 64 ? 2 : 1 });
  }
}
