import * as tf from '@tensorflow/tfjs';
import {
  component, disposeAll, expectLossFamily, inject, TOKENS, writeLinePlot,
  type ComponentFactory, type ExportableMethod, type ExportContext, type GanLoss, type Method, type MethodContext, type MethodResult, type TrainedNetwork,
} from '../../../core/index.js';
import type { ShearForwardModel } from './shear-forward-model.js';
import { RcganRegulariser } from './rcgan-regulariser.js';
import { buildConditionalCritic } from '../nets/conditional-critic.js';
import { buildConditionalGenerator } from '../nets/conditional-generator.js';
import { conditionChannels, type ConditionSpec } from '../method/condition.js';
import { heldOutMaps, validatePosterior, type SamplerShape } from '../method/held-out-maps.js';
import { evaluateRcgan } from '../method/rcgan-evaluation.js';
import { rcganTrainStep } from '../method/rcgan-step.js';
import { RcganOptions, type RcganOptionsT } from '../method/rcgan-options.js';

export { RcganOptions };

/**
 * The optimizer of G and of D when `train` names none: SGD, lr 0.03, momentum 0.9, no weight
 * decay, as the method trained before optimizers were components (the legacy block's defaults;
 * its weight decay was ignored then).
 */
export const RCGAN_DEFAULT_OPTIMIZER = { use: 'core/sgd', lr: 0.03, momentum: 0.9, weightDecay: 0 };

/**
 * Mass mapping with a regularised conditional GAN (Whitney et al. 2024, "Mass mapping with
 * conditional GANs"; rcGAN of Bendel et al. 2023): from a noisy shear map γ = Aκ + n the
 * generator G(z, γ) draws posterior samples of the convergence κ; their mean is the
 * reconstruction and their spread the uncertainty.
 *
 * Data: κ maps from the configured simulator (`data`, e.g. cosmology/convergence-maps; split
 * 'train' for training, 'val' for validation, 'test' for the final metrics); the forward model
 * (`forward`, default mass-mapping/shear-forward) makes the shear on the fly with a NEW noise
 * draw for every step (so every epoch sees new noise). Networks see κ/s and the condition /s
 * (s = kappaScale). The condition is either the shear itself (`condition: shear`) or its
 * unsmoothed Kaiser-Squires E/B modes (`condition: ks`, default): an invertible linear map of γ
 * (up to the unobservable mean), so it carries the same information, but the U-Net then need
 * not learn the non-local inverse operator within its receptive field; `conditionSmoothing` adds
 * the E mode smoothed at fixed scales as extra channels (see ./condition.ts). The generator's
 * output convolution starts at `outputInitScale` × its default initialisation, so that G starts
 * near the prior mean κ = 0.
 *
 * Training (ctx.training.run: checkpoints, --resume, NaN stop, early stopping), per step with B maps:
 * - critic (×criticSteps): L_D = E[D(x̂,γ)] − E[D(x,γ)] + GP + ε_drift E[D(x,γ)²] with the
 *   configured GAN loss (`loss`, family 'gan', default gan/wgan-gp; its gradientPenalty hook is
 *   applied to x ↦ D(x, γ), so only x is interpolated);
 * - generator: P samples per γ (P from the regulariser), L_G = β_adv·L_adv(mean over all P·B
 *   samples) + L1(x, x̂_(P)) − β_SD·L_SD (mass-mapping/rcgan-regulariser);
 * - after every epoch, the validation (`validate`, P_val = tuneSamples samples per map):
 *   val_rmse (RMSE of the P_val-sample mean, the early-stopping metric:
 *   `train.earlyStopping: { metric: val_rmse, mode: min }`), val_psnr1 and val_psnr_mean (PSNR
 *   of one sample and of the mean); with autoTune, β_SD is updated from them (rcGAN's rule);
 *   β_SD and s are saved in every checkpoint.
 * Networks `generator` and `discriminator` (the critic): each optimizer and schedule from
 * `train.optimizers.<network>` / `train.schedules.<network>`, else `train.optimizer` /
 * `train.schedule`, else {@link RCGAN_DEFAULT_OPTIMIZER} with core/cosine.
 *
 * Evaluation on `testSize` maps with fixed noise: N = posteriorSamples samples per map →
 * posterior mean and std; the smoothed Kaiser-Squires E-mode (σ = ksSmoothing, 'auto' picks the
 * RMSE-optimal σ on the validation maps) as the baseline; and, for unmasked fields, the Wiener
 * filter with the mean mode power of `wienerMaps` training maps as its prior (the best linear
 * estimator: what the GAN gains over it comes from the non-Gaussian structure); the configured
 * metrics (ctx.training.evaluate; also recorded as phase `evaluate`) receive EvalContext.extra.massMapping = { n, truth, estimates: { gan: {maps, std},
 * ks: {maps}, wf?: {maps} } }.
 * Also returns betaSD, ksSmoothing (pixels) and the sweep over N (rmse_gan_n{N},
 * pearson_gan_n{N}: the mean of the first N samples); and, as a timing (summary.json `timings`,
 * not a metric), secondsPerSample (generator wall time per posterior sample at batch `sampleBatch`). Writes plots/posterior-panel.png (truth | KS | mean | std |
 * error), plots/posterior-sweep.png and plots/losses.png, and per-N records to metrics.jsonl.
 */
@component({ kind: 'method', name: 'mass-mapping/rcgan', description: 'conditional GAN mass mapping with the rcGAN regulariser; posterior mean/std vs Kaiser-Squires', options: RcganOptions })
export class RcganMassMappingMethod implements Method, ExportableMethod {
  constructor(
    @inject(TOKENS.Options) private readonly opts: RcganOptionsT,
    @inject(TOKENS.Factory) private readonly factory: ComponentFactory,
  ) {}

  /**
   * The export capability: `generator` (condition [n, n, C] ++ latent z [n, n, latentChannels]
   * -> κ/s [n, n, 1], checkpoint phase `train`, weights `model:generator`), its output in κ/s
   * units: κ = y · output.scale[0] with s the run's κ scale (saved in the checkpoint). The
   * critic is not exported. C is 2 + smoothing scales (condition 'ks') + 1 with a mask, as in
   * training; {@link RcganMassMappingMethod.conditionSpec} says how to build the condition.
   */
  exportNetworks(ctx: ExportContext): TrainedNetwork[] {
    const [n] = ctx.imageShape;
    const { spec, masked, forward } = this.conditionSpec(n);
    const C = conditionChannels(spec, masked);
    const G = buildConditionalGenerator({ size: n, condChannels: C, ...this.opts.generator, rng: ctx.rng.derive('generator') });
    const st = ctx.checkpointState('train');
    const scale = typeof st?.kappaScale === 'number' ? st.kappaScale : undefined;
    return [{
      name: 'generator', role: 'generator',
      description: `condition [${n}, ${n}, ${C}] (${spec.mode === 'ks' ? `KS E, B${spec.smoothScales.map((s) => `, E smoothed ${s}px`).join('')}` : 'γ1, γ2'}${masked ? ', mask' : ''}; /s) ++ z [${n}, ${n}, ${this.opts.generator.latentChannels}] -> κ/s (rcGAN posterior sample; noise σ=${forward.sigma.toPrecision(3)}/pixel at ${forward.opts.pixelArcmin}')`,
      model: G,
      weights: { phase: 'train', prefix: 'model:generator', missing: 'the run did not finish a training epoch' },
      output: { kind: 'image', ...(scale !== undefined ? { scale: [scale], offset: [0] } : {}) },
    }];
  }

  /** How this run presents a shear map to its networks: condition spec, whether a mask channel is appended, the forward model (pixel scale, noise σ). */
  conditionSpec(n: number): { spec: ConditionSpec; masked: boolean; forward: ShearForwardModel; latentChannels: number } {
    const forward = this.factory.create<ShearForwardModel>('augmenter', this.opts.forward, 'model.method.forward');
    return { spec: { mode: this.opts.condition, smoothScales: this.opts.conditionSmoothing }, masked: forward.mask(n) !== undefined, forward, latentChannels: this.opts.generator.latentChannels };
  }

  async run(ctx: MethodContext): Promise<MethodResult> {
    const o = this.opts;
    const { data, train, logger } = ctx;
    const { adv, forward, reg } = this.components(ctx);
    const n = data.imageShape[0];
    const spec: ConditionSpec = { mode: o.condition, smoothScales: o.conditionSmoothing };
    const shape: SamplerShape = { n, C: conditionChannels(spec, forward.mask(n) !== undefined), zc: o.generator.latentChannels, sampleBatch: o.sampleBatch };
    const nTrain = Math.min(train.trainSize, data.size);
    const B = train.batchSize;
    if (nTrain < B) throw new Error(`train.trainSize: expected at least one batch (${B}) of training maps, got ${nTrain} (data.size ${data.size})`);
    const stepsPerEpoch = Math.floor(nTrain / B);
    const cache: (Float32Array | undefined)[] = new Array(nTrain);
    const trainMap = (i: number): Float32Array => (cache[i] ??= data.sample(i, 'train').image);
    let scale = o.kappaScale === 'auto' ? pixelStd(Array.from({ length: Math.min(64, nTrain) }, (_, i) => trainMap(i))) : o.kappaScale;
    const opt = ctx.training.optimizers({ generator: { optimizer: RCGAN_DEFAULT_OPTIMIZER }, discriminator: { optimizer: RCGAN_DEFAULT_OPTIMIZER } }, B);
    const val = heldOutMaps(data, forward, spec, 'val', o.valSize, ctx.rng, () => scale);
    const { G, D } = this.networks(ctx, shape);
    try {
      logger.info(`[${ctx.tag}] mass-mapping/rcgan: ${nTrain} training maps ${n}x${n}, ${stepsPerEpoch} steps/epoch of ${B} maps x P=${reg.samples}; ` +
        `noise σ=${forward.sigma.toPrecision(3)} per pixel, κ scale s=${scale.toPrecision(3)}; G ${G.countParams()} params, D ${D.countParams()} params`);
      const history = await ctx.training.run({
        phase: 'train', epochs: train.epochs, stepsPerEpoch,
        // the critic's optimizer keeps its checkpoint name `critic` (runs written before resume)
        models: { generator: G, critic: D }, optimizers: { generator: opt.generator, critic: opt.discriminator },
        step: (epoch, s) => {
          const perm = ctx.rng.derive(`order:${epoch}`).shuffle(Array.from({ length: nTrain }, (_, i) => i));
          const { conditionMs: _, ...losses } = rcganTrainStep({ G, D, optG: opt.generator.optimizer, optD: opt.discriminator.optimizer, adv, reg, forward, spec,
            n, C: shape.C, zc: shape.zc, scale, criticSteps: o.criticSteps, driftWeight: o.driftWeight, betaAdv: o.betaAdv },
          perm.slice(s * B, (s + 1) * B).map(trainMap),
          { noise: ctx.rng.derive(`noise:${epoch}:${s}`), latent: ctx.rng.derive(`latent:${epoch}:${s}`), gp: ctx.rng.derive(`gp:${epoch}:${s}`) });
          return losses;
        },
        // every epoch: the posterior on the validation maps, then rcGAN's β_SD update from it
        validate: {
          run: (epoch) => {
            const v = validatePosterior(G, val, shape, scale, reg.opts.tuneSamples, ctx.rng.derive(`val-latent:${epoch}`));
            const betaSD = reg.betaSD;
            return { val_rmse: v.rmseMean, val_psnr1: v.psnrSingle, val_psnr_mean: v.psnrMean, betaSD, betaSDNext: reg.tune(v.psnrSingle, v.psnrMean) };
          },
        },
        saveState: () => ({ betaSD: reg.betaSD, kappaScale: scale }),
        loadState: (st) => {
          if (typeof st.betaSD === 'number') reg.setBetaSD(st.betaSD);
          if (typeof st.kappaScale === 'number') scale = st.kappaScale;
        },
      });
      const { metrics, timings } = await evaluateRcgan(ctx, o, { G, forward, spec, val, shape, scale });
      Object.assign(metrics, { betaSD: reg.betaSD, kappaScale: scale });
      await this.plotLosses(ctx, history.epochs);
      logger.info(`[${ctx.tag}] mass-mapping/rcgan: ${Object.entries({ ...metrics, ...timings }).map(([k, v]) => `${k}=${Number.isInteger(v) ? v : v.toPrecision(4)}`).join(' ')}`);
      return { metrics, timings };
    } finally {
      disposeAll([G, D, opt.generator.optimizer, opt.discriminator.optimizer]);
    }
  }

  /** The adversarial loss (default gan/wgan-gp), the forward model and the regulariser, each checked. */
  private components(ctx: MethodContext): { adv: GanLoss; forward: ShearForwardModel; reg: RcganRegulariser } {
    const o = this.opts;
    const adv = ctx.loss ?? this.factory.create<GanLoss>('loss', 'gan/wgan-gp', 'loss');
    expectLossFamily(adv, 'gan');
    const forward = this.factory.create<ShearForwardModel>('augmenter', o.forward, 'model.method.forward');
    if (typeof forward.observe !== 'function' || typeof forward.channels !== 'number') {
      throw new Error(`model.method.forward: expected a shear forward model (e.g. mass-mapping/shear-forward), got "${o.forward.use}"`);
    }
    const reg = this.factory.create<RcganRegulariser>('loss', o.regulariser, 'model.method.regulariser');
    if (!(reg instanceof RcganRegulariser)) throw new Error(`model.method.regulariser: expected mass-mapping/rcgan-regulariser, got "${o.regulariser.use}"`);
    if (ctx.augment) ctx.logger.warn(`[${ctx.tag}] mass-mapping/rcgan: the top-level augment is not used; the forward model is model.method.forward`);
    const [n, w, c] = ctx.data.imageShape;
    if (n !== w || c !== 1) throw new Error(`data: mass-mapping/rcgan expects square single-channel κ maps, got ${n}x${w}x${c}`);
    if (n % 16 !== 0 || n % 2 ** o.generator.levels !== 0) {
      throw new Error(`data: map side must be a multiple of 16 and of 2^generator.levels = ${2 ** o.generator.levels}, got ${n}`);
    }
    return { adv: adv as GanLoss, forward, reg };
  }

  /** G (its output convolution scaled by outputInitScale, so it starts near κ = 0) and D. */
  private networks(ctx: MethodContext, shape: SamplerShape): { G: tf.LayersModel; D: tf.LayersModel } {
    const o = this.opts;
    const G = buildConditionalGenerator({ size: shape.n, condChannels: shape.C, ...o.generator, rng: ctx.rng.derive('generator') });
    const D = buildConditionalCritic({ size: shape.n, condChannels: shape.C, baseFilters: o.critic.baseFilters, rng: ctx.rng.derive('critic') });
    if (o.generator.outputInitScale !== 1) {
      const out = G.getLayer('generator_out_conv');
      const scaled = tf.tidy(() => out.getWeights().map((w) => tf.mul(w, o.generator.outputInitScale)));
      out.setWeights(scaled);
      tf.dispose(scaled);
    }
    return { G, D };
  }

  private async plotLosses(ctx: MethodContext, epochs: Array<Record<string, number>>): Promise<void> {
    if (epochs.length === 0) return;
    const xs = epochs.map((_, i) => i + 1);
    await writeLinePlot(ctx.runDir.plot('losses.png'), [
      { name: 'L1 (κ units)', x: xs, y: epochs.map((e) => e.l1) },
      { name: 'SD term (κ units)', x: xs, y: epochs.map((e) => e.sd) },
    ], { title: `${ctx.tag}: rcGAN regulariser terms per epoch`, xLabel: 'epoch', yLabel: 'mean over steps' });
  }
}

/** Pixel std of a set of maps (pooled). */
function pixelStd(maps: Float32Array[]): number {
  let s = 0, ss = 0, k = 0;
  for (const m of maps) for (const v of m) { s += v; ss += v * v; k++; }
  const m = s / k;
  const sd = Math.sqrt(Math.max(0, ss / k - m * m));
  if (!(sd > 0)) throw new Error('model.method.kappaScale: the training maps are constant; set kappaScale to a number');
  return sd;
}
