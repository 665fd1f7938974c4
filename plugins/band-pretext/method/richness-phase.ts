/**
 * The richness-estimation branch of Liang et al. 2021 (§2.2, Table S1): the five band images of
 * a cluster go through the shared extractor, their features are stacked and the Table S2 head
 * predicts lambda; trained with the configured regression loss (Eq. 1, `band-pretext/mse-std`)
 * on the labelled clusters, with the extractor fine-tuned or frozen. Phase 'finetune' of
 * `ctx.training`. With a frozen extractor the features are computed once (BN in inference
 * mode), which is exact and much faster. The optimizer (network `richness`) comes from
 * `train.optimizers.richness` / `train.optimizer` (default: SGD lr 0.03, momentum 0.9, coupled
 * weight decay 1e-4 on the kernels) and `train.schedule` (default cosine). With
 * `validationFraction` > 0 a share of the labelled clusters is held out and `val_mae` (target
 * units) is measured every epoch, which `train.earlyStopping: { metric: val_mae, mode: min }` uses.
 */
import * as tf from '@tensorflow/tfjs';
import { LensforgeError, trainableVariables, type ComponentSpec, type MethodContext, type RegressionLoss, type Rng } from '../../../core/index.js';
import { clusterImages, type ClusterPool } from '../data/cluster-pool.js';
import { partitionByGroup } from '../data/group-split.js';
import { extractPerBand } from '../nets/band-extractor.js';
import { featuresToHeadInput } from '../nets/richness-head.js';
import type { RichnessConfig } from './richness-options.js';
import { minimizeLoss } from './train-utils.js';

export interface RichnessInputs {
  ctx: MethodContext;
  loss: RegressionLoss;
  pool: ClusterPool;
  labelled: number[];
  test: number[];
  extractor: tf.LayersModel;
  head: tf.LayersModel;
  opts: RichnessConfig;
  rng: Rng;
  /** Config path of the method's options (`model.method`), for messages. */
  path: string;
}

/**
 * The richness phase's optimizer when the config names none: what it was before optimizers were
 * components (SGD lr 0.03, momentum 0.9, and an L2 penalty 1e-4/2·Σw² on the kernels, whose
 * gradient 1e-4·w is this coupled decay).
 */
export const DEFAULT_RICHNESS_OPTIMIZER: ComponentSpec = { use: 'core/sgd', lr: 0.03, momentum: 0.9, weightDecay: { value: 1e-4, mode: 'coupled', applyTo: 'kernels' } };

/** Mean and (population) std of the targets of `items`; std falls back to 1 when it is 0. */
export function targetScale(pool: ClusterPool, items: readonly number[], normalize: boolean): { mean: number; std: number } {
  if (!normalize || items.length === 0) return { mean: 0, std: 1 };
  let m = 0;
  for (const i of items) m += pool.targets[i];
  m /= items.length;
  let v = 0;
  for (const i of items) v += (pool.targets[i] - m) ** 2;
  const std = Math.sqrt(v / items.length);
  return { mean: m, std: std > 0 ? std : 1 };
}

/** Frozen per-band features of `items` in the head's input layout, [n, D, C, 1] values (BN in inference mode). */
function frozenFeatures(extractor: tf.LayersModel, pool: ClusterPool, items: readonly number[], batch: number): { data: Float32Array; per: number; shape: [number, number, number] } {
  const S = pool.size, C = pool.channels;
  let data = new Float32Array(0), per = 0;
  let shape: [number, number, number] = [0, 0, 0];
  for (let k = 0; k < items.length; k += batch) {
    const chunk = items.slice(k, k + batch);
    const t = tf.tidy(() => featuresToHeadInput(extractPerBand(extractor, tf.tensor4d(clusterImages(pool, chunk), [chunk.length, S, S, C]), false)));
    if (k === 0) { shape = [t.shape[1], t.shape[2], t.shape[3]]; per = shape[0] * shape[1] * shape[2]; data = new Float32Array(items.length * per); }
    data.set(t.dataSync() as Float32Array, k * per);
    t.dispose();
  }
  return { data, per, shape };
}

function gatherRows(data: Float32Array, per: number, rows: readonly number[]): Float32Array {
  const out = new Float32Array(rows.length * per);
  rows.forEach((r, i) => out.set(data.subarray(r * per, (r + 1) * per), i * per));
  return out;
}

/**
 * The labelled clusters split into those trained on and those validated on (whole clusters,
 * `validationFraction` of them, at least one on each side); no validation when the fraction is 0.
 */
export function validationSplit(pool: ClusterPool, labelled: number[], fraction: number, rng: Rng, path: string): { fit: number[]; validation: number[] } {
  if (fraction === 0) return { fit: labelled, validation: [] };
  const groups = labelled.map((i) => pool.groups[i]);
  const clusters = new Set(groups).size;
  if (clusters < 2) {
    throw new LensforgeError(`${path}.validationFraction: ${fraction} holds out whole labelled clusters, which needs at least 2 of them; got ${clusters} ` +
      '(raise labelFraction or poolSize, or set validationFraction: 0)');
  }
  const s = partitionByGroup(groups, fraction, rng);
  return { fit: s.train.map((k) => labelled[k]), validation: s.test.map((k) => labelled[k]) };
}

/**
 * Train the richness branch, then predict the test clusters. Returns the predictions in target
 * units (de-normalised) with the true targets, the validation MAE of the final weights (the
 * best epoch's when early stopping restored them) when there is a validation split, and the
 * mean target of the clusters trained on (the trivial predictor's constant: the floor).
 */
export async function runRichnessPhase(p: RichnessInputs): Promise<{ yTrue: Float32Array; yPred: Float32Array; valMae?: number; fitMean: number }> {
  const { ctx, pool, extractor, head, opts } = p;
  const { train } = ctx;
  const S = pool.size, C = pool.channels;
  const freeze = opts.freezeExtractor;
  extractor.trainable = !freeze;
  const { fit, validation } = validationSplit(pool, p.labelled, opts.validationFraction, p.rng.derive('validation'), p.path);
  const scale = targetScale(pool, fit, opts.normalizeTarget);
  if (train.earlyStopping && validation.length === 0) {
    throw new LensforgeError(`train.earlyStopping: band-pretext/richness validates (val_mae) only on held-out labelled clusters; ` +
      `expected ${p.path}.validationFraction > 0 (e.g. 0.2), got 0`);
  }
  const { richness: opt } = ctx.training.optimizers({ richness: { optimizer: DEFAULT_RICHNESS_OPTIMIZER, schedule: 'core/cosine' } }, train.batchSize);
  const vars = freeze ? trainableVariables(head) : trainableVariables(extractor, head);
  const steps = Math.max(1, Math.ceil(train.trainSize / train.batchSize));
  const order = p.rng.derive('batches');
  const cached = freeze ? frozenFeatures(extractor, pool, fit, opts.evalBatchSize) : undefined;
  const predictNorm = (x: tf.Tensor4D, training: boolean) => head.apply(featuresToHeadInput(extractPerBand(extractor, x, training)), { training }) as tf.Tensor2D;
  /** Predictions in target units for `items`, in batches (BN in inference mode). */
  const predict = (items: readonly number[]): Float32Array => {
    const out = new Float32Array(items.length);
    for (let k = 0; k < items.length; k += opts.evalBatchSize) {
      const chunk = items.slice(k, k + opts.evalBatchSize);
      const v = tf.tidy(() => predictNorm(tf.tensor4d(clusterImages(pool, chunk), [chunk.length, S, S, C]), false).dataSync());
      chunk.forEach((_, i) => { out[k + i] = v[i] * scale.std + scale.mean; });
    }
    return out;
  };
  const valMae = () => meanAbsError(validation.map((i) => pool.targets[i]), predict(validation));
  try {
    await ctx.training.run({
      phase: 'finetune', epochs: train.epochs, stepsPerEpoch: steps,
      // the checkpoint names of the optimizer and stream are those of earlier runs (resumable)
      models: { extractor, head }, optimizers: { opt }, rngs: { order },
      saveState: () => ({ targetScale: scale }),
      validate: validation.length ? { run: () => ({ val_mae: valMae() }) } : undefined,
      step: () => {
        const pick = Array.from({ length: train.batchSize }, () => order.int(0, fit.length));
        const items = pick.map((k) => fit[k]);
        const y = Float32Array.from(items, (i) => (pool.targets[i] - scale.mean) / scale.std);
        const loss = minimizeLoss(opt.optimizer, vars, () => {
          const yPred = cached
            ? (head.apply(tf.tensor4d(gatherRows(cached.data, cached.per, pick), [pick.length, ...cached.shape]), { training: true }) as tf.Tensor2D)
            : predictNorm(tf.tensor4d(clusterImages(pool, items), [items.length, S, S, C]), true);
          return p.loss.compute(tf.tensor2d(y, [items.length, 1]), yPred);
        });
        return { loss };
      },
    });
  } finally {
    opt.optimizer.dispose();
  }
  // evaluation on the held-out clusters
  const yPred = predict(p.test);
  const yTrue = Float32Array.from(p.test, (i) => pool.targets[i]);
  const fitMean = fit.reduce((a, i) => a + pool.targets[i], 0) / fit.length;
  return { yTrue, yPred, valMae: validation.length ? valMae() : undefined, fitMean };
}

function meanAbsError(yTrue: readonly number[], yPred: Float32Array): number {
  let s = 0;
  yTrue.forEach((y, i) => { s += Math.abs(yPred[i] - y); });
  return yTrue.length ? s / yTrue.length : NaN;
}
