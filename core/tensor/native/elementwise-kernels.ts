/**
 * Native elementwise kernels on float32 tensors, threaded over both cores (OpenMP):
 * - unary maps (Neg … Expm1, with LeakyRelu/Step alpha and ClipByValue bounds), same semantics
 *   as @tensorflow/tfjs-backend-cpu (NaN handling, softplus thresholds);
 * - binary maps with NumPy broadcasting (Add, Sub, Multiply, RealDiv, Maximum, Minimum,
 *   SquaredDifference), which the CPU backend computes index by index in JS when shapes differ.
 * Other dtypes (int32, bool, complex) return null and run on the CPU kernel.
 */
import * as tf from '@tensorflow/tfjs';
import { BINARY, UNARY } from './native-addon.js';
import { broadcastStrides, f32, f32All, ints, output, sizeOf, type NativeImpl } from './kernel-util.js';

function unaryKernel(code: number, params?: (attrs: tf.NamedAttrMap) => [number, number] | null): NativeImpl {
  return (inputs, backend, attrs) => {
    const x = inputs.x;
    const xv = f32(backend, x);
    if (!xv) return null;
    const pr = params ? params(attrs) : [0, 0];
    if (!pr) return null;
    const y = backend.allocF32(xv.length);
    if (y.length > 0) backend.addon.unary(code, xv, y, pr[0], pr[1]);
    return output(backend, x.shape.slice(), y);
  };
}

const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);

/** Unary kernel name → native implementation. */
export const UNARY_KERNELS: Record<string, NativeImpl> = {
  Neg: unaryKernel(UNARY.Neg),
  Abs: unaryKernel(UNARY.Abs),
  Square: unaryKernel(UNARY.Square),
  Sqrt: unaryKernel(UNARY.Sqrt),
  Rsqrt: unaryKernel(UNARY.Rsqrt),
  Exp: unaryKernel(UNARY.Exp),
  Log: unaryKernel(UNARY.Log),
  Log1p: unaryKernel(UNARY.Log1p),
  Relu: unaryKernel(UNARY.Relu),
  Relu6: unaryKernel(UNARY.Relu6),
  LeakyRelu: unaryKernel(UNARY.LeakyRelu, (a) => { const v = num(a.alpha); return v === null ? null : [v, 0]; }),
  Elu: unaryKernel(UNARY.Elu),
  Sigmoid: unaryKernel(UNARY.Sigmoid),
  Tanh: unaryKernel(UNARY.Tanh),
  Step: unaryKernel(UNARY.Step, (a) => [num(a.alpha) ?? 0, 0]),
  Floor: unaryKernel(UNARY.Floor),
  Ceil: unaryKernel(UNARY.Ceil),
  Reciprocal: unaryKernel(UNARY.Reciprocal),
  Softplus: unaryKernel(UNARY.Softplus),
  ClipByValue: unaryKernel(UNARY.ClipByValue, (a) => {
    const lo = num(a.clipValueMin), hi = num(a.clipValueMax);
    return lo === null || hi === null ? null : [lo, hi];
  }),
  Sign: unaryKernel(UNARY.Sign),
  Expm1: unaryKernel(UNARY.Expm1),
};

function binaryKernel(code: number): NativeImpl {
  return (inputs, backend) => {
    const { a, b } = inputs;
    const vals = f32All(backend, [a, b]);
    if (!vals) return null;
    let outShape: number[];
    try {
      outShape = tf.backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
    } catch {
      return null; // the CPU kernel raises tfjs' own error message
    }
    const out = backend.allocF32(sizeOf(outShape));
    if (out.length > 0) {
      const geo = ints(outShape.length, outShape, broadcastStrides(a.shape, outShape), broadcastStrides(b.shape, outShape));
      backend.addon.binary(code, vals[0], vals[1], out, geo);
    }
    return output(backend, outShape, out);
  };
}

/** Binary kernel name → native implementation. */
export const BINARY_KERNELS: Record<string, NativeImpl> = Object.fromEntries(
  Object.entries(BINARY).map(([name, code]) => [name, binaryKernel(code)]),
);
