import * as tf from '@tensorflow/tfjs';
import {
  component, expectLossFamily, inject, runTrainingLoop, scheduledLr, setLearningRate, TOKENS, writeImageGridPng, writeLinePlot,
  type ComponentFactory, type ExportableMethod, type ExportContext, type GanLoss, type Method, type TrainedNetwork, type MethodContext, type MethodResult, type RunMetrics, type RunTimings, type Simulator, legacyOptimizerConfig, legacySchedule
} from '../../../core/index.js';
import { generatorUsesReal, hasGradientPenalty } from '../losses/gan-loss-types.js';
import { criticStep } from '../losses/critic-step.js';
import { buildDcganDiscriminator, type DcganDiscriminatorConfig } from '../nets/dcgan-discriminator.js';
import { buildDcganGenerator, type DcganGenerator, type DcganGeneratorConfig } from '../nets/dcgan-generator.js';
import { GAN_PRESETS } from '../nets/presets.js';
import { DcganOptions, type DcganOptionsT } from './dcgan-options.js';
import { buildPixelTransform, type PixelTransform, type PixelTransformOptions } from './pixel-transform.js';
import { lossVariance, median } from './stability.js';

export { DcganOptions };

function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Resolve the generator and discriminator architectures: preset, then overrides, then data shape. */
export function resolveArchitecture(opts: DcganOptionsT, imageShape: readonly [number, number, number]): { generator: DcganGeneratorConfig; discriminator: DcganDiscriminatorConfig } {
  const [h, w, c] = imageShape;
  if (h !== w) throw new Error(`data: gan/dcgan needs square maps, got ${h}x${w}`);
  const p = GAN_PRESETS[opts.preset];
  return {
    generator: { ...p.generator, ...defined(opts.generator), outputSize: h, outputChannels: c },
    discriminator: { ...p.discriminator, ...defined(opts.discriminator), inputSize: h, inputChannels: c } as DcganDiscriminatorConfig,
  };
}

/**
 * Returns `update(t)`, which moves every weight of `avg` towards the same-named-position weight
 * of `src`: avg ← β_t·avg + (1 − β_t)·src with β_t = min(β, (1 + t)/(10 + t)). Non-trainable
 * weights (batch-norm moving statistics) are averaged too. The two models must have the same
 * architecture.
 */
export function makeEmaUpdate(src: tf.LayersModel, avg: tf.LayersModel, beta: number): (t: number) => void {
  if (!(beta >= 0 && beta < 1)) throw new Error(`model.method.ema.decay: expected a number in [0, 1), got ${beta}`);
  const a = avg.weights.map((w) => w.read() as tf.Variable);
  const s = src.weights.map((w) => w.read() as tf.Variable);
  if (a.length !== s.length || a.some((v, i) => v.shape.join() !== s[i].shape.join())) {
    throw new Error('ema: the averaged model does not have the architecture of the trained one');
  }
  return (t: number) => {
    const b = Math.min(beta, (1 + t) / (10 + t));
    tf.tidy(() => a.forEach((v, i) => v.assign(tf.add(tf.mul(v, b), tf.mul(s[i], 1 - b)))));
  };
}

/**
 * DCGAN training for map generation (Radford et al. 2015; as used for weak-lensing convergence
 * maps by CosmoGAN, Mustafa et al. 2019, and by the geometric-GAN paper, Dellepère et al.):
 * G and D trained alternately with Adam (lr 2e-4, β1 = 0.5; both rates follow `legacySchedule(train)`:
 * 'constant' as in the paper, or 'cosine' decay to 0 at the end), `dSteps` D updates per G update,
 * with the configured GAN loss (family 'gan'; a `gradientPenalty` hook, if the loss has one, is
 * added to the D loss). `switchLoss: {epoch: E, to}` trains E epochs with `loss`, then continues
 * with `to`, keeping weights and optimizer state (the paper: hinge → relativistic at epoch 85).
 *
 * Data: the first min(train.trainSize, data.size) maps of split 'train', mapped to the tanh range
 * by `pixelTransform`; one epoch = ⌊n / batchSize⌋ steps over a seeded permutation. Uses
 * runTrainingLoop (checkpoints, --resume, NaN stop); metrics.jsonl gets per-epoch gLoss, dLoss,
 * dReal/dFake (mean critic outputs), gp (if any) and msPerStep.
 *
 * Evaluation (at the end, and every `evalEvery` epochs): `evalMaps` maps generated from fixed
 * latents (inference mode), inverse-transformed to data units, and as many validation maps are
 * handed to the configured metrics as EvalContext.extra = { generatedMaps: Float32Array[],
 * validationMaps: Float32Array[], mapSize: N, epoch?: number } (epoch only for intermediate
 * evaluations). Writes plots/loss-curves.png and plots/samples.png (top rows real, bottom rows
 * generated, one colour scale). Returns as metrics the metrics' values plus gLossVariance (variance
 * of the per-step generator loss over the last `stabilityEpochs` epochs of the final loss),
 * gLossFinal and dLossFinal (last epoch means), and as timings msPerStep (median wall time of
 * one G + D step; absent when every epoch was restored from a checkpoint).
 *
 * With `ema: {decay: β}` a copy of the generator keeps an exponential moving average of its
 * weights, θ_ema ← β_t·θ_ema + (1 − β_t)·θ after every generator update with
 * β_t = min(β, (1 + t)/(10 + t)) (t = step; the warm-up of TensorFlow's
 * ExponentialMovingAverage), and every evaluation and figure uses the averaged generator. GAN
 * iterates oscillate around an equilibrium; their average sits closer to it (Yazıcı et al. 2019,
 * "The unusual effectiveness of averaging in GAN training"; Karras et al. 2018). The averaged
 * weights are checkpointed as model 'generatorEma'.
 */
@component({ kind: 'method', name: 'gan/dcgan', description: 'DCGAN (G/D alternating, Adam) with loss switching, VBN and minibatch discrimination', options: DcganOptions })
export class DcganMethod implements Method, ExportableMethod {
  constructor(
    @inject(TOKENS.Options) private readonly opts: DcganOptionsT,
    @inject(TOKENS.Factory) private readonly factory: ComponentFactory,
  ) {}

  async run(ctx: MethodContext): Promise<MethodResult> {
    expectLossFamily(ctx.loss, 'gan');
    const baseLoss: GanLoss = ctx.loss;
    const o = this.opts;
    const { data, train, logger } = ctx;
    const switchLoss = o.switchLoss ? this.factory.create<GanLoss>('loss', o.switchLoss.to, 'model.method.switchLoss.to') : undefined;
    if (switchLoss) expectLossFamily(switchLoss, 'gan', 'model.method.switchLoss.to');
    const switchEpoch = o.switchLoss ? o.switchLoss.epoch : Infinity;
    const lossAt = (epoch: number): GanLoss => (switchLoss && epoch >= switchEpoch ? switchLoss : baseLoss);
    const validationSim = o.validation ? this.factory.create<Simulator>('simulator', o.validation, 'model.method.validation') : undefined;

    const arch = resolveArchitecture(o, data.imageShape);
    const [n, , c] = data.imageShape;
    const per = n * n * c;
    const nTrain = Math.min(train.trainSize, data.size);
    const batch = train.batchSize;
    if (nTrain < batch) throw new Error(`train.trainSize: gan/dcgan needs at least one batch (${batch}) of training maps, got ${nTrain} (data.size ${data.size})`);
    const stepsPerEpoch = Math.floor(nTrain / batch);

    // Training maps, transformed lazily and cached (one float32 copy per map).
    const raw = (i: number): Float32Array => data.sample(i, 'train').image;
    const transform: PixelTransform = buildPixelTransform(o.pixelTransform, () => {
      const k = Math.min(nTrain, 64);
      const out = new Float32Array(k * per);
      for (let i = 0; i < k; i++) out.set(raw(i), i * per);
      return out;
    });
    logger.info(`[${ctx.tag}] gan/dcgan: ${nTrain} training maps ${n}x${n}x${c}, ${stepsPerEpoch} steps/epoch, pixel transform ${transform.description}`);
    const cache: (Float32Array | undefined)[] = new Array(nTrain);
    const trainMap = (i: number): Float32Array => (cache[i] ??= transform.forward(raw(i)));

    const G: DcganGenerator = buildDcganGenerator(arch.generator, ctx.rng.derive('generator'));
    const D = buildDcganDiscriminator(arch.discriminator, ctx.rng.derive('discriminator'));
    logger.info(`[${ctx.tag}] generator ${G.model.countParams()} parameters (${arch.generator.norm}), discriminator ${D.countParams()} parameters${arch.discriminator.minibatch ? ' (minibatch discrimination)' : ''}`);
    const optG = tf.train.adam(o.adam.lrG, o.adam.beta1, o.adam.beta2);
    const optD = tf.train.adam(o.adam.lrD, o.adam.beta1, o.adam.beta2);
    // Weight averaging: a second generator (same reference latents) holds the moving average.
    const Gema: DcganGenerator | undefined = o.ema ? buildDcganGenerator(arch.generator, ctx.rng.derive('generator')) : undefined;
    if (Gema) Gema.model.setWeights(G.model.getWeights());
    const emaUpdate = Gema ? makeEmaUpdate(G.model, Gema.model, o.ema!.decay) : undefined;
    const evalG = Gema ?? G;
    const gVars = G.model.trainableWeights.map((v) => v.read() as tf.Variable);
    const dVars = D.trainableWeights.map((v) => v.read() as tf.Variable);
    const latentDim = arch.generator.latentDim;

    const order = ctx.rng.derive('order');
    const latent = ctx.rng.derive('latent');
    const gpRng = ctx.rng.derive('gradient-penalty');
    let perm: number[] = [];
    let cursor = 0;
    const realBatch = (): tf.Tensor4D => {
      const buf = new Float32Array(batch * per);
      for (let b = 0; b < batch; b++) {
        if (cursor >= perm.length) { perm = order.shuffle(Array.from({ length: nTrain }, (_, i) => i)); cursor = 0; }
        buf.set(trainMap(perm[cursor++]), b * per);
      }
      return tf.tensor4d(buf, [batch, n, n, c]);
    };
    const latents = (k: number): tf.Tensor2D => tf.tensor2d(latent.normalArray(k * latentDim), [k, latentDim]);
    const critic = (x: tf.Tensor): tf.Tensor => D.apply(x, { training: true }) as tf.Tensor;

    let stepG: number[] = [];
    let epochG: number[][] = [];
    const stepMs: number[] = [];
    const valMaps = this.validationMaps(validationSim ?? data, validationSim ? 'train' : o.validationSplit, per);

    const history = await runTrainingLoop({
      ctx, phase: 'train', epochs: train.epochs, stepsPerEpoch,
      models: { generator: G.model, discriminator: D, ...(Gema ? { generatorEma: Gema.model } : {}) },
      optimizers: { generator: optG, discriminator: optD },
      rngs: { order, latent, gpRng },
      saveState: () => ({ epochG: epochG.slice(-o.stabilityEpochs), perm, cursor, pixelTransform: transform.resolved }),
      loadState: (s) => {
        epochG = (s.epochG as number[][] | undefined) ?? [];
        perm = (s.perm as number[] | undefined) ?? [];
        cursor = (s.cursor as number | undefined) ?? 0;
      },
      step: (epoch, s) => {
        const t = (epoch * stepsPerEpoch + s) / (train.epochs * stepsPerEpoch);
        setLearningRate(optG, scheduledLr(o.adam.lrG, legacySchedule(train), t));
        setLearningRate(optD, scheduledLr(o.adam.lrD, legacySchedule(train), t));
        const loss = lossAt(epoch);
        const t0 = performance.now();
        let dLoss = 0, dReal = 0, dFake = 0, gp = 0;
        let real: tf.Tensor4D | undefined;
        for (let k = 0; k < o.dSteps; k++) {
          real?.dispose();
          real = realBatch();
          const z = latents(batch);
          const fake = tf.tidy(() => G.generate(z, true));
          const r = real;
          const c = criticStep(optD, dVars, critic, loss, r, fake, gpRng);
          dLoss += c.loss / o.dSteps;
          dReal += c.real / o.dSteps;
          dFake += c.fake / o.dSteps;
          if (c.gp !== undefined) gp += c.gp / o.dSteps;
          tf.dispose([z, fake]);
        }
        const z = latents(batch);
        const realLogits = generatorUsesReal(loss) ? tf.tidy(() => critic(real!)) : tf.zeros([batch, 1]);
        const gCost = optG.minimize(() => loss.generator(realLogits, critic(G.generate(z, true))), true, gVars) as tf.Scalar;
        const gLoss = gCost.dataSync()[0];
        tf.dispose([gCost, z, realLogits, real!]);
        emaUpdate?.(epoch * stepsPerEpoch + s);
        stepMs.push(performance.now() - t0);
        stepG.push(gLoss);
        const out: Record<string, number> = { gLoss, dLoss, dReal, dFake };
        if (hasGradientPenalty(loss)) out.gp = gp;
        return out;
      },
      onEpochEnd: async (epoch) => {
        epochG.push(stepG);
        stepG = [];
        const extra: Record<string, number> = { lossIndex: switchLoss && epoch >= switchEpoch ? 1 : 0 };
        if (o.evalEvery > 0 && (epoch + 1) % o.evalEvery === 0 && epoch + 1 < train.epochs) {
          Object.assign(extra, await this.evaluate(ctx, evalG, transform, valMaps, epoch));
          this.writeSampleGrid(ctx, evalG, transform, valMaps, `samples-epoch-${String(epoch + 1).padStart(4, '0')}.png`);
        }
        return extra;
      },
    });

    const result = await this.evaluate(ctx, evalG, transform, valMaps);
    await this.writeFigures(ctx, evalG, transform, valMaps, history.epochs, switchLoss ? switchEpoch : undefined);
    const completed = history.epochs.length;
    const firstOfFinalLoss = switchLoss && completed > switchEpoch ? switchEpoch : 0;
    // epochG holds the last stabilityEpochs epochs (after a resume) or all of them.
    const offset = completed - epochG.length;
    result.gLossVariance = lossVariance(epochG, o.stabilityEpochs, firstOfFinalLoss - offset);
    const timings: RunTimings = stepMs.length ? { msPerStep: median(stepMs.slice(Math.min(3, Math.max(0, stepMs.length - 1)))) } : {};
    const last = history.epochs[history.epochs.length - 1];
    if (last) { result.gLossFinal = last.gLoss; result.dLossFinal = last.dLoss; }
    logger.info(`[${ctx.tag}] gan/dcgan: ${Object.entries({ ...result, ...timings }).map(([k, v]) => `${k}=${Number.isInteger(v) ? v : v.toPrecision(4)}`).join(' ')}`);
    G.dispose();
    Gema?.dispose();
    D.dispose();
    optG.dispose();
    optD.dispose();
    return { metrics: result, timings };
  }

  /**
   * The `export` capability: `generatorEma` (the weight-averaged generator, when `ema` is set;
   * the one `lensforge sample` uses), `generator` (the trained one) and `discriminator`, all from
   * the `train` checkpoints. A generator's model card output records the pixel transform with its
   * constants resolved (maps in the training data's units = its inverse applied to the output)
   * and its latent input (standard normals; with VBN the fixed reference latents that must lead
   * every batch). VBN and minibatch discrimination are custom layers (registered with tfjs
   * serialisation by lensforge; listed under `needsLensforge` by the plain-tfjs check).
   */
  exportNetworks(ctx: ExportContext): TrainedNetwork[] {
    const o = this.opts;
    const arch = resolveArchitecture(o, ctx.imageShape);
    const transform = this.exportedTransform(ctx);
    const generator = (name: string, description: string): TrainedNetwork => {
      // the method's own stream, so the VBN reference latents are the ones training drew
      const g = buildDcganGenerator(arch.generator, ctx.methodRng.derive('generator'));
      const ref = g.referenceLatents ? Array.from(g.referenceLatents.dataSync()) : undefined;
      g.referenceLatents?.dispose();
      return {
        name, role: 'generator', description, model: g.model,
        weights: { phase: 'train', prefix: `model:${name}`, missing: 'the run did not finish an epoch of training' },
        output: {
          kind: 'image', units: "the training data's map units (pixel transform inverted)",
          pixelTransform: { ...transform.resolved, description: transform.description },
          latent: { dim: arch.generator.latentDim, distribution: 'standard-normal', referenceRows: ref ? arch.generator.referenceSize : 0, ...(ref ? { referenceLatents: ref } : {}) },
        },
      };
    };
    const nets: TrainedNetwork[] = [];
    const n = arch.generator.outputSize, c = arch.generator.outputChannels;
    if (o.ema) nets.push(generator('generatorEma', `latents -> ${n}x${n}x${c} maps (generator weights averaged with decay ${o.ema.decay}; used by lensforge sample)`));
    nets.push(generator('generator', `latents -> ${n}x${n}x${c} maps (the trained generator${o.ema ? '; sample uses generatorEma' : ''})`));
    nets.push({
      name: 'discriminator', role: 'discriminator', description: `${n}x${n}x${c} maps (network range) -> 1 logit`,
      model: buildDcganDiscriminator(arch.discriminator, ctx.rng.derive('discriminator')),
      weights: { phase: 'train', prefix: 'model:discriminator', missing: 'the run did not finish an epoch of training' },
      output: { kind: 'prediction', targets: ['realness_logit'] },
    });
    return nets;
  }

  /** The run's pixel transform: from the train checkpoint, else rebuilt from the data as training did. */
  private exportedTransform(ctx: ExportContext): PixelTransform {
    const saved = (ctx.checkpointState('train') as { pixelTransform?: PixelTransformOptions } | undefined)?.pixelTransform;
    if (saved) return buildPixelTransform(saved, () => new Float32Array(0));
    // older checkpoints: the training computed 'auto' constants from the first min(trainSize, 64) maps
    const data = ctx.data();
    return buildPixelTransform(this.opts.pixelTransform, () => {
      const k = Math.min(data.size, 64);
      const per = data.imageShape[0] * data.imageShape[1] * data.imageShape[2];
      const out = new Float32Array(k * per);
      for (let i = 0; i < k; i++) out.set(data.sample(i, 'train').image, i * per);
      return out;
    });
  }

  /** `evalMaps` validation maps (data units) from `sim`'s split. */
  private validationMaps(sim: Simulator, split: string, per: number): Float32Array[] {
    const k = Math.min(this.opts.evalMaps, sim.size);
    return Array.from({ length: k }, (_, i) => {
      const im = sim.sample(i, split).image;
      if (im.length !== per) throw new Error(`model.method.validation: expected maps of ${per} values, got ${im.length}`);
      return im;
    });
  }

  /** Generate `count` maps in data units from latents fixed by `seedName` (inference mode). */
  private generateMaps(ctx: MethodContext, G: DcganGenerator, transform: PixelTransform, count: number, seedName: string): Float32Array[] {
    const r = ctx.rng.derive(seedName);
    const { latentDim, outputSize: n, outputChannels: c } = G.config;
    const per = n * n * c;
    const out: Float32Array[] = [];
    for (let s = 0; s < count; s += this.opts.evalBatch) {
      const k = Math.min(this.opts.evalBatch, count - s);
      const vals = tf.tidy(() => G.generate(tf.tensor2d(r.normalArray(k * latentDim), [k, latentDim]), false).dataSync());
      for (let i = 0; i < k; i++) out.push(transform.inverse(vals.subarray(i * per, (i + 1) * per) as Float32Array));
    }
    return out;
  }

  private async evaluate(ctx: MethodContext, G: DcganGenerator, transform: PixelTransform, valMaps: Float32Array[], epoch?: number): Promise<RunMetrics> {
    const generated = this.generateMaps(ctx, G, transform, valMaps.length, 'eval-latents');
    const extra: Record<string, unknown> = { generatedMaps: generated, validationMaps: valMaps, mapSize: G.config.outputSize };
    if (epoch !== undefined) extra.epoch = epoch;
    const out: RunMetrics = {};
    for (const m of ctx.metrics) {
      Object.assign(out, await m.metric.evaluate({ extra, rng: ctx.rng.derive(`${m.path}:${epoch ?? 'final'}`), plotDir: ctx.runDir.plotsDir, tag: ctx.tag }));
    }
    return out;
  }

  private async writeFigures(ctx: MethodContext, G: DcganGenerator, transform: PixelTransform, valMaps: Float32Array[], epochs: Array<Record<string, number>>, switchEpoch?: number): Promise<void> {
    const x = epochs.map((_, i) => i + 1);
    if (epochs.length > 0) {
      await writeLinePlot(ctx.runDir.plot('loss-curves.png'), [
        { name: 'generator', x, y: epochs.map((e) => e.gLoss) },
        { name: 'discriminator', x, y: epochs.map((e) => e.dLoss) },
      ], { title: `${ctx.tag}: GAN losses${switchEpoch !== undefined ? ` (loss switched after epoch ${switchEpoch})` : ''}`, xLabel: 'epoch', yLabel: 'mean loss' });
    }
    this.writeSampleGrid(ctx, G, transform, valMaps, 'samples.png');
  }

  /** Top rows: validation maps; bottom rows: generated maps (fixed latents); one colour scale. */
  private writeSampleGrid(ctx: MethodContext, G: DcganGenerator, transform: PixelTransform, valMaps: Float32Array[], name: string): void {
    const k = Math.min(this.opts.sampleGrid, valMaps.length);
    if (k === 0) return;
    const gen = this.generateMaps(ctx, G, transform, k, 'sample-grid-latents');
    const n = G.config.outputSize;
    writeImageGridPng(ctx.runDir.plot(name), [...valMaps.slice(0, k), ...gen], n, n, { cols: Math.min(8, k), stretch: 'global', colormap: 'viridis', asinh: 0.1, scale: n <= 64 ? 2 : 1 });
  }
}
