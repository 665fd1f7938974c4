/**
 * What the training-step benchmark (bench/train-bench.ts) knows of a model: one training step,
 * its trainable parameters and its forward multiply-adds per step, and how those are counted.
 */
import * as tf from '@tensorflow/tfjs';

/** A built model: one training step, its size and its forward multiply-adds per step. */
export interface Trainer {
  /** One training step; may return milliseconds of it that are host-side data preparation, not network work (excluded from ms/step). */
  step: () => number | void;
  params: number;
  macsPerStep: number;
  encoder?: tf.LayersModel;
  dispose: () => void;
}

/**
 * Forward multiply-adds per image of the conv, transposed-conv and dense layers of `m`, and of
 * the projection M = f·T of minibatch discrimination (gan plugin; its pairwise L1 distances are
 * not multiply-adds and are not counted).
 */
export function forwardMacs(m: tf.LayersModel): number {
  let macs = 0;
  for (const layer of m.layers) {
    const cls = layer.getClassName();
    const w = layer.getWeights()[0]?.shape as number[] | undefined;
    if (!w) continue;
    const out = layer.outputShape as number[];
    const inp = (layer.input as tf.SymbolicTensor).shape as number[];
    if (cls === 'Conv2D') macs += out[1] * out[2] * out[3] * w[0] * w[1] * w[2];
    else if (cls === 'Conv2DTranspose') macs += inp[1] * inp[2] * inp[3] * w[0] * w[1] * w[2];
    else if (cls === 'Dense') macs += w[0] * w[1];
    else if (cls === 'LensforgeMinibatchDiscrimination') macs += (inp.length === 4 ? inp[1] * inp[2] : 1) * w[0] * w[1];
  }
  return macs;
}

/** Trainable parameters of `ms` (a weight shared by two models counts twice: pass each model once). */
export const trainableCount = (ms: tf.LayersModel[]): number =>
  ms.reduce((acc, m) => acc + m.trainableWeights.reduce((a, w) => a + (w.shape as number[]).reduce((p, q) => p * q, 1), 0), 0);
