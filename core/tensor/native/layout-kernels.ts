/**
 * Native data-movement kernels on float32 tensors, all expressed as one strided copy
 * (src/elementwise.cc `stridedCopy`, threaded): Transpose, Tile, Slice, PadV2, Concat, SplitV, Reverse.
 * The CPU backend computes Tile and PadV2 element by element with index arithmetic in JS, and
 * Concat row by row, which dominates a training step once convolutions are fast.
 * Non-float32 tensors return null and run on the CPU kernel.
 */
import * as tf from '@tensorflow/tfjs';
import { f32, ints, output, sizeOf, stridesOf, type NativeImpl, type NativeKernelBackend } from './kernel-util.js';

/** Copies `x` (dense, shape `shape`) into `out` at `dstOffset` with destination strides `dst`. */
function copyInto(backend: NativeKernelBackend, x: Float32Array, shape: number[], srcStrides: number[], out: Float32Array,
  dstStrides: number[], srcOffset = 0, dstOffset = 0): void {
  if (sizeOf(shape) === 0) return;
  backend.addon.stridedCopy(x, out, ints(shape.length, shape, srcStrides, dstStrides), srcOffset, dstOffset);
}

/** Transpose: inputs {x}; attrs {perm}. */
export const transpose: NativeImpl = (inputs, backend, attrs) => {
  const x = inputs.x;
  const xv = f32(backend, x);
  const perm = attrs.perm as number[];
  if (!xv || !Array.isArray(perm) || perm.length !== x.shape.length) return null;
  const outShape = perm.map((p) => x.shape[p]);
  const xs = stridesOf(x.shape);
  const out = backend.allocF32(xv.length);
  copyInto(backend, xv, outShape, perm.map((p) => xs[p]), out, stridesOf(outShape));
  return output(backend, outShape, out);
};

/** Tile: inputs {x}; attrs {reps}. Viewed as a broadcast of x over interleaved [rep, dim] axes. */
export const tile: NativeImpl = (inputs, backend, attrs) => {
  const x = inputs.x;
  const xv = f32(backend, x);
  const reps = attrs.reps as number[];
  if (!xv || !Array.isArray(reps) || reps.length !== x.shape.length) return null;
  const outShape = x.shape.map((d, i) => d * reps[i]);
  const xs = stridesOf(x.shape);
  const shape: number[] = [], src: number[] = [];
  x.shape.forEach((d, i) => { shape.push(reps[i], d); src.push(0, xs[i]); });
  const out = backend.allocF32(sizeOf(outShape));
  copyInto(backend, xv, shape, src, out, stridesOf(shape));
  return output(backend, outShape, out);
};

/** Slice: inputs {x}; attrs {begin, size} (size -1 = to the end). */
export const slice: NativeImpl = (inputs, backend, attrs) => {
  const x = inputs.x;
  const xv = f32(backend, x);
  if (!xv) return null;
  const [begin, size] = tf.slice_util.parseSliceParams(x as tf.Tensor, attrs.begin as number[], attrs.size as number[]);
  tf.slice_util.assertParamsValid(x as tf.Tensor, begin, size);
  const xs = stridesOf(x.shape);
  const offset = begin.reduce((acc, b, i) => acc + b * xs[i], 0);
  const out = backend.allocF32(sizeOf(size));
  copyInto(backend, xv, size, xs, out, stridesOf(size), offset);
  return output(backend, size, out);
};

/** PadV2: inputs {x}; attrs {paddings: [before, after][], constantValue}. */
export const padV2: NativeImpl = (inputs, backend, attrs) => {
  const x = inputs.x;
  const xv = f32(backend, x);
  const paddings = attrs.paddings as [number, number][];
  if (!xv || !Array.isArray(paddings) || paddings.length !== x.shape.length) return null;
  if (!paddings.every((p) => p[0] >= 0 && p[1] >= 0)) return null;
  const outShape = x.shape.map((d, i) => paddings[i][0] + d + paddings[i][1]);
  const os = stridesOf(outShape);
  const out = backend.allocF32(sizeOf(outShape));
  const value = (attrs.constantValue as number | undefined) ?? 0;
  if (out.length > 0) backend.addon.fill(out, value); // pooled storage is not zeroed
  const offset = paddings.reduce((acc, p, i) => acc + p[0] * os[i], 0);
  copyInto(backend, xv, x.shape.slice(), stridesOf(x.shape), out, os, 0, offset);
  return output(backend, outShape, out);
};

/** Concat: inputs [t0, t1, ...]; attrs {axis}. */
export const concat: NativeImpl = (inputs, backend, attrs) => {
  const list = (Array.isArray(inputs) ? inputs : Object.values(inputs)) as tf.TensorInfo[];
  if (list.length === 0) return null;
  const vals = list.map((t) => f32(backend, t));
  if (vals.some((v) => v === null)) return null;
  const axis = tf.util.parseAxisParam(attrs.axis as number, list[0].shape)[0];
  const rank = list[0].shape.length;
  for (const t of list) {
    if (t.shape.length !== rank) return null;
    for (let i = 0; i < rank; i++) if (i !== axis && t.shape[i] !== list[0].shape[i]) return null;
  }
  const outShape = list[0].shape.slice();
  outShape[axis] = list.reduce((acc, t) => acc + t.shape[axis], 0);
  const os = stridesOf(outShape);
  const out = backend.allocF32(sizeOf(outShape));
  let at = 0;
  list.forEach((t, k) => {
    copyInto(backend, vals[k]!, t.shape.slice(), stridesOf(t.shape), out, os, 0, at * os[axis]);
    at += t.shape[axis];
  });
  return output(backend, outShape, out);
};

/** SplitV: inputs {x}; attrs {numOrSizeSplits, axis}; returns one tensor per split. */
export const splitV: NativeImpl = (inputs, backend, attrs) => {
  const x = inputs.x;
  const xv = f32(backend, x);
  if (!xv) return null;
  const axis = tf.util.parseAxisParam(attrs.axis as number, x.shape)[0];
  const sizes = tf.backend_util.prepareSplitSize(x as tf.Tensor, attrs.numOrSizeSplits as number | number[], axis);
  const xs = stridesOf(x.shape);
  let at = 0;
  return sizes.map((s) => {
    const shape = x.shape.slice();
    shape[axis] = s;
    const out = backend.allocF32(sizeOf(shape));
    copyInto(backend, xv, shape, xs, out, stridesOf(shape), at * xs[axis]);
    at += s;
    return output(backend, shape, out);
  });
};

/**
 * Reverse: inputs {x}; attrs {dims} (axes, negative counted from the end). One strided copy that
 * reads the reversed axes with negative strides from their last element. The CPU kernel goes
 * through TensorBuffer.get/set per element (75 ms for a 32x64x64 batch here, 0.1 ms this way),
 * which made flips and quarter turns the most expensive part of the SimSiam augmentation.
 */
export const reverse: NativeImpl = (inputs, backend, attrs) => {
  const x = inputs.x;
  const xv = f32(backend, x);
  if (!xv) return null;
  const dims = tf.util.parseAxisParam(attrs.dims as number | number[], x.shape);
  const xs = stridesOf(x.shape);
  const src = xs.slice();
  let offset = 0;
  for (const d of new Set(dims)) {
    if (x.shape[d] <= 1) continue;
    offset += (x.shape[d] - 1) * xs[d];
    src[d] = -xs[d];
  }
  const out = backend.allocF32(xv.length);
  copyInto(backend, xv, x.shape, src, out, xs, offset);
  return output(backend, x.shape, out);
};

/** Kernel name → native implementation, for data movement. */
export const LAYOUT_KERNELS: Record<string, NativeImpl> = {
  Transpose: transpose,
  Tile: tile,
  Slice: slice,
  PadV2: padV2,
  Concat: concat,
  SplitV: splitV,
  Reverse: reverse,
};
