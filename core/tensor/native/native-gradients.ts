/**
 * Fused gradients for the native backend.
 *
 * tfjs-core builds several gradients out of many full-size elementwise ops: the FusedBatchNorm
 * gradient (~20 ops incl. a Tile), Mean/Sum (multiply by a freshly allocated `ones(x.shape)`),
 * Square (two full-size Multiply), Relu (Step + Cast + Multiply) and LeakyRelu (Greater + Select in JS + Multiply). A training step
 * of a ResNet spends more time in that op traffic than in its convolutions. Here each of them
 * becomes one native kernel (or one broadcast), computing the same quantities:
 * - FusedBatchNorm: dx = dy*s/√(v+ε), dmean = −Σdy·s/√(v+ε), dvar = −½ Σdy(x−m)·s/(v+ε)^{3/2},
 *   dscale = Σdy(x−m)/√(v+ε), doffset = Σdy (sums over all axes but the last);
 * - Mean/Sum: dx = broadcast(dy)/n resp. broadcast(dy);
 * - Relu: dx = dy·step(x); LeakyRelu: dx = x > 0 ? dy : α·dy; Square: dx = dy·(2x) in one pass.
 *
 * Gradients are global in TF.js (one per kernel name), so each replacement delegates to the
 * original tfjs-core gradient unless the active backend is the native one and the inputs are of
 * the supported form; the cpu and wasm backends therefore compute exactly what they did before.
 * The fused kernels have no gradients of their own, so while a backward pass is itself being
 * recorded (a gradient of a gradient: WGAN-GP's penalty, double backprop) the original,
 * differentiable tfjs-core gradient runs instead.
 */
import * as tf from '@tensorflow/tfjs';
import { f32, f32All, output, type NativeImpl } from './kernel-util.js';

/** Kernel names of the fused gradient kernels (registered for the native backend only). */
export const BATCH_NORM_GRAD = 'LensforgeBatchNormGrad';
export const RELU_GRAD = 'LensforgeReluGrad';
export const SQUARE_GRAD = 'LensforgeSquareGrad';

/**
 * LensforgeBatchNormGrad: inputs {x, dy, mean, variance, scale?}, attrs {varianceEpsilon, want:
 * 5 flags for [dx, dmean, dvar, dscale, doffset]}; outputs the requested gradients in that order.
 */
export const batchNormGrad: NativeImpl = (inputs, backend, attrs) => {
  const { x, dy, mean, variance, scale } = inputs;
  const vals = f32All(backend, [x, dy, mean, variance]);
  const sc = scale != null ? f32(backend, scale) : null;
  if (!vals || (scale != null && !sc)) return null;
  const P = vals[2].length;
  const want = attrs.want as boolean[];
  const alloc = (n: number, on: boolean) => (on ? backend.allocF32(n) : null);
  const outs = [alloc(vals[0].length, want[0]), alloc(P, want[1]), alloc(P, want[2]), alloc(P, want[3]), alloc(P, want[4])];
  backend.addon.batchNormGrad(vals[0], vals[1], P, vals[2], vals[3], sc, attrs.varianceEpsilon as number,
    outs[0], outs[1], outs[2], outs[3], outs[4]);
  const shapes = [x.shape, mean.shape, mean.shape, mean.shape, mean.shape];
  return outs.flatMap((o, i) => (o ? [output(backend, shapes[i].slice(), o)] : []));
};

/** LensforgeReluGrad: inputs {dy, x}; attrs {alpha, leaky}; dy·step(x) or the leaky-ReLU gradient. */
export const reluGrad: NativeImpl = (inputs, backend, attrs) => {
  const { dy, x } = inputs;
  const vals = f32All(backend, [dy, x]);
  if (!vals || dy.shape.join() !== x.shape.join()) return null;
  const out = backend.allocF32(vals[0].length);
  if (out.length > 0) backend.addon.reluGrad(vals[0], vals[1], out, attrs.alpha as number, Boolean(attrs.leaky));
  return output(backend, dy.shape.slice(), out);
};

/**
 * LensforgeSquareGrad: inputs {dy, x}; dy * (2x) in one pass (tfjs-core's Square gradient is two
 * full-size Multiply kernels; batch norm's tf.moments squares every activation).
 */
export const squareGrad: NativeImpl = (inputs, backend) => {
  const { dy, x } = inputs;
  const vals = f32All(backend, [dy, x]);
  if (!vals || dy.shape.join() !== x.shape.join()) return null;
  const out = backend.allocF32(vals[0].length);
  if (out.length > 0) backend.addon.scaledProduct(vals[0], vals[1], out, 2);
  return output(backend, dy.shape.slice(), out);
};

/** Kernel name → native implementation of the fused gradient kernels. */
export const GRADIENT_KERNELS: Record<string, NativeImpl> = {
  [BATCH_NORM_GRAD]: batchNormGrad,
  [RELU_GRAD]: reluGrad,
  [SQUARE_GRAD]: squareGrad,
};

type GradFunc = (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs: tf.NamedAttrMap) => Record<string, () => tf.Tensor>;

const isF32 = (...ts: (tf.Tensor | undefined)[]) => ts.every((t) => t == null || t.dtype === 'float32');

function fusedBatchNormGrad(dyIn: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs: tf.NamedAttrMap): Record<string, () => tf.Tensor> | null {
  const dy = dyIn as tf.Tensor;
  const [x, mean, variance, scale] = saved;
  const C = x.shape[x.rank - 1];
  const perChannel = (t: tf.Tensor | undefined) => t == null || (t.rank === 1 && t.shape[0] === C);
  if (x.rank < 1 || !perChannel(mean) || !perChannel(variance) || !perChannel(scale) || !isF32(x, dy, mean, variance, scale)) return null;
  if (dy.shape.join() !== x.shape.join()) return null;
  const eps = (attrs.varianceEpsilon as number | undefined) ?? 0.001;
  // All five in one pass, computed here rather than inside the per-input functions: the engine
  // runs each of those in its own tidy, which would dispose the others. The backward pass's
  // outer tidy disposes the ones nobody asks for.
  const res = tf.engine().runKernel(BATCH_NORM_GRAD, scale != null ? { x, dy, mean, variance, scale } : { x, dy, mean, variance },
    { varianceEpsilon: eps, want: [true, true, true, true, true] } as unknown as tf.NamedAttrMap) as tf.Tensor[];
  const get = (i: number) => () => res[i];
  const grads: Record<string, () => tf.Tensor> = { x: get(0), mean: get(1), variance: get(2), offset: get(4) };
  if (scale != null) grads.scale = get(3);
  return grads;
}

function broadcastReduceGrad(dyIn: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs: tf.NamedAttrMap, mean: boolean): Record<string, () => tf.Tensor> | null {
  const dy = dyIn as tf.Tensor;
  const [x] = saved;
  if (!isF32(x, dy)) return null;
  const axes = tf.util.parseAxisParam(attrs.axis as number | number[], x.shape);
  const expanded = x.shape.slice();
  let n = 1;
  for (const a of axes) { n *= x.shape[a]; expanded[a] = 1; }
  return {
    x: () => {
      const small = tf.reshape(dy, expanded);
      return tf.broadcastTo(mean ? tf.mul(small, 1 / n) : small, x.shape);
    },
  };
}

function reluLikeGrad(dyIn: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs: tf.NamedAttrMap, leaky: boolean): Record<string, () => tf.Tensor> | null {
  const dy = dyIn as tf.Tensor;
  const [x] = saved;
  if (!isF32(x, dy) || dy.shape.join() !== x.shape.join()) return null;
  const alpha = leaky ? (attrs.alpha as number) : 0;
  if (leaky && typeof alpha !== 'number') return null;
  return { x: () => tf.engine().runKernel(RELU_GRAD, { dy, x }, { alpha, leaky } as unknown as tf.NamedAttrMap) as tf.Tensor };
}

function squareLikeGrad(dyIn: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]): Record<string, () => tf.Tensor> | null {
  const dy = dyIn as tf.Tensor;
  const [x] = saved;
  if (!isF32(x, dy) || dy.shape.join() !== x.shape.join()) return null;
  return { x: () => tf.engine().runKernel(SQUARE_GRAD, { dy, x }, {}) as tf.Tensor };
}

const FUSED: Record<string, (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs: tf.NamedAttrMap) => Record<string, () => tf.Tensor> | null> = {
  FusedBatchNorm: fusedBatchNormGrad,
  Mean: (dy, s, a) => broadcastReduceGrad(dy, s, a, true),
  Sum: (dy, s, a) => broadcastReduceGrad(dy, s, a, false),
  Relu: (dy, s, a) => reluLikeGrad(dy, s, a, false),
  LeakyRelu: (dy, s, a) => reluLikeGrad(dy, s, a, true),
  Square: (dy, s) => squareLikeGrad(dy, s),
};

const installed = new Set<string>();

/**
 * True while TF.js records operations on a gradient tape (inside tf.grad / minimize). A gradient
 * function that runs then belongs to a backward pass that will itself be differentiated.
 */
export function gradientTapeActive(): boolean {
  const state = (tf.engine() as unknown as { state?: { gradientDepth?: number } }).state;
  return (state?.gradientDepth ?? 0) > 0;
}

/**
 * Wraps the tfjs-core gradients of FusedBatchNorm, Mean, Sum, Relu, LeakyRelu and Square so that, while
 * `isNativeActive()` is true, they use the fused native kernels; otherwise (for unsupported
 * inputs, and inside a recorded backward pass, see gradientTapeActive) the original gradient runs
 * unchanged. Idempotent. Returns the wrapped kernel names.
 */
export function installNativeGradients(isNativeActive: () => boolean): string[] {
  for (const [name, fused] of Object.entries(FUSED)) {
    if (installed.has(name)) continue;
    const original = tf.getGradient(name);
    if (!original) continue;
    const orig = original.gradFunc as unknown as GradFunc;
    const gradFunc: GradFunc = (dy, saved, attrs) => (isNativeActive() && !gradientTapeActive() ? fused(dy, saved, attrs) : null) ?? orig(dy, saved, attrs);
    tf.registerGradient({ ...original, gradFunc: gradFunc as unknown as tf.GradFunc });
    installed.add(name);
  }
  return [...installed].sort();
}
