import * as tf from '@tensorflow/tfjs';
import {
  component, componentRef, disposeAll, expectLossFamily, inject, LensforgeError, makePair, r2Score, stackSamples, TOKENS, writeLinePlot, z,
  type ComponentFactory, type EvalContext, type ExportableMethod, type ExportContext, type TrainedNetwork, type SiameseLoss, type Method, type MethodContext, type MethodResult, type RunMetrics, type RunTimings, type Sample, type Simulator,
} from '../../../core/index.js';
import { buildPredictor, buildProjector } from '../nets/index.js';
import { meanPredictionR2, simsiamStep } from '../train/index.js';
import { embedSamples, labelColumns } from '../embedding/embed.js';

export const SimSiamOptions = z.strictObject({
  pretrain: z.boolean().default(true).describe('false: no self-supervised phase (the from-scratch baseline)'),
  projector: z.strictObject({
    hidden: z.number().int().min(1).default(2048),
    out: z.number().int().min(1).default(2048),
    layers: z.number().int().min(1).max(4).default(3),
  }).prefault({}),
  predictor: z.strictObject({ bottleneck: z.number().int().min(1).default(512) }).prefault({}),
  evaluation: z.strictObject({
    size: z.number().int().min(10).default(1000).describe('held-out labelled images embedded for the metrics (split "eval")'),
  }).prefault({}),
  downstream: z.union([z.literal(false), z.strictObject({
    data: componentRef('simulator').optional().describe('an independent population (default: the training simulator)'),
    target: z.string().default('theta_E'),
    trainSize: z.number().int().min(2).default(1000),
    testSize: z.number().int().min(2).default(1000),
    epochs: z.number().int().min(0).default(10),
    batchSize: z.number().int().min(2).default(32),
    optimizer: componentRef('optimizer').optional().describe('the fine-tuning optimizer (default { use: core/adam, lr: 0.001 })'),
    lr: z.number().positive().optional().describe('shorthand for optimizer { use: core/adam, lr }'),
    schedule: componentRef('schedule').optional().describe('the fine-tuning learning-rate schedule (default core/cosine)'),
    mode: z.enum(['finetune', 'linear']).default('finetune').describe('finetune the whole encoder, or train a head on frozen features'),
  })]).prefault({}),
});
type Options = z.output<typeof SimSiamOptions>;

/** SimSiam's optimizer when the config names none (Chen & He 2021: SGD, momentum 0.9, weight decay 1e-4). */
const DEFAULT_OPTIMIZER = { use: 'core/sgd', lr: 0.03, momentum: 0.9, weightDecay: 1e-4 };

/**
 * SimSiam (Chen & He 2021) — and LenSiam (Chang et al. 2023) when the augmenter is
 * `lensing/lens-pair`. Pre-trains encoder + projector + predictor with the symmetric negative-
 * cosine loss (stop-gradient on z); its one optimizer (network `siamese`) comes from
 * `train.optimizer` (default: SGD, momentum 0.9, coupled weight decay 1e-4 on every weight, lr
 * 0.03; the papers use lr = base_lr x batch/256 with `scaleLrByBatch`) and `train.schedule`
 * (default cosine decay per step); logs the collapse monitor (std of the
 * l2-normalised z, ≈ 1/sqrt(d) healthy, → 0 collapsed) every epoch. Then embeds a held-out
 * labelled set for the metrics (kNN R², UMAP ...) and fine-tunes a regression of
 * `downstream.target` on an independent population (R² on its test set).
 * Labels are never shown to the self-supervised phase.
 */
@component({ kind: 'method', name: 'simsiam/simsiam', description: 'SimSiam/LenSiam pre-training, embedding metrics and downstream regression', options: SimSiamOptions })
export class SimSiamMethod implements Method, ExportableMethod {
  constructor(
    @inject(TOKENS.Options) private readonly o: Options,
    @inject(TOKENS.Factory) private readonly factory: ComponentFactory,
    @inject(TOKENS.ComponentPath) private readonly path: string,
  ) {}

  /**
   * The export capability: `encoder` (images -> features, as pre-trained: checkpoint phase
   * `pretrain`, weights `model:encoder`) and, with downstream enabled, `downstream` (images ->
   * `downstream.target`: the fine-tuned encoder + linear head, phase `downstream`, weights
   * `model:downstream`; its output in units of the target standardised on the downstream
   * training set, undone by the output's scale / offset). Without pre-training the encoder is the
   * downstream model's.
   */
  exportNetworks(ctx: ExportContext): TrainedNetwork[] {
    if (!ctx.encoder) throw new Error('model.encoder: simsiam/simsiam needs an encoder');
    const nets: TrainedNetwork[] = [];
    const shape = ctx.imageShape;
    if (this.o.pretrain) {
      const enc = ctx.encoder.build(shape, ctx.rng.derive('encoder'));
      nets.push({ name: 'encoder', role: 'encoder', description: `images -> ${enc.featureDim} features (SimSiam pre-trained encoder)`, model: enc.model, weights: { phase: 'pretrain', prefix: 'model:encoder', missing: 'the run did not finish an epoch of pre-training' }, output: { kind: 'embedding' } });
    }
    const d = this.o.downstream;
    if (d !== false) {
      const enc = ctx.encoder.build(shape, ctx.rng.derive('encoder'));
      if (d.mode === 'linear') enc.model.trainable = false;
      const input = tf.input({ shape: [...shape] });
      const feats = enc.model.apply(input, d.mode === 'linear' ? { training: false } : undefined) as tf.SymbolicTensor;
      const head = tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.glorotUniform({ seed: ctx.rng.derive('head').tfSeed() }) });
      const model = tf.model({ inputs: input, outputs: head.apply(feats) as tf.SymbolicTensor });
      const { mean, std } = this.labelNormalisation(ctx, d);
      nets.push({ name: 'downstream', role: 'head', description: `images -> ${d.target} (${d.mode === 'linear' ? 'linear head on the frozen encoder' : 'fine-tuned encoder + linear head'})`, model,
        weights: { phase: 'downstream', prefix: 'model:downstream', missing: 'the run did not reach fine-tuning (downstream)' },
        output: { kind: 'prediction', targets: [d.target], scale: [std], offset: [mean] } });
      if (!this.o.pretrain) nets.push({ name: 'encoder', role: 'encoder', description: `images -> ${enc.featureDim} features (the downstream model's encoder; no pre-training)`, model: enc.model, output: { kind: 'embedding' } });
    }
    return nets;
  }

  /** The downstream label normalisation: from the downstream checkpoint, else recomputed from the downstream training set. */
  private labelNormalisation(ctx: ExportContext, d: Exclude<Options['downstream'], false>): { mean: number; std: number } {
    const saved = (ctx.checkpointState('downstream') as { labelNormalisation?: { mean: number; std: number } } | undefined)?.labelNormalisation;
    if (saved) return saved;
    const sim = d.data ? this.factory.create<Simulator>('simulator', d.data, `${this.path}.downstream.data`) : ctx.data();
    const y = Float32Array.from({ length: d.trainSize }, (_, i) => sim.sample(i, 'downstream-train').labels[d.target]);
    const mean = y.reduce((a, b) => a + b, 0) / y.length;
    return { mean, std: Math.sqrt(y.reduce((a, b) => a + (b - mean) ** 2, 0) / y.length) || 1 };
  }

  async run(ctx: MethodContext): Promise<MethodResult> {
    const { data, train } = ctx;
    if (!ctx.encoder) throw new Error('model.encoder: simsiam/simsiam needs an encoder (e.g. { use: encoders/resnet, depth: 18 })');
    if (this.o.pretrain && !ctx.augment) throw new Error('augment: SimSiam pre-training needs an augmenter (e.g. lensing/lens-pair or simsiam/default); set model.method.pretrain: false for the from-scratch baseline');
    if (this.o.pretrain) expectLossFamily(ctx.loss, 'siamese');
    const results: RunMetrics = {};
    const timings: RunTimings = {};
    const t0 = Date.now();
    let wholeRun = true; // every phase ran in this process (none resumed or skipped): the wall time is the run's
    const enc = ctx.encoder.build(data.imageShape, ctx.rng.derive('encoder'));
    const disposables: Array<{ dispose(): void }> = [enc.model];
    try {
      if (this.o.pretrain) {
        const p = await this.pretrain(ctx, enc.model, enc.featureDim, disposables);
        Object.assign(results, p.metrics);
        Object.assign(timings, p.timings);
        wholeRun &&= p.timings.pretrain_ms_per_step !== undefined;
      }
      // frozen embeddings of a held-out labelled set
      const evalSamples = Array.from({ length: this.o.evaluation.size }, (_, i) => data.sample(i, 'eval'));
      const emb = embedSamples(enc.model, evalSamples, data.imageShape);
      const evalCtx: EvalContext = {
        embeddings: { features: emb.features, n: evalSamples.length, dim: emb.dim, labels: labelColumns(evalSamples, data.labelNames) },
        plotDir: ctx.runDir.plotsDir, tag: ctx.tag, rng: ctx.rng.derive('metrics'),
      };
      if (this.o.downstream !== false) {
        const d = await this.downstream(ctx, enc.model, this.o.downstream, disposables);
        Object.assign(results, d.metrics);
        evalCtx.predictions = d.predictions;
        wholeRun &&= d.wholePhase;
      }
      Object.assign(results, await ctx.training.evaluate(evalCtx, { missing: { predictions: 'provides only with downstream enabled' } }));
      // the compute of the whole run (pre-training, embeddings, fine-tuning, metrics), a timing
      if (wholeRun) timings.run_minutes = (Date.now() - t0) / 60000;
      return { metrics: results, timings };
    } finally {
      // the downstream model contains the encoder, so disposing both may meet an already disposed container
      disposeAll(disposables);
    }
  }

  private async pretrain(ctx: MethodContext, encoder: tf.LayersModel, featureDim: number, disposables: Array<{ dispose(): void }>): Promise<{ metrics: RunMetrics; timings: RunTimings }> {
    const { data, train } = ctx;
    const augment = ctx.augment!;
    const loss = ctx.loss as SiameseLoss;
    const projector = buildProjector(featureDim, { ...this.o.projector, rng: ctx.rng.derive('projector') });
    const predictor = buildPredictor(this.o.projector.out, { bottleneck: this.o.predictor.bottleneck, rng: ctx.rng.derive('predictor') });
    disposables.push(projector, predictor);
    const n = Math.min(train.trainSize, data.size);
    const steps = Math.floor(n / train.batchSize);
    if (steps < 1) throw new Error(`train.batchSize: expected at most the number of training samples (${n}), got ${train.batchSize}`);
    const { siamese: opt } = ctx.training.optimizers({ siamese: { optimizer: DEFAULT_OPTIMIZER } }, train.batchSize);
    disposables.push(opt.optimizer);
    let order: number[] = [];
    const lossFn = loss.compute.bind(loss);
    const t0 = Date.now();
    const history = await ctx.training.run({
      phase: 'pretrain', epochs: train.epochs, stepsPerEpoch: steps,
      models: { encoder, projector, predictor }, optimizers: { siamese: opt },
      step: (epoch, s) => {
        if (s === 0 || order.length === 0) order = ctx.rng.derive(`order:${epoch}`).shuffle(Array.from({ length: n }, (_, i) => i));
        const samples = order.slice(s * train.batchSize, (s + 1) * train.batchSize).map((i) => data.sample(i, 'train'));
        const images = stackSamples(samples, data.imageShape);
        const [x1, x2] = makePair(augment, { images, samples, simulator: data }, ctx.rng.derive(`augment:${epoch}:${s}`));
        const r = simsiamStep(encoder, projector, predictor, opt.optimizer, x1, x2, lossFn);
        return { loss: r.loss, collapse_std: r.collapseStd };
      },
    });
    const ep = history.epochs;
    if (ep.length) {
      await writeLinePlot(ctx.runDir.plot(`pretrain-loss-${safe(ctx.tag)}.png`), [
        { name: 'loss', x: ep.map((_, i) => i + 1), y: ep.map((e) => e.loss) },
      ], { title: `SimSiam loss — ${ctx.tag}`, xLabel: 'epoch', yLabel: 'negative cosine' });
    }
    const last = ep[ep.length - 1] ?? {};
    const out: RunMetrics = { pretrain_loss: last.loss ?? NaN, collapse_std: last.collapse_std ?? NaN, collapse_std_healthy: 1 / Math.sqrt(this.o.projector.out) };
    // a timing, not a metric: only measured when every step ran in this process
    const timings: RunTimings = !history.skipped && history.resumedFrom === undefined ? { pretrain_ms_per_step: (Date.now() - t0) / Math.max(1, steps * train.epochs) } : {};
    return { metrics: out, timings };
  }

  private async downstream(ctx: MethodContext, encoder: tf.LayersModel, o: Exclude<Options['downstream'], false>, disposables: Array<{ dispose(): void }>) {
    const sim = o.data ? this.factory.create<Simulator>('simulator', o.data, `${this.path}.downstream.data`) : ctx.data;
    if (sim.imageShape.join() !== ctx.data.imageShape.join()) {
      throw new Error(`${this.path}.downstream.data: images of ${sim.imageShape.join('x')} do not match the training images (${ctx.data.imageShape.join('x')})`);
    }
    if (!sim.labelNames.includes(o.target)) throw new Error(`${this.path}.downstream.target: expected one of ${sim.labelNames.join(', ')}, got "${o.target}"`);
    const trainS: Sample[] = Array.from({ length: o.trainSize }, (_, i) => sim.sample(i, 'downstream-train'));
    const testS: Sample[] = Array.from({ length: o.testSize }, (_, i) => sim.sample(i, 'downstream-test'));
    const yTrain = Float32Array.from(trainS, (s) => s.labels[o.target]);
    const mean = yTrain.reduce((a, b) => a + b, 0) / yTrain.length;
    const std = Math.sqrt(yTrain.reduce((a, b) => a + (b - mean) ** 2, 0) / yTrain.length) || 1;
    const xTrain = stackSamples(trainS, sim.imageShape);
    const yNorm = tf.tensor2d(Float32Array.from(yTrain, (v) => (v - mean) / std), [yTrain.length, 1]);
    disposables.push(xTrain, yNorm);
    const head = tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.glorotUniform({ seed: ctx.rng.derive('head').tfSeed() }) });
    const input = tf.input({ shape: [...sim.imageShape] });
    if (o.mode === 'linear') encoder.trainable = false;
    const feats = encoder.apply(input, o.mode === 'linear' ? { training: false } : undefined) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: head.apply(feats) as tf.SymbolicTensor });
    if (o.optimizer && o.lr !== undefined) throw new LensforgeError(`${this.path}.downstream: give either optimizer or lr (a shorthand for { use: core/adam, lr }), not both`);
    const opt = ctx.training.optimizer('downstream', {
      optimizer: o.optimizer ?? { use: 'core/adam', lr: o.lr ?? 1e-3 }, path: `${this.path}.downstream.optimizer`,
      schedule: o.schedule, schedulePath: `${this.path}.downstream.schedule`,
    }, o.batchSize);
    disposables.push(opt.optimizer);
    const steps = Math.max(1, Math.floor(o.trainSize / o.batchSize));
    let order: number[] = [];
    const history = await ctx.training.run({
      phase: 'downstream', epochs: o.epochs, stepsPerEpoch: steps,
      models: { downstream: model }, optimizers: { downstream: opt },
      // the label normalisation, so `lensforge predict` can undo it (export capability)
      saveState: () => ({ labelNormalisation: { target: o.target, mean, std } }),
      step: (epoch, s) => {
        if (s === 0 || order.length === 0) order = ctx.rng.derive(`downstream-order:${epoch}`).shuffle(Array.from({ length: o.trainSize }, (_, i) => i));
        const idx = tf.tensor1d(order.slice(s * o.batchSize, (s + 1) * o.batchSize), 'int32');
        const x = tf.gather(xTrain, idx), y = tf.gather(yNorm, idx);
        const l = opt.optimizer.minimize(() => tf.losses.meanSquaredError(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar, true) as tf.Scalar;
        return { loss: l.dataSync()[0] };
      },
    });
    const pred = embedSamples(model, testS, sim.imageShape).features;
    const yPred = Float32Array.from(pred, (v) => v * std + mean);
    const yTrue = Float32Array.from(testS, (s) => s.labels[o.target]);
    disposables.push(model);
    encoder.trainable = true;
    // the trivial floor: R² of predicting the downstream training set's mean for every test image
    // (about 0, slightly below when the two sets' means differ)
    const floor = meanPredictionR2(yTrain, yTrue);
    return {
      metrics: { [`downstream_r2_${o.target}`]: r2Score(yTrue, yPred), [`downstream_r2_${o.target}_floor`]: floor },
      predictions: { yTrue, yPred, name: o.target },
      wholePhase: !history.skipped && history.resumedFrom === undefined,
    };
  }
}

function safe(s: string): string { return s.replace(/[^A-Za-z0-9_.-]+/g, '_'); }
