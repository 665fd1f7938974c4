import * as tf from '@tensorflow/tfjs';
import {
  component, expectLossFamily, inject, makeOptimizer, pearson, runTrainingLoop, scheduledLr, setLearningRate, TOKENS, writeLinePlot,
  type ComponentFactory, type ExportableMethod, type ExportContext, type GanLoss, type Method, type TrainedNetwork, type MethodContext, type MethodResult, type Rng, type RunMetrics, type RunTimings, legacyOptimizerConfig, legacySchedule
} from '../../../core/index.js';
import { chooseKsSmoothing, kaiserSquiresEstimate } from '../baseline/kaiser-squires-baseline.js';
import { kappaModePower, wienerFilterEstimate } from '../baseline/wiener-filter.js';
import type { ShearForwardModel } from '../forward/shear-forward-model.js';
import { RcganRegulariser } from '../losses/rcgan-regulariser.js';
import { psnr, rmse } from '../metrics/map-metrics.js';
import { MASS_MAP_RESULTS_KEY, type MassMapResults } from '../metrics/mass-map-results.js';
import { buildConditionalCritic } from '../nets/conditional-critic.js';
import { buildConditionalGenerator } from '../nets/conditional-generator.js';
import type { ShearField } from '../numerics/index.js';
import { conditionChannels, packCondition, type ConditionSpec } from './condition.js';
import { rcganTrainStep } from './rcgan-step.js';
import { writePosteriorPanel } from '../report/posterior-panel.js';
import { drawPosteriorSamples, posteriorMoments } from './posterior.js';
import { RcganOptions, type RcganOptionsT } from './rcgan-options.js';

export { RcganOptions };

/** A held-out set: true maps, their observed shear, and the scaled network conditions. */
interface HeldOut { truth: Float32Array[]; shear: ShearField[]; conds: Float32Array[] }

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
 * Training (runTrainingLoop: checkpoints, --resume, NaN stop), per step with B maps:
 * - critic (×criticSteps): L_D = E[D(x̂,γ)] − E[D(x,γ)] + GP + ε_drift E[D(x,γ)²] with the
 *   configured GAN loss (`loss`, family 'gan', default gan/wgan-gp; its gradientPenalty hook is
 *   applied to x ↦ D(x, γ), so only x is interpolated);
 * - generator: P samples per γ (P from the regulariser), L_G = β_adv·L_adv(mean over all P·B
 *   samples) + L1(x, x̂_(P)) − β_SD·L_SD (mass-mapping/rcgan-regulariser);
 * - after every epoch: validation PSNR of one sample and of the P_val-sample mean; with
 *   autoTune, β_SD is updated (rcGAN's rule); β_SD and s are saved in every checkpoint.
 * Both networks use the train config's optimizer, learning rate and schedule.
 *
 * Evaluation on `testSize` maps with fixed noise: N = posteriorSamples samples per map →
 * posterior mean and std; the smoothed Kaiser-Squires E-mode (σ = ksSmoothing, 'auto' picks the
 * RMSE-optimal σ on the validation maps) as the baseline; and, for unmasked fields, the Wiener
 * filter with the mean mode power of `wienerMaps` training maps as its prior (the best linear
 * estimator: what the GAN gains over it comes from the non-Gaussian structure); the configured
 * metrics receive EvalContext.extra.massMapping = { n, truth, estimates: { gan: {maps, std},
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
    const advLoss = ctx.loss ?? this.factory.create<GanLoss>('loss', 'gan/wgan-gp', 'loss');
    expectLossFamily(advLoss, 'gan');
    const adv: GanLoss = advLoss;
    const forward = this.factory.create<ShearForwardModel>('augmenter', o.forward, 'model.method.forward');
    if (typeof forward.observe !== 'function' || typeof forward.channels !== 'number') {
      throw new Error(`model.method.forward: expected a shear forward model (e.g. mass-mapping/shear-forward), got "${o.forward.use}"`);
    }
    const reg = this.factory.create<RcganRegulariser>('loss', o.regulariser, 'model.method.regulariser');
    if (!(reg instanceof RcganRegulariser)) throw new Error(`model.method.regulariser: expected mass-mapping/rcgan-regulariser, got "${o.regulariser.use}"`);
    if (ctx.augment) logger.warn(`[${ctx.tag}] mass-mapping/rcgan: the top-level augment is not used; the forward model is model.method.forward`);

    const [n, w, c] = data.imageShape;
    if (n !== w || c !== 1) throw new Error(`data: mass-mapping/rcgan expects square single-channel κ maps, got ${n}x${w}x${c}`);
    if (n % 16 !== 0 || n % 2 ** o.generator.levels !== 0) {
      throw new Error(`data: map side must be a multiple of 16 and of 2^generator.levels = ${2 ** o.generator.levels}, got ${n}`);
    }
    const spec: ConditionSpec = { mode: o.condition, smoothScales: o.conditionSmoothing };
    const C = conditionChannels(spec, forward.mask(n) !== undefined);
    const P = reg.samples;
    const nTrain = Math.min(train.trainSize, data.size);
    const B = train.batchSize;
    if (nTrain < B) throw new Error(`train.trainSize: expected at least one batch (${B}) of training maps, got ${nTrain} (data.size ${data.size})`);
    const stepsPerEpoch = Math.floor(nTrain / B);

    const cache: (Float32Array | undefined)[] = new Array(nTrain);
    const trainMap = (i: number): Float32Array => (cache[i] ??= data.sample(i, 'train').image);
    let scale = o.kappaScale === 'auto' ? pixelStd(Array.from({ length: Math.min(64, nTrain) }, (_, i) => trainMap(i))) : o.kappaScale;

    const G = buildConditionalGenerator({ size: n, condChannels: C, ...o.generator, rng: ctx.rng.derive('generator') });
    const D = buildConditionalCritic({ size: n, condChannels: C, baseFilters: o.critic.baseFilters, rng: ctx.rng.derive('critic') });
    logger.info(`[${ctx.tag}] mass-mapping/rcgan: ${nTrain} training maps ${n}x${n}, ${stepsPerEpoch} steps/epoch of ${B} maps x P=${P}; ` +
      `noise σ=${forward.sigma.toPrecision(3)} per pixel, κ scale s=${scale.toPrecision(3)}; G ${G.countParams()} params, D ${D.countParams()} params`);
    const optG = makeOptimizer(legacyOptimizerConfig(train), legacyOptimizerConfig(train).lr);
    const optD = makeOptimizer(legacyOptimizerConfig(train), legacyOptimizerConfig(train).lr);
    if (o.generator.outputInitScale !== 1) {
      const out = G.getLayer('generator_out_conv');
      const scaled = tf.tidy(() => out.getWeights().map((w) => tf.mul(w, o.generator.outputInitScale)));
      out.setWeights(scaled);
      tf.dispose(scaled);
    }
    const zc = o.generator.latentChannels;

    const val = this.heldOut(ctx, forward, 'val', o.valSize, () => scale);
    const totalSteps = train.epochs * stepsPerEpoch;

    const step = (epoch: number, s: number): Record<string, number> => {
      const lr = scheduledLr(legacyOptimizerConfig(train).lr, legacySchedule(train), (epoch * stepsPerEpoch + s) / Math.max(1, totalSteps));
      setLearningRate(optG, lr);
      setLearningRate(optD, lr);
      const perm = ctx.rng.derive(`order:${epoch}`).shuffle(Array.from({ length: nTrain }, (_, i) => i));
      const idx = perm.slice(s * B, (s + 1) * B);
      const noise = ctx.rng.derive(`noise:${epoch}:${s}`);
      const latent = ctx.rng.derive(`latent:${epoch}:${s}`);
      const gpRng = ctx.rng.derive(`gp:${epoch}:${s}`);
      const kappas = idx.map(trainMap);
      const out = rcganTrainStep({ G, D, optG, optD, adv, reg, forward, spec, n, C, zc, scale,
        criticSteps: o.criticSteps, driftWeight: o.driftWeight, betaAdv: o.betaAdv }, kappas, { noise, latent, gp: gpRng });
      delete out.conditionMs;
      return out;
    };

    const history = await runTrainingLoop({
      ctx, phase: 'train', epochs: train.epochs, stepsPerEpoch,
      models: { generator: G, critic: D }, optimizers: { generator: optG, critic: optD },
      step,
      onEpochEnd: (epoch) => {
        const v = this.validate(G, val, n, C, zc, scale, reg.opts.tuneSamples, ctx.rng.derive(`val-latent:${epoch}`));
        const before = reg.betaSD;
        const after = reg.tune(v.psnrSingle, v.psnrMean);
        return { valPsnr1: v.psnrSingle, valPsnrMean: v.psnrMean, valRmseMean: v.rmseMean, betaSD: before, betaSDNext: after };
      },
      saveState: () => ({ betaSD: reg.betaSD, kappaScale: scale }),
      loadState: (st) => {
        if (typeof st.betaSD === 'number') reg.setBetaSD(st.betaSD);
        if (typeof st.kappaScale === 'number') scale = st.kappaScale;
      },
    });

    const { metrics: result, timings } = await this.evaluate(ctx, G, forward, val, n, C, zc, scale);
    result.betaSD = reg.betaSD;
    result.kappaScale = scale;
    if (history.epochs.length > 0) {
      const xs = history.epochs.map((_, i) => i + 1);
      await writeLinePlot(ctx.runDir.plot('losses.png'), [
        { name: 'L1 (κ units)', x: xs, y: history.epochs.map((e) => e.l1) },
        { name: 'SD term (κ units)', x: xs, y: history.epochs.map((e) => e.sd) },
      ], { title: `${ctx.tag}: rcGAN regulariser terms per epoch`, xLabel: 'epoch', yLabel: 'mean over steps' });
    }
    logger.info(`[${ctx.tag}] mass-mapping/rcgan: ${Object.entries({ ...result, ...timings }).map(([k, v]) => `${k}=${Number.isInteger(v) ? v : v.toPrecision(4)}`).join(' ')}`);
    G.dispose(); D.dispose(); optG.dispose(); optD.dispose();
    return { metrics: result, timings };
  }

  /** `count` maps of `split` with fixed noise (stream `${split}-noise:i`) and their scaled conditions. */
  private heldOut(ctx: MethodContext, forward: ShearForwardModel, split: string, count: number, scale: () => number): HeldOut & { refresh(): void } {
    const n = ctx.data.imageShape[0];
    const spec: ConditionSpec = { mode: this.opts.condition, smoothScales: this.opts.conditionSmoothing };
    const k = Math.min(count, ctx.data.size);
    const truth = Array.from({ length: k }, (_, i) => ctx.data.sample(i, split).image);
    const shear = truth.map((t, i) => forward.observe(t, n, ctx.rng.derive(`${split}-noise:${i}`)));
    const set = {
      truth, shear, conds: [] as Float32Array[],
      refresh() { set.conds = shear.map((g) => packCondition(g, n, spec, forward.mask(n), scale())); },
    };
    set.refresh();
    return set;
  }

  /** PSNR of one sample and of the P_val-sample mean, and RMSE of that mean, averaged over validation maps. */
  private validate(G: tf.LayersModel, val: HeldOut & { refresh(): void }, n: number, C: number, zc: number, scale: number, pVal: number, rng: Rng) {
    val.refresh();
    const { samples } = drawPosteriorSamples(G, val.conds, n, C, zc, pVal, scale, rng, this.opts.sampleBatch);
    let p1 = 0, pm = 0, rm = 0;
    samples.forEach((s, i) => {
      const { mean } = posteriorMoments(s);
      p1 += psnr(val.truth[i], s[0]);
      pm += psnr(val.truth[i], mean);
      rm += rmse(val.truth[i], mean);
    });
    const k = samples.length;
    return { psnrSingle: p1 / k, psnrMean: pm / k, rmseMean: rm / k };
  }

  private async evaluate(ctx: MethodContext, G: tf.LayersModel, forward: ShearForwardModel, val: HeldOut & { refresh(): void },
    n: number, C: number, zc: number, scale: number): Promise<{ metrics: RunMetrics; timings: RunTimings }> {
    const o = this.opts;
    const out: RunMetrics = {};
    let ksSigma: number;
    if (o.ksSmoothing === 'auto') {
      const best = chooseKsSmoothing(val.truth, val.shear, n);
      ksSigma = best.sigma;
    } else ksSigma = o.ksSmoothing;
    out.ksSmoothing = ksSigma;

    const test = this.heldOut(ctx, forward, 'test', o.testSize, () => scale);
    const N = Math.max(o.posteriorSamples, ...o.sweep);
    const { samples, seconds } = drawPosteriorSamples(G, test.conds, n, C, zc, N, scale, ctx.rng.derive('posterior-latent'), o.sampleBatch);
    const timings: RunTimings = { secondsPerSample: seconds / (test.truth.length * N) };
    const moments = samples.map((s) => posteriorMoments(s, o.posteriorSamples));
    const ks = test.shear.map((g) => kaiserSquiresEstimate(g, n, ksSigma));

    const results: MassMapResults = {
      n, truth: test.truth,
      estimates: { gan: { maps: moments.map((m) => m.mean), std: moments.map((m) => m.std) }, ks: { maps: ks } },
    };
    const nWf = Math.min(o.wienerMaps, ctx.train.trainSize, ctx.data.size);   // training maps only
    if (nWf > 0 && forward.mask(n) === undefined) {
      const power = kappaModePower(Array.from({ length: nWf }, (_, i) => ctx.data.sample(i, 'train').image), n);
      results.estimates.wf = { maps: test.shear.map((g) => wienerFilterEstimate(g, n, power, forward.sigma)) };
    }
    for (const m of ctx.metrics) {
      Object.assign(out, await m.metric.evaluate({ extra: { [MASS_MAP_RESULTS_KEY]: results }, rng: ctx.rng.derive(m.path), plotDir: ctx.runDir.plotsDir, tag: ctx.tag }));
    }

    // "Changing N": the posterior mean of the first k samples.
    const sweep = [...new Set(o.sweep)].sort((a, b) => a - b);
    const ksRmse = mean(test.truth.map((t, i) => rmse(t, ks[i])));
    const ksR = mean(test.truth.map((t, i) => pearson(t, ks[i]).r));
    const wf = results.estimates.wf?.maps;
    const wfRmse = wf ? mean(test.truth.map((t, i) => rmse(t, wf[i]))) : undefined;
    const wfR = wf ? mean(test.truth.map((t, i) => pearson(t, wf[i]).r)) : undefined;
    const rm: number[] = [], pr: number[] = [];
    for (const k of sweep) {
      const means = samples.map((s) => posteriorMoments(s, k).mean);
      const r = mean(test.truth.map((t, i) => rmse(t, means[i])));
      const p = mean(test.truth.map((t, i) => pearson(t, means[i]).r));
      rm.push(r); pr.push(p);
      out[`rmse_gan_n${k}`] = r;
      out[`pearson_gan_n${k}`] = p;
      ctx.runDir.record({ phase: 'posterior-sweep', samples: k, rmse_gan: r, pearson_gan: p, rmse_ks: ksRmse, pearson_ks: ksR,
        ...(wf ? { rmse_wf: wfRmse, pearson_wf: wfR } : {}) });
    }
    if (sweep.length > 1) {
      await writeLinePlot(ctx.runDir.plot('posterior-sweep.png'), [
        { name: 'GAN posterior mean: Pearson', x: sweep, y: pr },
        { name: `smoothed KS (σ=${ksSigma}px): Pearson`, x: sweep, y: sweep.map(() => ksR) },
        { name: 'GAN posterior mean: RMSE x 10', x: sweep, y: rm.map((v) => 10 * v) },
        { name: 'smoothed KS: RMSE x 10', x: sweep, y: sweep.map(() => 10 * ksRmse) },
        ...(wf ? [
          { name: 'Wiener filter: Pearson', x: sweep, y: sweep.map(() => wfR as number) },
          { name: 'Wiener filter: RMSE x 10', x: sweep, y: sweep.map(() => 10 * (wfRmse as number)) },
        ] : []),
      ], { title: `${ctx.tag}: posterior mean vs number of samples N`, xLabel: 'N (posterior samples)', yLabel: 'Pearson r / 10·RMSE' });
    }
    const rows = Math.min(o.panelMaps, test.truth.length);
    if (rows > 0) {
      writePosteriorPanel(ctx.runDir.plot('posterior-panel.png'), Array.from({ length: rows }, (_, i) => ({
        truth: test.truth[i], ks: ks[i], mean: moments[i].mean, std: moments[i].std,
      })), n);
    }
    return { metrics: out, timings };
  }
}

function mean(xs: number[]): number { return xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length); }

/** Pixel std of a set of maps (pooled). */
function pixelStd(maps: Float32Array[]): number {
  let s = 0, ss = 0, k = 0;
  for (const m of maps) for (const v of m) { s += v; ss += v * v; k++; }
  const m = s / k;
  const sd = Math.sqrt(Math.max(0, ss / k - m * m));
  if (!(sd > 0)) throw new Error('model.method.kappaScale: the training maps are constant; set kappaScale to a number');
  return sd;
}
