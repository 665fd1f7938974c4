/**
 * Native elementwise kernels on float32 tensors, threaded over both cores (OpenMP):
 * - unary maps (Neg … Expm1, with LeakyRelu/Step alpha and ClipByValue bounds), same semantics
 *   as @tensorflow/tfjs-backend-cpu (NaN handling, softplus thresholds);
 * - binary maps with NumPy broadcasting (Add, Sub, Multiply, RealDiv, Maximum, Minimum,
 *   SquaredDifference, Pow) and comparisons (Greater … NotEqual, bool outputs), which the CPU backend computes index by index in JS when shapes differ.
 * Other dtypes (int32, bool, complex) return null and run on the CPU kernel.
 */
import * as tf from '@tensorflow/tfjs';
import { BINARY, COMPARE, UNARY } from './native-addon.js';
import { broadcastStrides, f32, ints, output, sizeOf, type NativeImpl } from './kernel-util.js';
import { JS_BINARY } from './js-binary.js';

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

/**
 * Below this many output elements a binary op with a bit-identical JavaScript twin (js-binary.ts)
 * runs in JS (the addon call costs ~2 µs).
 */
const SMALL = 128;

const sameShape = (a: readonly number[], b: readonly number[]): boolean => {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
};

const flatGeo = new Int32Array(4);

function binaryKernel(code: number): NativeImpl {
  const f = JS_BINARY[code];
  return (inputs, backend) => {
    const { a, b } = inputs;
    const av = f32(backend, a), bv = f32(backend, b);
    if (!av || !bv) return null;
    // Fast paths: equal shapes, or a one-element operand of no higher rank than the other.
    const same = sameShape(a.shape, b.shape);
    const aScalar = av.length === 1 && a.shape.length <= b.shape.length;
    const bScalar = bv.length === 1 && b.shape.length <= a.shape.length;
    if (same || aScalar || bScalar) {
      const outShape = same ? a.shape : aScalar ? b.shape : a.shape;
      const n = same ? av.length : aScalar ? bv.length : av.length;
      const sa = same || !aScalar ? 1 : 0, sb = same || !bScalar ? 1 : 0;
      const out = backend.allocF32(n);
      if (f !== null && n <= SMALL && backend.jsReady([av, bv], out)) {
        for (let i = 0; i < n; i++) out[i] = f(av[i * sa], bv[i * sb]);
      } else {
        flatGeo[0] = 1; flatGeo[1] = n; flatGeo[2] = sa; flatGeo[3] = sb;
        backend.addon.binary(code, av, bv, out, flatGeo);
      }
      return output(backend, outShape.slice(), out);
    }
    let outShape: number[];
    try {
      outShape = tf.backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
    } catch {
      return null; // the CPU kernel raises tfjs' own error message
    }
    const out = backend.allocF32(sizeOf(outShape));
    if (out.length > 0) {
      const geo = ints(outShape.length, outShape, broadcastStrides(a.shape, outShape), broadcastStrides(b.shape, outShape));
      backend.addon.binary(code, av, bv, out, geo);
    }
    return output(backend, outShape, out);
  };
}

/** Binary kernel name → native implementation. */
export const BINARY_KERNELS: Record<string, NativeImpl> = Object.fromEntries(
  Object.entries(BINARY).map(([name, code]) => [name, binaryKernel(code)]),
);

function compareKernel(code: number): NativeImpl {
  return (inputs, backend) => {
    const { a, b } = inputs;
    const av = f32(backend, a), bv = f32(backend, b);
    if (!av || !bv) return null;
    let outShape: number[];
    try {
      outShape = tf.backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
    } catch {
      return null;
    }
    const out = new Uint8Array(sizeOf(outShape));
    if (out.length > 0) {
      const geo = ints(outShape.length, outShape, broadcastStrides(a.shape, outShape), broadcastStrides(b.shape, outShape));
      backend.addon.compare(code, av, bv, out, geo);
    }
    return backend.makeTensorInfo(outShape, 'bool', out);
  };
}

/** Comparison kernel name → native implementation (float32 inputs, bool output). */
export const COMPARE_KERNELS: Record<string, NativeImpl> = Object.fromEntries(
  Object.entries(COMPARE).map(([name, code]) => [name, compareKernel(code)]),
);

/**
 * Cast: same dtype → the input's storage (reference counted, as tfjs-backend-cpu); bool or int32
 * → float32 natively (the bool masks of comparisons feed arithmetic); other casts run on the CPU.
 */
export const cast: NativeImpl = (inputs, backend, attrs) => {
  const x = inputs.x;
  const dtype = attrs.dtype as tf.DataType;
  if (x.dtype === dtype && dtype !== 'string' && dtype !== 'complex64') {
    backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape.slice(), dtype };
  }
  if (dtype !== 'float32' || (x.dtype !== 'bool' && x.dtype !== 'int32')) return null;
  const v = backend.data.get(x.dataId)?.values;
  if (!(v instanceof Uint8Array || v instanceof Int32Array)) return null;
  const out = backend.allocF32(v.length);
  if (out.length > 0) backend.addon.toFloat(v, out);
  return output(backend, x.shape.slice(), out);
};
