/**
 * Helpers shared by the native kernels: typed access to the CPU backend's storage (the native
 * backend keeps MathBackendCPU's layout: one dense row-major TypedArray per tensor), output
 * allocation, row-major strides and broadcasting geometry.
 */
import * as tf from '@tensorflow/tfjs';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import type { NativeAddon } from './native-addon.js';

/** The backend object a native kernel receives: a MathBackendCPU that carries the addon. */
export interface NativeKernelBackend extends MathBackendCPU {
  readonly addon: NativeAddon;
  /** Output storage (recycled when possible; contents undefined: overwrite every element). */
  allocF32(n: number): Float32Array;
  /** A float32 output computed on first read (see NativeBackend.makeLazyOutput). */
  makeLazyOutput(shape: number[], deps: tf.TensorInfo[], compute: (out: Float32Array) => void, name?: string): tf.TensorInfo;
  /** Waits until `values` holds its final contents (kernels may be queued: native-async.ts). */
  waitRead(values: unknown): void;
  /** True when JavaScript may read `reads` and overwrite `write` right now without waiting. */
  jsReady(reads: Float32Array[], write: Float32Array): boolean;
  /** Marks tensors' storage as visible outside the native kernels (never recycled). */
  expose(infos: Iterable<tf.TensorInfo | undefined | null>): void;
}

/** A kernel function as registered with tf.registerKernel. */
export type KernelFn = (args: { inputs: tf.NamedTensorInfoMap; backend: NativeKernelBackend; attrs?: tf.NamedAttrMap }) =>
  tf.TensorInfo | tf.TensorInfo[];

/**
 * Kernel inputs by name. Optional inputs (e.g. a fused bias) may be undefined at run time even
 * though the type says TensorInfo: compare them with `!= null`.
 */
export type KernelInputs = Record<string, tf.TensorInfo>;

/** A native kernel: returns null when it does not handle these inputs (the CPU kernel then runs). */
export type NativeImpl = (inputs: KernelInputs, backend: NativeKernelBackend, attrs: tf.NamedAttrMap) =>
  tf.TensorInfo | tf.TensorInfo[] | null;

/** The Float32Array behind a float32 tensor, or null for other dtypes/storage. */
export function f32(backend: MathBackendCPU, t: tf.TensorInfo | undefined | null): Float32Array | null {
  if (t == null || t.dtype !== 'float32') return null;
  const v = backend.data.get(t.dataId)?.values;
  return v instanceof Float32Array ? v : null;
}

/** Float32Arrays of all given tensors, or null if any of them is not plain float32. */
export function f32All(backend: MathBackendCPU, ts: (tf.TensorInfo | undefined | null)[]): Float32Array[] | null {
  const out: Float32Array[] = [];
  for (const t of ts) {
    const v = f32(backend, t);
    if (v === null) return null;
    out.push(v);
  }
  return out;
}

/** Registers `values` (owned from now on by the backend) as a new float32 tensor. */
export function output(backend: MathBackendCPU, shape: number[], values: Float32Array): tf.TensorInfo {
  return backend.makeTensorInfo(shape, 'float32', values);
}

/** Number of elements of `shape`. */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major element strides of `shape`. */
export function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

/**
 * Strides of `shape` (right-aligned) inside the broadcast shape `out`: 0 along broadcast axes,
 * so that element i of the output reads element sum(idx * stride) of the operand.
 */
export function broadcastStrides(shape: readonly number[], out: readonly number[]): number[] {
  const own = stridesOf(shape);
  const res = new Array<number>(out.length).fill(0);
  const off = out.length - shape.length;
  for (let i = 0; i < shape.length; i++) res[off + i] = shape[i] === 1 && out[off + i] !== 1 ? 0 : own[i];
  return res;
}

/** Builds an Int32Array from number lists (geometry arrays for the addon). */
export function ints(...parts: (number | readonly number[])[]): Int32Array {
  const flat: number[] = [];
  for (const p of parts) {
    if (typeof p === 'number') flat.push(p);
    else flat.push(...p);
  }
  return Int32Array.from(flat);
}

/** True when every entry is an integer that fits in an Int32Array slot. */
export function fitsInt32(values: readonly number[]): boolean {
  return values.every((v) => Number.isInteger(v) && v <= 2147483647 && v >= -2147483648);
}
