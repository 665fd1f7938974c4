/**
 * Native matrix products (BatchMatMul, _FusedMatMul) on oneDNN's sgemm, row-major as TF.js.
 * Batch dimensions must be equal or one side must have a single matrix (broadcast); the fused
 * bias must have one entry or one per output column; activations linear/relu/leakyrelu/relu6/
 * elu/sigmoid. Anything else returns null (the CPU kernel runs instead).
 */
import * as tf from '@tensorflow/tfjs';
import { FUSED_ACTIVATION } from './native-addon.js';
import { f32, f32All, ints, output, sizeOf, type KernelInputs, type NativeImpl } from './kernel-util.js';

function matmulImpl(inputs: KernelInputs, backend: Parameters<NativeImpl>[1], attrs: tf.NamedAttrMap, fused: boolean): tf.TensorInfo | null {
  const { a, b } = inputs;
  const vals = f32All(backend, [a, b]);
  if (!vals || a.shape.length < 2 || b.shape.length < 2) return null;
  const ta = Boolean(attrs.transposeA), tb = Boolean(attrs.transposeB);
  const ra = a.shape.length, rb = b.shape.length;
  const M = ta ? a.shape[ra - 1] : a.shape[ra - 2];
  const K = ta ? a.shape[ra - 2] : a.shape[ra - 1];
  const Kb = tb ? b.shape[rb - 1] : b.shape[rb - 2];
  const N = tb ? b.shape[rb - 2] : b.shape[rb - 1];
  if (K !== Kb) return null; // the CPU kernel raises tfjs' own error message
  const outerA = a.shape.slice(0, -2), outerB = b.shape.slice(0, -2);
  const batchA = sizeOf(outerA), batchB = sizeOf(outerB);
  let outer: number[];
  try {
    outer = tf.backend_util.assertAndGetBroadcastShape(outerA, outerB);
  } catch {
    return null;
  }
  const batch = sizeOf(outer);
  let strideA: number, strideB: number;
  if (batchA === batchB && batch === batchA) { strideA = M * K; strideB = K * N; }
  else if (batchA === 1 && batchB === batch) { strideA = 0; strideB = K * N; }
  else if (batchB === 1 && batchA === batch) { strideA = M * K; strideB = 0; }
  else return null;
  let act = 0, alpha = 0;
  let bias: Float32Array | null = null;
  if (fused) {
    const name = (attrs.activation as string | undefined) ?? 'linear';
    const code = FUSED_ACTIVATION[name];
    if (code === undefined) return null;
    act = code;
    alpha = (attrs.leakyreluAlpha as number | undefined) ?? 0.2;
    if (inputs.bias != null) {
      const bv = f32(backend, inputs.bias);
      if (!bv) return null;
      const bs = inputs.bias.shape;
      const rowVector = bs.length === 0 || bs.slice(0, -1).every((d) => d === 1);
      if (!rowVector || !(bv.length === 1 || bv.length === N) || bs.length > outer.length + 2) return null;
      bias = bv;
    }
  }
  const outShape = [...outer, M, N];
  const c = backend.allocF32(batch * M * N);
  if (c.length > 0) backend.addon.matmul(ints(batch, M, N, K, ta ? 1 : 0, tb ? 1 : 0, strideA, strideB), vals[0], vals[1], bias, c, act, alpha);
  return output(backend, outShape, c);
}

/** BatchMatMul: inputs {a, b}; attrs {transposeA, transposeB}. */
export const batchMatMul: NativeImpl = (inputs, backend, attrs) => matmulImpl(inputs, backend, attrs, false);

/** _FusedMatMul: act(a x b + bias); inputs {a, b, bias?, preluActivationWeights?}; attrs {transposeA, transposeB, activation, leakyreluAlpha}. */
export const fusedMatMul: NativeImpl = (inputs, backend, attrs) => matmulImpl(inputs, backend, attrs, true);

/** Kernel name → native implementation, for the matmul family. */
export const MATMUL_KERNELS: Record<string, NativeImpl> = {
  BatchMatMul: batchMatMul,
  _FusedMatMul: fusedMatMul,
};
