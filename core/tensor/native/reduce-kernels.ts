/**
 * Native reductions (Sum, Mean, Max, Min, Prod) of float32 tensors, accumulated in double and
 * threaded over both cores. The reduced axes must form one contiguous block once size-1 axes are
 * ignored (e.g. [0,1,2] of NHWC for batch-norm statistics, [1,2] for global pooling, the last
 * axis); the tensor is then viewed as [outer, reduced, inner] without any transpose. Other axis
 * sets return null and run on the CPU kernel (which transposes first).
 */
import * as tf from '@tensorflow/tfjs';
import { REDUCE } from './native-addon.js';
import { f32, output, type NativeImpl } from './kernel-util.js';

/** [outer, red, inner] for reducing `axes` of `shape`, or null when the axes are not one block. */
export function reductionView(shape: readonly number[], axes: readonly number[]): [number, number, number] | null {
  const reduced = new Set(axes);
  let outer = 1, red = 1, inner = 1;
  let phase = 0; // 0: before the block, 1: inside, 2: after
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i];
    if (d === 1) continue;
    if (reduced.has(i)) {
      if (phase === 2) return null;
      phase = 1;
      red *= d;
    } else if (phase === 0) outer *= d;
    else { phase = 2; inner *= d; }
  }
  return [outer, red, inner];
}

/** Attribute holding the axes: Max calls it `reductionIndices`, the others `axis`. */
function reduceKernel(code: number, axisAttr = 'axis'): NativeImpl {
  return (inputs, backend, attrs) => {
    const x = inputs.x;
    const xv = f32(backend, x);
    if (!xv || xv.length === 0) return null;
    let axes: number[];
    try {
      axes = tf.util.parseAxisParam(attrs[axisAttr] as number | number[], x.shape);
    } catch {
      return null;
    }
    const view = reductionView(x.shape, axes);
    if (!view) return null;
    const keepDims = Boolean(attrs.keepDims);
    const outShape: number[] = [];
    x.shape.forEach((d, i) => {
      if (!axes.includes(i)) outShape.push(d);
      else if (keepDims) outShape.push(1);
    });
    const out = backend.allocF32(view[0] * view[2]);
    backend.addon.reduce(code, xv, out, view[0], view[1], view[2]);
    return output(backend, outShape, out);
  };
}

/** Reduction kernel name → native implementation. */
export const REDUCE_KERNELS: Record<string, NativeImpl> = Object.fromEntries(
  Object.entries(REDUCE).map(([name, code]) => [name, reduceKernel(code, name === 'Max' ? 'reductionIndices' : 'axis')]),
);
