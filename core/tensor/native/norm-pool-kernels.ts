/**
 * Native batch normalisation (FusedBatchNorm) and NHWC 2-D pooling (MaxPool, AvgPool and their
 * gradients), threaded. Semantics follow @tensorflow/tfjs-backend-cpu:
 * - FusedBatchNorm: offset + (x - mean) * scale / sqrt(variance + eps), eps default 0.001, with
 *   every parameter of one value or of the innermost length P (the CPU kernel cycles each
 *   parameter over the flat index, which is the same thing when P divides the size);
 * - MaxPool/MaxPoolGrad: padding never wins, the first strict maximum of a window gets dy;
 * - AvgPool divides by the number of in-bounds pixels; AvgPoolGrad spreads dy / (KH*KW) as tfjs.
 * Dilated pooling and other layouts return null (the CPU kernel runs instead).
 */
import * as tf from '@tensorflow/tfjs';
import { f32, f32All, ints, output, sizeOf, type NativeImpl } from './kernel-util.js';

/** FusedBatchNorm: inputs {x, mean, variance, offset?, scale?}; attrs {varianceEpsilon}. */
export const fusedBatchNorm: NativeImpl = (inputs, backend, attrs) => {
  const { x, mean, variance, offset, scale } = inputs;
  const vals = f32All(backend, [x, mean, variance]);
  if (!vals) return null;
  const off = offset != null ? f32(backend, offset) : null;
  const sc = scale != null ? f32(backend, scale) : null;
  if ((offset != null && !off) || (scale != null && !sc)) return null;
  const lens = [vals[1].length, vals[2].length, off?.length ?? 1, sc?.length ?? 1];
  const P = Math.max(...lens);
  if (!lens.every((l) => l === 1 || l === P)) return null;
  if (P === 0 || vals[0].length % P !== 0) return null;
  const eps = (attrs.varianceEpsilon as number | undefined) ?? 0.001;
  const out = backend.allocF32(vals[0].length);
  if (out.length > 0) backend.addon.batchNorm(vals[0], out, P, vals[1], vals[2], off, sc, eps);
  return output(backend, x.shape.slice(), out);
};

type Pair = number | [number, number];

function poolInfo(xShape: number[], attrs: tf.NamedAttrMap): { info: tf.backend_util.Conv2DInfo; p: Int32Array } | null {
  if (xShape.length !== 4) return null;
  const info = tf.backend_util.computePool2DInfo(xShape as [number, number, number, number], attrs.filterSize as Pair,
    attrs.strides as Pair, 1, attrs.pad as 'same' | 'valid' | number, attrs.dimRoundingMode as 'floor' | 'round' | 'ceil' | undefined);
  if (info.dilationHeight !== 1 || info.dilationWidth !== 1) return null;
  const p = ints(info.batchSize, info.inHeight, info.inWidth, info.inChannels, info.filterHeight, info.filterWidth,
    info.outHeight, info.outWidth, info.strideHeight, info.strideWidth, info.padInfo.top, info.padInfo.left);
  return { info, p };
}

function poolKernel(mode: 0 | 1): NativeImpl {
  return (inputs, backend, attrs) => {
    const x = inputs.x;
    const xv = f32(backend, x);
    const g = xv && poolInfo(x.shape, attrs);
    if (!xv || !g) return null;
    const y = backend.allocF32(sizeOf(g.info.outShape));
    if (y.length > 0) backend.addon.pool(mode, g.p, xv, y);
    return output(backend, g.info.outShape.slice(), y);
  };
}

/** MaxPool: inputs {x}; attrs {filterSize, strides, pad, dimRoundingMode}. */
export const maxPool = poolKernel(0);
/** AvgPool: inputs {x}; attrs {filterSize, strides, pad, dimRoundingMode}. */
export const avgPool = poolKernel(1);

/** MaxPoolGrad: inputs {dy, input, output}; attrs {filterSize, strides, pad, dimRoundingMode}. */
export const maxPoolGrad: NativeImpl = (inputs, backend, attrs) => {
  const { dy, input } = inputs;
  const vals = f32All(backend, [dy, input]);
  const g = vals && poolInfo(input.shape, attrs);
  if (!vals || !g || dy.shape.join() !== g.info.outShape.join()) return null;
  const dx = backend.allocF32(vals[1].length);
  if (dx.length > 0) backend.addon.maxPoolGrad(g.p, vals[0], vals[1], dx);
  return output(backend, input.shape.slice(), dx);
};

/** AvgPoolGrad: inputs {dy, input}; attrs {filterSize, strides, pad, dimRoundingMode}. */
export const avgPoolGrad: NativeImpl = (inputs, backend, attrs) => {
  const { dy, input } = inputs;
  const dyv = f32(backend, dy);
  const g = dyv && poolInfo(input.shape, attrs);
  if (!dyv || !g || dy.shape.join() !== g.info.outShape.join()) return null;
  const dx = backend.allocF32(sizeOf(input.shape));
  if (dx.length > 0) backend.addon.avgPoolGrad(g.p, dyv, dx);
  return output(backend, input.shape.slice(), dx);
};

/** Kernel name → native implementation, for normalisation and pooling. */
export const NORM_POOL_KERNELS: Record<string, NativeImpl> = {
  FusedBatchNorm: fusedBatchNorm,
  MaxPool: maxPool,
  AvgPool: avgPool,
  MaxPoolGrad: maxPoolGrad,
  AvgPoolGrad: avgPoolGrad,
};
