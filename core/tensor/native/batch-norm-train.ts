/**
 * Training-mode batch normalisation as one native kernel with one fused gradient (issue 15).
 *
 * tfjs-layers normalises a training batch with `tf.moments` + `tf.batchNorm`: Mean, Sub, Square,
 * Mean and FusedBatchNorm forward, and a backward pass through all five (two Tiles, a Square
 * gradient, a Sub gradient, two full-size Adds): about fifteen full passes over the activation,
 * and as many kernels for TF.js to book-keep. Here the forward is one kernel
 * (LensforgeBatchNormTrain: the batch mean, the biased variance and the normalised output) and
 * its gradient one more (LensforgeBatchNormTrainGrad), the textbook
 *   dx = γ/√(σ²+ε) · (dy − mean(dy) − x̂ · mean(dy · x̂)),  dγ = Σ dy · x̂,  dβ = Σ dy,
 * which already contains the statistics' own dependence on x. Gradients that reach the mean and
 * variance outputs directly (nothing in a layer uses them but the moving averages, which are not
 * differentiated) are added as dmean/n + 2·dvar·(x − μ)/n.
 *
 * The kernels exist for the native backend only; {@link batchNormTrainingAvailable} says whether
 * the active backend has them (core/nn's batchNormalization layer uses them only then, and is
 * tfjs-layers' own BatchNormalization otherwise). While a backward pass is itself being recorded
 * (WGAN-GP's gradient penalty), the gradient is built from differentiable TF.js ops instead, so
 * gradients of gradients stay exact.
 */
import * as tf from '@tensorflow/tfjs';
import { f32, f32All, output, type NativeImpl } from './kernel-util.js';
import { gradientTapeActive } from './native-gradients.js';

export const BATCH_NORM_TRAIN = 'LensforgeBatchNormTrain';
export const BATCH_NORM_TRAIN_GRAD = 'LensforgeBatchNormTrainGrad';

/** The channel count (last axis) when `x` and the per-channel parameters fit the kernels, else null. */
function channels(x: tf.TensorInfo, ...perChannel: tf.TensorInfo[]): number | null {
  if (x.shape.length < 1 || x.dtype !== 'float32') return null;
  const C = x.shape[x.shape.length - 1];
  const n = x.shape.reduce((a, b) => a * b, 1);
  if (C < 1 || n < 1) return null;
  for (const t of perChannel) if (t.dtype !== 'float32' || t.shape.length !== 1 || t.shape[0] !== C) return null;
  return C;
}

/** LensforgeBatchNormTrain: inputs {x, scale, offset}; attrs {varianceEpsilon}; outputs [y, mean, variance]. */
export const batchNormTrainKernel: NativeImpl = (inputs, backend, attrs) => {
  const { x, scale, offset } = inputs;
  const C = channels(x, scale, offset);
  const vals = C == null ? null : f32All(backend, [x, scale, offset]);
  if (C == null || !vals) return null;
  const y = backend.allocF32(vals[0].length), mean = backend.allocF32(C), variance = backend.allocF32(C);
  backend.addon.batchNormTrain(vals[0], y, C, vals[2], vals[1], attrs.varianceEpsilon as number, mean, variance);
  return [output(backend, x.shape.slice(), y), output(backend, [C], mean), output(backend, [C], variance)];
};

/**
 * LensforgeBatchNormTrainGrad: inputs {x, dy, mean, variance, scale, dmean, dvariance}; attrs
 * {varianceEpsilon}; outputs [dx, dscale, doffset].
 */
export const batchNormTrainGradKernel: NativeImpl = (inputs, backend, attrs) => {
  const { x, dy, mean, variance, scale, dmean, dvariance } = inputs;
  const C = channels(x, mean, variance, scale, dmean, dvariance);
  if (C == null || dy.dtype !== 'float32' || dy.shape.join() !== x.shape.join()) return null;
  const vals = f32All(backend, [x, dy, mean, variance, scale, dmean, dvariance]);
  if (!vals) return null;
  const dx = backend.allocF32(vals[0].length), dscale = backend.allocF32(C), doffset = backend.allocF32(C);
  backend.addon.batchNormTrainGrad(vals[0], vals[1], C, vals[2], vals[3], vals[4], attrs.varianceEpsilon as number,
    vals[5], vals[6], dx, dscale, doffset);
  return [output(backend, x.shape.slice(), dx), output(backend, [C], dscale), output(backend, [C], doffset)];
};

/** Kernel name → native implementation (registered for the native backend only). */
export const BATCH_NORM_TRAIN_KERNELS: Record<string, NativeImpl> = {
  [BATCH_NORM_TRAIN]: batchNormTrainKernel,
  [BATCH_NORM_TRAIN_GRAD]: batchNormTrainGradKernel,
};

/**
 * The same gradient from differentiable TF.js ops (used while a backward pass is recorded). The
 * batch statistics are recomputed from x rather than taken from the saved outputs: TF.js links a
 * saved output to the kernel's node only after that node in backprop order, so a second-order
 * gradient through a saved output would be lost.
 */
function compositeGrad(x: tf.Tensor, dy: tf.Tensor, scale: tf.Tensor, dmean: tf.Tensor, dvariance: tf.Tensor,
  eps: number): [tf.Tensor, tf.Tensor, tf.Tensor] {
  const axes = x.shape.slice(0, -1).map((_, i) => i);
  const n = x.size / x.shape[x.rank - 1];
  const { mean, variance } = tf.moments(x, axes);
  const inv = tf.rsqrt(tf.add(variance, eps));
  const xm = tf.sub(x, mean);
  const sumDy = tf.sum(dy, axes);
  const sumDyXm = tf.sum(tf.mul(dy, xm), axes);
  const centred = tf.sub(tf.sub(dy, tf.div(sumDy, n)), tf.mul(xm, tf.div(tf.mul(tf.square(inv), sumDyXm), n)));
  const direct = tf.add(tf.div(dmean, n), tf.mul(xm, tf.mul(dvariance, 2 / n)));
  const dx = tf.add(tf.mul(centred, tf.mul(scale, inv)), direct);
  return [dx, tf.mul(inv, sumDyXm), sumDy];
}

let gradientRegistered = false;

/** Registers the gradient of LensforgeBatchNormTrain (global in TF.js; idempotent). */
export function registerBatchNormTrainGradient(): void {
  if (gradientRegistered) return;
  gradientRegistered = true;
  tf.registerGradient({
    kernelName: BATCH_NORM_TRAIN,
    inputsToSave: ['x', 'scale'],
    outputsToSave: [false, true, true],
    gradFunc: (dys: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs: tf.NamedAttrMap) => {
      const [dy, dmean, dvariance] = dys as tf.Tensor[];
      const [x, scale, mean, variance] = saved;
      const eps = attrs.varianceEpsilon as number;
      const res = gradientTapeActive()
        ? compositeGrad(x, dy, scale, dmean, dvariance, eps)
        : tf.engine().runKernel(BATCH_NORM_TRAIN_GRAD, { x, dy, mean, variance, scale, dmean, dvariance },
          { varianceEpsilon: eps } as unknown as tf.NamedAttrMap) as tf.Tensor[];
      return { x: () => res[0], scale: () => res[1], offset: () => res[2] };
    },
  });
}

/** True when the active backend has the fused training batch-norm kernels (the native backend). */
export function batchNormTrainingAvailable(): boolean {
  return tf.getKernel(BATCH_NORM_TRAIN, tf.getBackend()) !== undefined;
}

/**
 * Training-mode batch normalisation over the last axis of float32 `x`: returns the normalised
 * `offset + (x − μ)·scale/√(σ² + ε)` and the batch mean μ and biased variance σ² (per channel),
 * differentiable in x, scale and offset. Needs {@link batchNormTrainingAvailable}.
 */
export function batchNormTrain(x: tf.Tensor, scale: tf.Tensor1D, offset: tf.Tensor1D, varianceEpsilon: number): [tf.Tensor, tf.Tensor1D, tf.Tensor1D] {
  registerBatchNormTrainGradient();
  return tf.engine().runKernel(BATCH_NORM_TRAIN, { x, scale, offset },
    { varianceEpsilon } as unknown as tf.NamedAttrMap) as [tf.Tensor, tf.Tensor1D, tf.Tensor1D];
}
