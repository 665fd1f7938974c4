import {
  component, tf, expectLossFamily, inject, stackSamples, TOKENS, z,
  type Encoder, type ExportableMethod, type ExportContext, type Method, type MethodContext, type Rng, type RunMetrics, type TrainedNetwork,
} from 'lensforge';

export const RegressOptions = z.strictObject({
  target: z.string().default('amplitude').describe('label to regress'),
  testSize: z.number().int().min(1).default(64).describe('held-out samples (split "test")'),
});
type Options = z.output<typeof RegressOptions>;

/**
 * Supervised regression of one label: encoder + linear head, trained with the config's loss,
 * optimizer (`train.optimizer`, any optimizer component; default `core/adam`, lr 0.01) and
 * schedule (`train.schedule`, any schedule component such as this plugin's
 * `example/linear-decay`; default `core/cosine`) through the core's training service
 * (`ctx.training`); the augmenter (if any) is applied to every training batch. Evaluates the
 * configured metrics on a held-out split.
 */
@component({ kind: 'method', name: 'example/regress', description: 'supervised regression of one label (tutorial plugin)', options: RegressOptions })
export class RegressMethod implements Method, ExportableMethod {
  /** `path` is where this method's spec sits in the config (`model.method`): errors name fields under it. */
  constructor(@inject(TOKENS.Options) private readonly opts: Options, @inject(TOKENS.ComponentPath) private readonly path: string) {}

  /**
   * The export capability: the regressor (images -> target, checkpoint phase `train`, weights
   * `model:model`) and the encoder inside it (images -> features; its weights are the regressor's).
   */
  exportNetworks(ctx: ExportContext): TrainedNetwork[] {
    if (!ctx.encoder) throw new Error('model.encoder: example/regress needs an encoder');
    const { model, encoder } = buildRegressor(ctx.imageShape, ctx.encoder, ctx.rng);
    return [
      { name: 'regressor', role: 'head', description: `images -> ${this.opts.target}`, model, weights: { phase: 'train', prefix: 'model:model', missing: 'the run did not finish an epoch of training' }, output: { kind: 'prediction', targets: [this.opts.target] } },
      { name: 'encoder', role: 'encoder', description: 'images -> features (the regressor\'s encoder)', model: encoder, output: { kind: 'embedding' } },
    ];
  }

  async run(ctx: MethodContext): Promise<RunMetrics> {
    expectLossFamily(ctx.loss, 'regression');
    const loss = ctx.loss;
    const { data, train } = ctx;
    if (!data.labelNames.includes(this.opts.target)) {
      throw new Error(`${this.path}.target: expected one of ${data.labelNames.join(', ')}, got "${this.opts.target}"`);
    }
    if (!ctx.encoder) throw new Error('model.encoder: example/regress needs an encoder');
    const { model } = buildRegressor(data.imageShape, ctx.encoder, ctx.rng);
    // one network, "model": its optimizer and schedule from the config (or these defaults)
    const { model: opt } = ctx.training.optimizers({ model: { optimizer: { use: 'core/adam', lr: 0.01 } } }, train.batchSize);
    const steps = Math.max(1, Math.floor(Math.min(train.trainSize, data.size) / train.batchSize));
    const order = ctx.rng.derive('order');
    const aug = ctx.rng.derive('augment');
    // the loop sets the scheduled rate before every step, checkpoints models, optimizer state and
    // streams, resumes, records metrics.jsonl and stops on NaN
    await ctx.training.run({
      phase: 'train', epochs: train.epochs, stepsPerEpoch: steps,
      models: { model }, optimizers: { opt }, rngs: { order, aug },
      step: () => {
        const idx = Array.from({ length: train.batchSize }, () => order.int(0, Math.min(train.trainSize, data.size)));
        const samples = idx.map((i) => data.sample(i, 'train'));
        const images = stackSamples(samples, data.imageShape);
        const x = ctx.augment ? ctx.augment.view({ images, samples, simulator: data }, aug) : images;
        const y = tf.tensor2d(samples.map((sm) => [sm.labels[this.opts.target]]));
        // tensors made here are released by the loop's scope after the step
        const l = opt.optimizer.minimize(() => loss.compute(y, model.apply(x, { training: true }) as tf.Tensor), true) as tf.Scalar;
        return { loss: l.dataSync()[0] };
      },
    });
    const test = Array.from({ length: this.opts.testSize }, (_, i) => data.sample(i, 'test'));
    const xt = stackSamples(test, data.imageShape);
    const pred = model.predict(xt) as tf.Tensor;
    const yPred = Float32Array.from(pred.dataSync());
    tf.dispose([xt, pred]);
    const yTrue = Float32Array.from(test.map((s) => s.labels[this.opts.target]));
    // the held-out metrics (each with its own stream); they go to summary.json, metrics.jsonl keeps one record per epoch
    const result = await ctx.training.evaluate({ predictions: { yTrue, yPred, name: this.opts.target }, plotDir: ctx.runDir.plotsDir, tag: ctx.tag }, { record: false });
    model.dispose();
    opt.optimizer.dispose();
    return result;
  }
}

/** Encoder + linear head, as trained (the same streams, so a rebuilt regressor has the run's architecture). */
function buildRegressor(imageShape: readonly [number, number, number], encoder: Encoder, rng: Rng): { model: tf.LayersModel; encoder: tf.LayersModel } {
  const enc = encoder.build(imageShape, rng.derive('encoder'));
  const input = tf.input({ shape: [...imageShape] });
  const feats = enc.model.apply(input) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.glorotUniform({ seed: rng.derive('head').tfSeed() }) }).apply(feats) as tf.SymbolicTensor;
  return { model: tf.model({ inputs: input, outputs: out }), encoder: enc.model };
}
