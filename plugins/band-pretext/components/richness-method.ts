import * as tf from '@tensorflow/tfjs';
import { existsSync } from 'node:fs';
import {
  component, ComponentFactory, expectLossFamily, inject, TOKENS,
  type ExportableMethod, type ExportContext, type Method, type MethodContext, type Rng, type RunMetrics, type TrainedNetwork,
} from '../../../core/index.js';
import { BandSplit, BandStack } from '../nets/band-layers.js';
import { buildClusterPool, singleBandImages, type ClusterPool } from '../data/cluster-pool.js';
import { labelledSubset, partitionByGroup } from '../data/group-split.js';
import { buildBandExtractor } from '../nets/band-extractor.js';
import { buildRichnessHead } from '../nets/richness-head.js';
import type { OcclusionAnalysis } from './occlusion-analysis.js';
import type { FigureMarker, OcclusionExample } from '../analysis/occlusion-figure.js';
import type { ClusterSampleScene } from './cluster-simulator.js';
import { OBJECT_KIND } from '../sim/cluster-scene.js';
import { cacheFolder, loadCachedPretext, pretrainKey, saveCachedPretext } from '../method/pretrain-cache.js';
import { buildPretextModel, evaluatePretext, trainPretext, type TrainedPretext } from '../method/pretext-phase.js';
import { pretextOptimizerSpec } from '../method/pretext-optimizer.js';
import { runRichnessPhase, targetScale, validationSplit } from '../method/richness-phase.js';
import { RichnessOptions, type RichnessConfig } from '../method/richness-options.js';

/**
 * Optical-wavelength-guided self-supervised richness estimation (Liang et al. 2021,
 * "Optical Wavelength Guided Self-Supervised Feature Learning for Galaxy Cluster Richness
 * Estimate"). Steps:
 * 1. render `poolSize` observations of the simulator's train split (any square C-band
 *    simulator with the `target` label; Sample.group = cluster) and split them 4:1 by cluster;
 * 2. pre-train the shared single-band extractor (ResNet + 1x1 conv/BN/ReLU + GAP + FC) on the
 *    training clusters with the band-classification or channel-order pretext ('none' = Base);
 *    the held-out pretext accuracy is reported (`band_acc` / `order_acc`), and an occlusion
 *    figure is written when `occlusion` names an analysis;
 * 3. train the Table S2 head (extractor fine-tuned or frozen) on `labelFraction` of the
 *    training clusters with the configured regression loss, `train.*` settings
 *    (`trainSize` labelled draws per epoch, with replacement) — same clusters for Ours and Base;
 *    The pretext optimizer is `pretext.optimizer` / `pretext.schedule` (components); the richness
 *    one is network `richness` of `train.optimizer(s)` / `train.schedule(s)`. With
 *    `validationFraction` > 0, held-out labelled clusters give `val_mae` every epoch (for
 *    `train.earlyStopping: { metric: val_mae, mode: min }`);
 * 4. evaluate the configured metrics (e.g. `band-pretext/mae`, `band-pretext/sigma`) on the
 *    held-out clusters. Each phase runs through `ctx.training` (checkpoints, --resume).
 * Outputs: the metrics; each metric's trivial floor `<name>_floor` (the test clusters predicted
 * by the mean target of the labelled clusters trained on); n_labelled and n_test (clusters);
 * val_mae (the final weights' validation MAE) with a validation split.
 */
@component({ kind: 'method', name: 'band-pretext/richness', description: 'band / channel-order self-supervised pre-training, then cluster-richness regression (Liang et al. 2021)', options: RichnessOptions })
export class RichnessMethod implements Method, ExportableMethod {
  constructor(
    @inject(TOKENS.Options) private readonly opts: RichnessConfig,
    @inject(TOKENS.Factory) private readonly factory: ComponentFactory,
    @inject(TOKENS.ComponentPath) private readonly path: string,
  ) {}

  async run(ctx: MethodContext): Promise<RunMetrics> {
    expectLossFamily(ctx.loss, 'regression');
    const loss = ctx.loss;
    const o = this.opts;
    const { data } = ctx;
    const [S, , C] = data.imageShape;
    const t0 = Date.now();
    const pool = buildClusterPool(data, o.poolSize, 'train', o.target, o.softening);
    const split = partitionByGroup(pool.groups, o.testFraction, ctx.rng.derive('split'));
    const labelled = labelledSubset(split.train, pool.groups, o.labelFraction, ctx.rng.derive('labels'));
    const nClusters = (items: number[]) => new Set(items.map((i) => pool.groups[i])).size;
    ctx.logger.info(`[${ctx.tag}] catalogue: ${pool.n} observations of ${S}x${S}x${C} in ${((Date.now() - t0) / 1000).toFixed(1)} s; ` +
      `${nClusters(split.train)} training / ${nClusters(split.test)} test clusters; ${nClusters(labelled)} labelled (${(100 * o.labelFraction).toFixed(1)} %)`);

    const extractorNet = buildBandExtractor({ ...o.extractor, inputSize: S, rng: ctx.rng.derive('extractor') });
    const extractor = extractorNet.model;
    const head = buildRichnessHead({ featureDim: extractorNet.featureDim, bands: C, ...o.head, rng: ctx.rng.derive('head') });
    const metrics: RunMetrics = {};
    if (o.pretrain !== 'none') Object.assign(metrics, await this.pretrain(ctx, pool, split, extractor, extractorNet.featureDim));

    const { yTrue, yPred, valMae, fitMean } = await runRichnessPhase({ ctx, loss, pool, labelled, test: split.test, extractor, head, opts: o, rng: ctx.rng.derive('richness'), path: this.path });
    // the trivial floor of every metric: the same test clusters predicted by the labelled mean
    const floor = new Float32Array(yTrue.length).fill(fitMean);
    for (const m of ctx.metrics) {
      Object.assign(metrics, await m.metric.evaluate({ predictions: { yTrue, yPred, name: o.target }, rng: ctx.rng.derive(m.path), plotDir: ctx.runDir.plotsDir, tag: ctx.tag }));
      const floors = await m.metric.evaluate({ predictions: { yTrue, yPred: floor, name: o.target }, rng: ctx.rng.derive(`${m.path}:floor`), tag: ctx.tag });
      for (const [k, v] of Object.entries(floors)) if (typeof v === 'number') metrics[`${k}_floor`] = v;
    }
    if (valMae !== undefined) metrics.val_mae = valMae;
    metrics.n_labelled = nClusters(labelled);
    metrics.n_test = nClusters(split.test);
    ctx.runDir.record({ phase: 'evaluate', ...metrics });
    extractor.dispose();
    head.dispose();
    return metrics;
  }

  /**
   * The `export` capability, from the `finetune` checkpoints: `extractor` (one band [S, S, 1],
   * asinh-stretched, → D features) and `richnessHead` ([D, C, 1] → normalised λ), and two
   * networks built on them that take the data's raw [S, S, C] images (custom layers BandSplit /
   * BandStack do the stretch and the per-band split): `bandFeatures` (role encoder, → C·D
   * features) and `richness` (role head, → λ; the training's target normalisation recorded as
   * scale / offset; predict's scatter is the paper's std of |λ − λ̂|).
   */
  exportNetworks(ctx: ExportContext): TrainedNetwork[] {
    const o = this.opts;
    const [S, , C] = ctx.imageShape;
    const net = buildBandExtractor({ ...o.extractor, inputSize: S, rng: ctx.rng.derive('extractor') });
    const head = buildRichnessHead({ featureDim: net.featureDim, bands: C, ...o.head, rng: ctx.rng.derive('head') });
    const missing = 'the run did not reach the richness (finetune) phase';
    const input = tf.input({ shape: [S, S, C], name: 'images' });
    const feats = net.model.apply(new BandSplit({ softening: o.softening, name: 'band_split' }).apply(input) as tf.SymbolicTensor) as tf.SymbolicTensor;
    const stacked = new BandStack({ bands: C, name: 'band_stack' }).apply(feats) as tf.SymbolicTensor;
    const features = tf.model({ inputs: input, outputs: tf.layers.flatten({ name: 'band_features' }).apply(stacked) as tf.SymbolicTensor, name: 'band_features' });
    const richness = tf.model({ inputs: input, outputs: head.apply(stacked) as tf.SymbolicTensor, name: 'richness' });
    const scale = this.exportedScale(ctx);
    return [
      { name: 'extractor', role: 'band-extractor', description: `one asinh-stretched band [${S}, ${S}, 1] -> ${net.featureDim} features (shared by the ${C} bands)`, model: net.model,
        weights: { phase: 'finetune', prefix: 'model:extractor', missing }, output: { kind: 'embedding' } },
      { name: 'richnessHead', role: 'richness-head', description: `per-band features [${net.featureDim}, ${C}, 1] -> normalised ${o.target} (Table S2 head)`, model: head,
        weights: { phase: 'finetune', prefix: 'model:head', missing }, output: { kind: 'prediction', targets: [o.target], scale: [scale.std], offset: [scale.mean] } },
      { name: 'bandFeatures', role: 'encoder', description: `images [${S}, ${S}, ${C}] -> ${C * net.featureDim} features (the extractor on each band, stacked)`, model: features, output: { kind: 'embedding' } },
      { name: 'richness', role: 'head', description: `images [${S}, ${S}, ${C}] -> ${o.target} (extractor + head)`, model: richness,
        output: { kind: 'prediction', targets: [o.target], scale: [scale.std], offset: [scale.mean], scatter: 'std-abs-error' } },
    ];
  }

  /** The target normalisation of the richness phase: from its checkpoint, else recomputed from the catalogue as the run built it. */
  private exportedScale(ctx: ExportContext): { mean: number; std: number } {
    const saved = (ctx.checkpointState('finetune') as { targetScale?: { mean: number; std: number } } | undefined)?.targetScale;
    if (saved) return saved;
    const o = this.opts;
    const pool = buildClusterPool(ctx.data(), o.poolSize, 'train', o.target, o.softening);
    const split = partitionByGroup(pool.groups, o.testFraction, ctx.methodRng.derive('split'));
    const labelled = labelledSubset(split.train, pool.groups, o.labelFraction, ctx.methodRng.derive('labels'));
    const { fit } = validationSplit(pool, labelled, o.validationFraction, ctx.methodRng.derive('richness').derive('validation'), this.path);
    return targetScale(pool, fit, o.normalizeTarget);
  }

  /** Pre-train (or load from the shared cache) the extractor; returns the pretext metrics. */
  private async pretrain(ctx: MethodContext, pool: ClusterPool, split: { train: number[]; test: number[] }, extractor: tf.LayersModel, featureDim: number): Promise<Record<string, number>> {
    const o = this.opts;
    const task = o.pretrain as TrainedPretext;
    const rng: Rng = ctx.rng.derive(`pretext:${task}`);
    const model = buildPretextModel(task, extractor, featureDim, pool.channels, rng, this.path);
    // the optimizer as resolved, so the shorthand and the component form it stands for share the cache
    const { optimizer, schedule } = pretextOptimizerSpec(o.pretext, `${this.path}.pretext`);
    const { epochs, stepsPerEpoch, batchSize, evalImages } = o.pretext;
    const pretext = { epochs, stepsPerEpoch, batchSize, evalImages, optimizer, schedule };
    const description = { task, extractor: o.extractor, pretext, softening: o.softening, stream: rng.key, shape: [pool.size, pool.channels] };
    const folder = o.pretrainCacheDir ? cacheFolder(ctx.runDir.path, o.pretrainCacheDir, task, pretrainKey(description, pool.images, split.train)) : undefined;
    let metrics = folder && existsSync(folder) ? loadCachedPretext(folder, extractor, model.head) : undefined;
    if (metrics) {
      ctx.logger.info(`[${ctx.tag}] pre-trained ${task} extractor loaded from ${folder}`);
    } else {
      const inputs = { ctx, pool, train: split.train, test: split.test, extractor, featureDim, opts: o, rng, path: this.path };
      await trainPretext(inputs, model);
      metrics = evaluatePretext(pool, split.test.slice(0, o.pretext.evalImages), model, rng.derive('eval'));
      if (folder) saveCachedPretext(folder, extractor, model.head, metrics, description);
    }
    ctx.logger.info(`[${ctx.tag}] pretext ${task}: ${Object.entries(metrics).map(([k, v]) => `${k}=${v.toFixed(4)}`).join(' ')}`);
    ctx.runDir.record({ phase: 'pretrain-eval', ...metrics });
    if (o.occlusion !== null && task === 'band') this.occlusionFigure(ctx, pool, split.test, (x) => model.logits(x, false));
    model.head.dispose();
    return metrics;
  }

  /** Occlusion maps of the band classifier on held-out single-band images (Fig. 2 style). */
  private occlusionFigure(ctx: MethodContext, pool: ClusterPool, test: number[], classify: (x: tf.Tensor4D) => tf.Tensor2D): void {
    const o = this.opts;
    const analysis = this.factory.create<OcclusionAnalysis>('analysis', o.occlusion, `${this.path}.occlusion`);
    const S = pool.size;
    const examples: OcclusionExample[] = [];
    const summary: Record<string, number> = {};
    for (let k = 0; k < Math.min(o.occlusionImages, test.length); k++) {
      const item = test[k];
      const band = [2, 3, 1, 4, 0][k % 5] % pool.channels;
      const image = singleBandImages(pool, [item], [band]);
      const result = analysis.analyze(classify, image, [S, S, 1], band);
      examples.push({ image, result, markers: markersOf(ctx.data.sample(item, 'train').scene) });
      summary[`occlusion_baseline_${k}`] = result.baseline;
    }
    const path = ctx.runDir.plot('occlusion.png');
    analysis.writeFigure(path, examples);
    ctx.runDir.record({ phase: 'occlusion', file: path, ...summary });
    ctx.logger.info(`[${ctx.tag}] occlusion maps written to ${path}`);
  }
}

/** Member galaxies and stars of a `band-pretext/clusters` sample, for the figure (none for other simulators). */
function markersOf(scene: unknown): FigureMarker[] {
  const s = scene as ClusterSampleScene | undefined;
  if (!s?.scene?.objects || !s.observation) return [];
  return s.scene.objects
    .filter((ob) => ob.kind === OBJECT_KIND.member || ob.kind === OBJECT_KIND.bcg || ob.kind === OBJECT_KIND.star)
    .map((ob) => ({ x: ob.x + s.observation.dx, y: ob.y + s.observation.dy, kind: ob.kind === OBJECT_KIND.star ? 'star' as const : 'member' as const }));
}
