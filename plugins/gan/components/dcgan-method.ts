import * as tf from '@tensorflow/tfjs';
import {
  component, disposeAll, expectLossFamily, inject, LensforgeError, TOKENS,
  type ComponentFactory, type ExportableMethod, type ExportContext, type GanLoss, type Method, type TrainedNetwork, type MethodContext, type MethodResult, type PhaseValidation, type RunMetrics, type RunTimings, type Simulator,
} from '../../../core/index.js';
import { buildDcganDiscriminator, type DcganDiscriminatorConfig } from '../nets/dcgan-discriminator.js';
import { buildDcganGenerator, type DcganGenerator, type DcganGeneratorConfig } from '../nets/dcgan-generator.js';
import { GAN_PRESETS } from '../nets/presets.js';
import { DcganEvaluation } from '../method/dcgan-evaluation.js';
import { DcganOptions, type DcganOptionsT } from '../method/dcgan-options.js';
import { dcganStep, type DcganStepParts } from '../method/dcgan-step.js';
import { emaHook } from '../method/ema-hook.js';
import { buildPixelTransform, type PixelTransform, type PixelTransformOptions } from '../method/pixel-transform.js';
import { DCGAN_ADAM } from '../method/removed-adam-option.js';
import { GeneratorLossWindow, median } from '../method/stability.js';
import { ShuffledIndices, TrainingMaps } from '../method/training-maps.js';

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
 * DCGAN training for map generation (Radford et al. 2015; as used for weak-lensing convergence
 * maps by CosmoGAN, Mustafa et al. 2019, and by the geometric-GAN paper, Dellepère et al.):
 * G and D trained alternately (`dcganStep`: `dSteps` D updates per G update) with the configured
 * GAN loss (family 'gan'; a `gradientPenalty` hook, if the loss has one, is added to the D loss).
 * Each network's optimizer and schedule come from the training service:
 * `train.optimizers.generator` / `.discriminator`, else `train.optimizer`, else Adam (lr 2e-4,
 * β1 0.5, β2 0.999, no weight decay: DCGAN/CosmoGAN); `train.schedules.<network>`, else
 * `train.schedule`, else cosine decay (the papers keep the rate constant: `schedule: constant`).
 * `switchLoss: {epoch: E, to}` trains E epochs with `loss`, then continues with `to`, keeping
 * weights and optimizer state (the paper: hinge → relativistic at epoch 85).
 *
 * Data: the first min(train.trainSize, data.size) maps of split 'train', mapped to the tanh range
 * by `pixelTransform`; one epoch = ⌊n / batchSize⌋ steps over seeded permutations (their cursor a
 * stateful part of the loop). The service's loop does checkpoints of every state, exact --resume
 * and the NaN stop; metrics.jsonl gets per-epoch gLoss, dLoss, dReal/dFake (mean critic outputs),
 * gp (if any), lossIndex and msPerStep.
 *
 * Evaluation (`DcganEvaluation`; at the end, and every `evalEvery` epochs as the phase's
 * validation, so `train.earlyStopping` can watch a map metric and restore the best weights):
 * `evalMaps` maps generated from fixed latents and as many validation maps handed to the
 * configured metrics. Writes plots/loss-curves.png and plots/samples.png (top rows real, bottom
 * rows generated). Returns as metrics the metrics' values plus gLossVariance (variance of the
 * per-step generator loss over the last `stabilityEpochs` epochs of the final loss), gLossFinal and
 * dLossFinal (last epoch means), and as timings msPerStep (median wall time of one G + D step;
 * absent when every epoch was restored from a checkpoint).
 *
 * With `ema: {decay: β}` a copy of the generator keeps an exponential moving average of its
 * weights (a training hook after every step: θ_ema ← β_t·θ_ema + (1 − β_t)·θ with
 * β_t = min(β, (1 + t)/(10 + t)), the warm-up of TensorFlow's ExponentialMovingAverage), and every
 * evaluation and figure uses the averaged generator. GAN iterates oscillate around an
 * equilibrium; their average sits closer to it (Yazıcı et al. 2019; Karras et al. 2018). The
 * averaged weights are checkpointed as model 'generatorEma'.
 */
@component({ kind: 'method', name: 'gan/dcgan', description: 'DCGAN (G/D alternating; optimizers per network, default Adam 2e-4/0.5) with loss switching, VBN and minibatch discrimination', options: DcganOptions })
export class DcganMethod implements Method, ExportableMethod {
  constructor(
    @inject(TOKENS.Options) private readonly opts: DcganOptionsT,
    @inject(TOKENS.Factory) private readonly factory: ComponentFactory,
    @inject(TOKENS.ComponentPath) private readonly path: string,
  ) {}

  async run(ctx: MethodContext): Promise<MethodResult> {
    const o = this.opts;
    const { data, train, logger } = ctx;
    const lossAt = this.lossSchedule(ctx.loss);
    const maps = new TrainingMaps(data, Math.min(train.trainSize, data.size), o.pixelTransform);
    const batch = train.batchSize;
    if (maps.count < batch) throw new Error(`train.trainSize: gan/dcgan needs at least one batch (${batch}) of training maps, got ${maps.count} (data.size ${data.size})`);
    const stepsPerEpoch = Math.floor(maps.count / batch);
    const arch = resolveArchitecture(o, data.imageShape);
    const G = buildDcganGenerator(arch.generator, ctx.rng.derive('generator'));
    const D = buildDcganDiscriminator(arch.discriminator, ctx.rng.derive('discriminator'));
    const Gema = o.ema ? buildDcganGenerator(arch.generator, ctx.rng.derive('generator')) : undefined;
    const { generator: optG, discriminator: optD } = ctx.training.optimizers({ generator: { optimizer: DCGAN_ADAM }, discriminator: { optimizer: DCGAN_ADAM } }, batch);
    logger.info(`[${ctx.tag}] gan/dcgan: ${maps.count} training maps ${maps.shape.join('x')}, ${stepsPerEpoch} steps/epoch, pixel transform ${maps.transform.description}; ` +
      `generator ${G.model.countParams()} parameters (${arch.generator.norm}), discriminator ${D.countParams()}${arch.discriminator.minibatch ? ' (minibatch discrimination)' : ''}`);
    try {
      const evalG = Gema ?? G;
      const evaluation = new DcganEvaluation(ctx, o, maps.transform, this.validationMaps(ctx, maps.shape));
      const floorMaps = o.floorSplit !== undefined ? this.floorMaps(ctx, maps.shape) : undefined;
      const order = ctx.rng.derive('order'), latent = ctx.rng.derive('latent'), gpRng = ctx.rng.derive('gradient-penalty');
      const indices = new ShuffledIndices(maps.count, order);
      const window = new GeneratorLossWindow(o.stabilityEpochs);
      const parts: DcganStepParts = {
        G, D, optG: optG.optimizer, optD: optD.optimizer, gpRng, batch, dSteps: o.dSteps,
        realBatch: () => maps.batch(indices.next(batch)),
        latents: (k) => tf.tensor2d(latent.normalArray(k * arch.generator.latentDim), [k, arch.generator.latentDim]),
      };
      const stepMs: number[] = [];
      let finalEvaluation: RunMetrics | undefined;
      const history = await ctx.training.run({
        phase: 'train', epochs: train.epochs, stepsPerEpoch,
        models: { generator: G.model, discriminator: D, ...(Gema ? { generatorEma: Gema.model } : {}) },
        optimizers: { generator: optG, discriminator: optD },
        rngs: { order, latent, gpRng },
        parts: { order: indices, generatorLosses: window },
        hooks: [window, ...(Gema ? [emaHook(G.model, Gema.model, o.ema!.decay, `${this.path}.ema.decay`)] : [])],
        saveState: () => ({ pixelTransform: maps.transform.resolved }),
        step: (epoch) => {
          const t0 = performance.now();
          const losses = dcganStep(parts, lossAt(epoch).loss);
          stepMs.push(performance.now() - t0);
          return losses;
        },
        onEpochEnd: (epoch) => ({ lossIndex: lossAt(epoch).index }),
        validate: this.validation(evaluation, evalG, train.epochs, (v) => { finalEvaluation = v; }),
      });
      // the last validation was the final evaluation, unless early stopping restored other weights since
      const result = finalEvaluation && !history.stoppedEarly ? { ...finalEvaluation } : await evaluation.evaluate(evalG);
      await evaluation.writeFigures(evalG, history.epochs, o.switchLoss?.epoch);
      Object.assign(result, this.trainingFigures(history.epochs, window));
      if (floorMaps) Object.assign(result, await evaluation.realFloor(floorMaps, maps.shape[0]));
      const timings: RunTimings = stepMs.length ? { msPerStep: median(stepMs.slice(Math.min(3, Math.max(0, stepMs.length - 1)))) } : {};
      logger.info(`[${ctx.tag}] gan/dcgan: ${Object.entries({ ...result, ...timings }).map(([k, v]) => `${k}=${Number.isInteger(v) ? v : v.toPrecision(4)}`).join(' ')}`);
      return { metrics: result, timings };
    } finally {
      disposeAll([G, Gema, D, optG.optimizer, optD.optimizer]);
    }
  }

  /**
   * `evalEvery` > 0: an evaluation every `evalEvery` epochs as the phase's validation (its values
   * join the epoch's record; early stopping can watch them), with a sample grid per epoch. The
   * last epoch's is the final evaluation (no epoch, streams `<metric>:final`), handed to `final`.
   */
  private validation(evaluation: DcganEvaluation, G: DcganGenerator, epochs: number, final: (m: RunMetrics) => void): PhaseValidation | undefined {
    if (this.opts.evalEvery === 0) return undefined;
    return {
      every: this.opts.evalEvery,
      run: async (epoch) => {
        if (epoch + 1 === epochs) {
          const m = await evaluation.evaluate(G);
          final(m);
          return m;
        }
        evaluation.writeSampleGrid(G, `samples-epoch-${String(epoch + 1).padStart(4, '0')}.png`);
        return evaluation.evaluate(G, epoch);
      },
    };
  }

  /** gLossVariance (the loss window's, over the final loss only), gLossFinal and dLossFinal (last epoch means). */
  private trainingFigures(epochs: ReadonlyArray<Record<string, number>>, window: GeneratorLossWindow): RunMetrics {
    const sw = this.opts.switchLoss;
    const out: RunMetrics = { gLossVariance: window.variance(epochs.length, sw && epochs.length > sw.epoch ? sw.epoch : 0) };
    const last = epochs[epochs.length - 1];
    if (last) { out.gLossFinal = last.gLoss; out.dLossFinal = last.dLoss; }
    return out;
  }

  /** The loss of each epoch: `loss`, then `switchLoss.to` from epoch `switchLoss.epoch` on (index 0 / 1). */
  private lossSchedule(base: MethodContext['loss']): (epoch: number) => { loss: GanLoss; index: number } {
    expectLossFamily(base, 'gan');
    const sw = this.opts.switchLoss;
    const to = sw ? this.factory.create<GanLoss>('loss', sw.to, `${this.path}.switchLoss.to`) : undefined;
    if (to) expectLossFamily(to, 'gan', `${this.path}.switchLoss.to`);
    return (epoch) => (to && epoch >= sw!.epoch ? { loss: to, index: 1 } : { loss: base, index: 0 });
  }

  /** `evalMaps` maps of `floorSplit` (data units), which must not be the validation maps' split. */
  private floorMaps(ctx: MethodContext, shape: readonly number[]): Float32Array[] {
    const o = this.opts;
    if (!o.validation && o.floorSplit === o.validationSplit) {
      throw new LensforgeError(`${this.path}.floorSplit is "${o.floorSplit}", the split the validation maps come from; expected another split of the data (e.g. "test"), so that the floor compares independent maps`);
    }
    return DcganEvaluation.validationMaps(ctx.data, o.floorSplit!, o.evalMaps, shape[0] * shape[1] * shape[2], `${this.path}.floorSplit`);
  }

  /** The validation maps (data units): `validation`'s split 'train', else `validationSplit` of the data. */
  private validationMaps(ctx: MethodContext, shape: readonly number[]): Float32Array[] {
    const o = this.opts;
    const sim = o.validation ? this.factory.create<Simulator>('simulator', o.validation, `${this.path}.validation`) : ctx.data;
    return DcganEvaluation.validationMaps(sim, o.validation ? 'train' : o.validationSplit, o.evalMaps, shape[0] * shape[1] * shape[2], `${this.path}.validation`);
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
}
