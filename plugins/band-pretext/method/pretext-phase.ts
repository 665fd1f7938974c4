/**
 * The self-supervised pre-training phases of `band-pretext/richness` (Liang et al. 2021):
 * - 'band' (§2.1): every single-band image of a training cluster is labelled with its band;
 *   the shared extractor + an FC layer of `bands` logits are trained with cross-entropy;
 * - 'channel-order' (supplement S1.1): the channels of a multi-band image are shuffled by a
 *   random permutation and the network predicts its index (0 .. C!-1, lexicographic). To keep
 *   the extractor single-band (and reusable by the richness branch), every channel goes through
 *   the shared extractor and an FC layer reads the concatenated features.
 * Both run through `ctx.training` (checkpoints, resume, metrics.jsonl) as phase 'pretrain', with
 * the optimizer and schedule of `model.method.pretext` (see pretext-optimizer.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { trainableVariables, type MethodContext, type Rng } from '../../../core/index.js';
import { linearInit } from '../../encoders/index.js';
import { permutedImages, singleBandImages, type ClusterPool } from '../data/cluster-pool.js';
import { extractPerBand } from '../nets/band-extractor.js';
import { factorial, permutationFromIndex } from '../pretext/permutations.js';
import type { RichnessConfig } from './richness-options.js';
import { pretextOptimizerSpec } from './pretext-optimizer.js';
import { argmaxRows, minimizeLoss } from './train-utils.js';

export interface PretextInputs {
  ctx: MethodContext;
  pool: ClusterPool;
  /** Pool items of the training clusters (pre-training data) and of the held-out clusters. */
  train: number[];
  test: number[];
  extractor: tf.LayersModel;
  featureDim: number;
  opts: RichnessConfig;
  rng: Rng;
  /** Config path of the method's options (`model.method`), for messages. */
  path: string;
}

/** Pretext tasks that train something. */
export type TrainedPretext = 'band' | 'channel-order';

/** A pretext classifier: its FC head and the logits of extractor + head. */
export interface PretextModel {
  task: TrainedPretext;
  head: tf.LayersModel;
  /** Number of classes: C bands, or C! channel orders. */
  classes: number;
  /** Logits for [B, S, S, 1] single-band images (band) or [B, S, S, C] shuffled images (channel order). */
  logits(x: tf.Tensor4D, training: boolean): tf.Tensor2D;
}

/**
 * Build the pretext head on top of `extractor`: FC(featureDim -> C) for 'band'; FC(C * featureDim -> C!)
 * over the concatenated per-channel features for 'channel-order' (at most 6 channels).
 */
export function buildPretextModel(task: TrainedPretext, extractor: tf.LayersModel, featureDim: number, channels: number, rng: Rng, path: string): PretextModel {
  if (task === 'band') {
    const head = denseHead(featureDim, channels, rng.derive('band-head'), 'band_head');
    return { task, head, classes: channels, logits: (x, training) => head.apply(extractor.apply(x, { training }), { training }) as tf.Tensor2D };
  }
  if (channels > 6) throw new Error(`${path}.pretrain: 'channel-order' supports at most 6 channels (720 permutations), got ${channels}`);
  const K = factorial(channels);
  const head = denseHead(channels * featureDim, K, rng.derive('order-head'), 'order_head');
  return {
    task, head, classes: K,
    logits: (x, training) => tf.tidy(() => {
      const f = extractPerBand(extractor, x, training);
      return head.apply(tf.reshape(f, [x.shape[0], channels * featureDim]), { training }) as tf.Tensor2D;
    }),
  };
}

function denseHead(inputDim: number, units: number, rng: Rng, name: string): tf.LayersModel {
  return tf.sequential({ name, layers: [tf.layers.dense({ inputShape: [inputDim], units, name: `${name}_fc`,
    kernelInitializer: linearInit(rng, inputDim), biasInitializer: linearInit(rng, inputDim) })] });
}

/** Train extractor + pretext head on the training clusters (phase 'pretrain'). */
export async function trainPretext(p: PretextInputs, model: PretextModel): Promise<void> {
  const o = p.opts.pretext;
  const { pool } = p;
  const C = pool.channels, S = pool.size;
  const perms = model.task === 'channel-order' ? Array.from({ length: model.classes }, (_, k) => permutationFromIndex(k, C)) : [];
  const opt = p.ctx.training.optimizer('pretext', pretextOptimizerSpec(o, `${p.path}.pretext`), o.batchSize);
  const vars = trainableVariables(p.extractor, model.head);
  const order = p.rng.derive('batches');
  try {
    await p.ctx.training.run({
      phase: 'pretrain', epochs: o.epochs, stepsPerEpoch: o.stepsPerEpoch,
      // the checkpoint names of the optimizer and stream are those of earlier runs (resumable)
      models: { extractor: p.extractor, head: model.head }, optimizers: { opt }, rngs: { order },
      earlyStopping: false, // train.earlyStopping is the richness phase's (val_mae)
      step: () => {
        const items: number[] = [], labels: number[] = [];
        for (let b = 0; b < o.batchSize; b++) { items.push(p.train[order.int(0, p.train.length)]); labels.push(order.int(0, model.classes)); }
        const x = model.task === 'band' ? singleBandImages(pool, items, labels) : permutedImages(pool, items, labels.map((k) => perms[k]));
        const shape: [number, number, number, number] = [items.length, S, S, model.task === 'band' ? 1 : C];
        const loss = minimizeLoss(opt.optimizer, vars, () =>
          tf.losses.softmaxCrossEntropy(tf.oneHot(tf.tensor1d(labels, 'int32'), model.classes), model.logits(tf.tensor4d(x, shape), true)) as tf.Scalar);
        return { loss };
      },
    });
  } finally {
    opt.optimizer.dispose();
  }
}

/**
 * Held-out pretext accuracy: `band_acc` over every band of `items` (band task), or `order_acc`
 * over one random permutation per item drawn from `rng` (channel order).
 */
export function evaluatePretext(pool: ClusterPool, items: readonly number[], model: PretextModel, rng: Rng, batch = 200): Record<string, number> {
  const C = pool.channels, S = pool.size;
  if (model.task === 'band') {
    const all: Array<[number, number]> = items.flatMap((it) => Array.from({ length: C }, (_, b) => [it, b] as [number, number]));
    let correct = 0;
    for (let k = 0; k < all.length; k += batch) {
      const chunk = all.slice(k, k + batch);
      const x = singleBandImages(pool, chunk.map((c) => c[0]), chunk.map((c) => c[1]));
      const out = tf.tidy(() => model.logits(tf.tensor4d(x, [chunk.length, S, S, 1]), false).dataSync());
      argmaxRows(out, chunk.length, C).forEach((pred, i) => { if (pred === chunk[i][1]) correct++; });
    }
    return { band_acc: all.length ? correct / all.length : NaN };
  }
  const perms = Array.from({ length: model.classes }, (_, k) => permutationFromIndex(k, C));
  let correct = 0;
  const step = Math.max(1, Math.floor(batch / C));
  for (let k = 0; k < items.length; k += step) {
    const chunk = items.slice(k, k + step);
    const labels = chunk.map(() => rng.int(0, model.classes));
    const x = permutedImages(pool, chunk, labels.map((l) => perms[l]));
    const out = tf.tidy(() => model.logits(tf.tensor4d(x, [chunk.length, S, S, C]), false).dataSync());
    argmaxRows(out, chunk.length, model.classes).forEach((pred, i) => { if (pred === labels[i]) correct++; });
  }
  return { order_acc: items.length ? correct / items.length : NaN };
}
