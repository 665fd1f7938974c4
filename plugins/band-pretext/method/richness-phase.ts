/**
 * The richness-estimation branch of Liang et al. 2021 (§2.2, Table S1): the five band images of
 * a cluster go through the shared extractor, their features are stacked and the Table S2 head
 * predicts lambda; trained with the configured regression loss (Eq. 1, `band-pretext/mse-std`)
 * on the labelled clusters, with the extractor fine-tuned or frozen. Phase 'finetune' of
 * `runTrainingLoop`. With a frozen extractor the features are computed once (BN in inference
 * mode), which is exact and much faster.
 */
import * as tf from '@tensorflow/tfjs';
import { runTrainingLoop, scheduledLr, setLearningRate, makeOptimizer, type MethodContext, type RegressionLoss, type Rng, legacyOptimizerConfig, legacySchedule } from '../../../core/index.js';
import { clusterImages, type ClusterPool } from '../data/cluster-pool.js';
import { extractPerBand } from '../nets/band-extractor.js';
import { featuresToHeadInput } from '../nets/richness-head.js';
import type { RichnessConfig } from './richness-options.js';
import { optimise, trainableVariables } from './train-utils.js';

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
}

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
 * Train the richness branch, then predict the test clusters. Returns the predictions in target
 * units (de-normalised) with the true targets.
 */
export async function runRichnessPhase(p: RichnessInputs): Promise<{ yTrue: Float32Array; yPred: Float32Array }> {
  const { ctx, pool, extractor, head, opts } = p;
  const { train } = ctx;
  const S = pool.size, C = pool.channels;
  const freeze = opts.freezeExtractor;
  extractor.trainable = !freeze;
  const scale = targetScale(pool, p.labelled, opts.normalizeTarget);
  const lr0 = legacyOptimizerConfig(train).scaleLrByBatch ? legacyOptimizerConfig(train).lr * train.batchSize / 256 : legacyOptimizerConfig(train).lr;
  const opt = makeOptimizer(legacyOptimizerConfig(train), lr0);
  const vars = freeze ? trainableVariables(head) : trainableVariables(extractor, head);
  const steps = Math.max(1, Math.ceil(train.trainSize / train.batchSize));
  const total = Math.max(1, train.epochs * steps);
  const order = p.rng.derive('batches');
  const cached = freeze ? frozenFeatures(extractor, pool, p.labelled, opts.evalBatchSize) : undefined;
  const predictNorm = (x: tf.Tensor4D, training: boolean) => head.apply(featuresToHeadInput(extractPerBand(extractor, x, training)), { training }) as tf.Tensor2D;
  await runTrainingLoop({
    ctx, phase: 'finetune', epochs: train.epochs, stepsPerEpoch: steps,
    models: { extractor, head }, optimizers: { opt }, rngs: { order },
    saveState: () => ({ targetScale: scale }),
    step: (epoch, s) => {
      setLearningRate(opt, scheduledLr(lr0, legacySchedule(train), (epoch * steps + s) / total));
      const pick = Array.from({ length: train.batchSize }, () => order.int(0, p.labelled.length));
      const items = pick.map((k) => p.labelled[k]);
      const y = Float32Array.from(items, (i) => (pool.targets[i] - scale.mean) / scale.std);
      const x = cached ? undefined : clusterImages(pool, items);
      const loss = optimise(opt, vars, legacyOptimizerConfig(train).weightDecay, () => tf.tidy(() => {
        const yPred = cached
          ? (head.apply(tf.tensor4d(gatherRows(cached.data, cached.per, pick), [pick.length, ...cached.shape]), { training: true }) as tf.Tensor2D)
          : predictNorm(tf.tensor4d(x!, [items.length, S, S, C]), true);
        return p.loss.compute(tf.tensor2d(y, [items.length, 1]), yPred);
      }));
      return { loss };
    },
  });
  opt.dispose();
  // evaluation on the held-out clusters
  const yPred = new Float32Array(p.test.length);
  for (let k = 0; k < p.test.length; k += opts.evalBatchSize) {
    const chunk = p.test.slice(k, k + opts.evalBatchSize);
    const out = tf.tidy(() => predictNorm(tf.tensor4d(clusterImages(pool, chunk), [chunk.length, S, S, C]), false).dataSync());
    chunk.forEach((_, i) => { yPred[k + i] = out[i] * scale.std + scale.mean; });
  }
  const yTrue = Float32Array.from(p.test, (i) => pool.targets[i]);
  return { yTrue, yPred };
}
