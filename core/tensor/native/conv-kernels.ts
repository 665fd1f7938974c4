/**
 * Native 2-D convolution kernels (Conv2D, FusedConv2D, Conv2DBackpropInput, Conv2DBackpropFilter)
 * on oneDNN, for NHWC activations and HWIO filters — the TF.js layouts, used in place.
 * Geometry (output size, padding) comes from tfjs' own `backend_util.computeConv2DInfo`, so
 * 'same'/'valid'/explicit pads and dimRoundingMode mean exactly what they mean on the cpu backend;
 * the bottom/right padding handed to oneDNN is then derived from the output size. NCHW, prelu
 * activations and odd bias shapes return null (the CPU kernel runs instead).
 */
import * as tf from '@tensorflow/tfjs';
import { FUSED_ACTIVATION } from './native-addon.js';
import { f32, f32All, ints, output, sizeOf, type NativeImpl } from './kernel-util.js';

type Pair = number | [number, number];
type Pad = 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;
type Rounding = 'floor' | 'round' | 'ceil' | undefined;

/** Conv geometry for the addon, or null when oneDNN cannot express it. */
export function convGeometry(info: tf.backend_util.Conv2DInfo): Int32Array | null {
  if (info.dataFormat !== 'channelsLast') return null;
  const { batchSize, inHeight, inWidth, inChannels, outChannels, outHeight, outWidth, strideHeight, strideWidth,
    dilationHeight, dilationWidth, filterHeight, filterWidth, padInfo } = info;
  const effH = (filterHeight - 1) * dilationHeight + 1, effW = (filterWidth - 1) * dilationWidth + 1;
  // Bottom/right padding for which floor((in + top + bottom - eff) / stride) + 1 == out: the
  // smallest non-negative one ('valid' may leave input rows unused, which needs none).
  const bottom = Math.max(0, (outHeight - 1) * strideHeight + effH - inHeight - padInfo.top);
  const right = Math.max(0, (outWidth - 1) * strideWidth + effW - inWidth - padInfo.left);
  if (padInfo.top < 0 || padInfo.left < 0) return null;
  if (Math.floor((inHeight + padInfo.top + bottom - effH) / strideHeight) + 1 !== outHeight) return null;
  if (Math.floor((inWidth + padInfo.left + right - effW) / strideWidth) + 1 !== outWidth) return null;
  if (outHeight <= 0 || outWidth <= 0 || batchSize <= 0 || inChannels <= 0 || outChannels <= 0) return null;
  return ints(batchSize, inHeight, inWidth, inChannels, filterHeight, filterWidth, outChannels, outHeight, outWidth,
    strideHeight, strideWidth, dilationHeight, dilationWidth, padInfo.top, padInfo.left, bottom, right);
}

function conv2dInfo(xShape: number[], filterShape: number[], attrs: tf.NamedAttrMap, withDilations: boolean): tf.backend_util.Conv2DInfo | null {
  const dataFormat = (attrs.dataFormat as string | undefined) ?? 'NHWC';
  if (dataFormat !== 'NHWC') return null;
  if (xShape.length !== 4 || filterShape.length !== 4) return null;
  const dil = withDilations ? ((attrs.dilations as Pair | undefined) ?? 1) : 1;
  return tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number], filterShape as [number, number, number, number],
    attrs.strides as Pair, dil, attrs.pad as Pad, attrs.dimRoundingMode as Rounding, false, 'channelsLast');
}

/** Conv2D: inputs {x, filter}; attrs {strides, pad, dataFormat, dilations, dimRoundingMode}. */
export const conv2d: NativeImpl = (inputs, backend, attrs) => {
  const { x, filter } = inputs;
  const vals = f32All(backend, [x, filter]);
  if (!vals) return null;
  const info = conv2dInfo(x.shape, filter.shape, attrs, true);
  const p = info && convGeometry(info);
  if (!info || !p) return null;
  const y = backend.allocF32(sizeOf(info.outShape));
  if (y.length > 0) backend.addon.conv2d(p, vals[0], vals[1], null, y, 0, 0);
  return output(backend, info.outShape, y);
};

/**
 * FusedConv2D: y = act(conv(x, filter) + bias); inputs {x, filter, bias?, preluActivationWeights?};
 * attrs as Conv2D plus {activation, leakyreluAlpha}. Handles bias of one value or one per output
 * channel, and the activations linear/relu/leakyrelu/relu6/elu/sigmoid.
 */
export const fusedConv2d: NativeImpl = (inputs, backend, attrs) => {
  const { x, filter, bias } = inputs;
  const activation = (attrs.activation as string | undefined) ?? 'linear';
  const act = FUSED_ACTIVATION[activation];
  if (act === undefined) return null;
  const vals = f32All(backend, [x, filter]);
  if (!vals) return null;
  const info = conv2dInfo(x.shape, filter.shape, attrs, true);
  const p = info && convGeometry(info);
  if (!info || !p) return null;
  let b: Float32Array | null = null;
  if (bias != null) {
    const bv = f32(backend, bias);
    if (!bv) return null;
    const co = info.outChannels;
    const lastOnly = bias.shape.slice(0, -1).every((d) => d === 1);
    if (bv.length === co && lastOnly && (bias.shape.length === 0 || bias.shape[bias.shape.length - 1] === co)) b = bv;
    else if (bv.length === 1) {
      backend.waitRead(bv);
      b = new Float32Array(co).fill(bv[0]);
    }
    else return null;
    if (bias.shape.length > 4) return null;
  }
  const alpha = (attrs.leakyreluAlpha as number | undefined) ?? 0.2;
  const y = backend.allocF32(sizeOf(info.outShape));
  if (y.length > 0) backend.addon.conv2d(p, vals[0], vals[1], b, y, act, alpha);
  return output(backend, info.outShape, y);
};

/** Conv2DBackpropInput: inputs {dy, filter}; attrs {inputShape, strides, pad, dataFormat, dimRoundingMode}. */
export const conv2dBackpropInput: NativeImpl = (inputs, backend, attrs) => {
  const { dy, filter } = inputs;
  const vals = f32All(backend, [dy, filter]);
  if (!vals) return null;
  const inputShape = attrs.inputShape as number[];
  const info = conv2dInfo(inputShape, filter.shape, attrs, false);
  const p = info && convGeometry(info);
  if (!info || !p) return null;
  if (dy.shape.join() !== info.outShape.join()) return null;
  // Lazy: tfjs-core's fused conv2d gradient computes the input gradient even when nothing
  // needs it (first layer); it is then disposed unread and never computed.
  const [dyv, wv] = vals;
  return backend.makeLazyOutput(inputShape.slice(), [dy, filter], (dx) => {
    if (dx.length === 0) return;
    if (dyv.length === 0) dx.fill(0);
    else backend.addon.conv2dBackpropInput(p, dyv, wv, dx);
  }, 'Conv2DBackpropInput');
};

/** Conv2DBackpropFilter: inputs {x, dy}; attrs {filterShape, strides, pad, dataFormat, dimRoundingMode}. */
export const conv2dBackpropFilter: NativeImpl = (inputs, backend, attrs) => {
  const { x, dy } = inputs;
  const vals = f32All(backend, [x, dy]);
  if (!vals) return null;
  const filterShape = attrs.filterShape as number[];
  const info = conv2dInfo(x.shape, filterShape, attrs, false);
  const p = info && convGeometry(info);
  if (!info || !p) return null;
  if (dy.shape.join() !== info.outShape.join()) return null;
  const dw = backend.allocF32(sizeOf(filterShape));
  if (dw.length > 0 && vals[0].length > 0) backend.addon.conv2dBackpropFilter(p, vals[0], vals[1], dw);
  return output(backend, filterShape.slice(), dw);
};

/** Kernel name → native implementation, for the convolution family. */
export const CONV_KERNELS: Record<string, NativeImpl> = {
  Conv2D: conv2d,
  FusedConv2D: fusedConv2d,
  Conv2DBackpropInput: conv2dBackpropInput,
  Conv2DBackpropFilter: conv2dBackpropFilter,
};
