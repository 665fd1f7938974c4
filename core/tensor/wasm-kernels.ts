/**
 * Conv-training kernels for the tfjs 4.22.0 'wasm' backend (notes/backend.md §2.2–2.5):
 * - `Conv2DBackpropFilter` is missing on wasm, so no conv net can train there without it;
 * - the built-in `Conv2DBackpropInput` is slow (≈5× slower than ours), so it is replaced too;
 * - the forward conv kernels get a 'same'-padding fix (wasm-same-padding.ts).
 * The two gradient kernels are composed of wasm ops (conv2d, pad, transpose, matmul) through
 * `conv-grad-math.ts` (methods 'conv' and 'subpixel'). Measured on the 2-vCPU box (loaded), conv
 * [32,32,32,16]×[3,3,16,32], stride 1, 'same': filter kernel ≈21 ms, input kernel ≈9 ms
 * (forward conv ≈10 ms; built-in input kernel ≈80 ms; notes' im2col + dilate ≈48 ms for both).
 * Only the public kernel API is used (inputs wrapped with `backend.incRef` +
 * `engine.makeTensorFromTensorInfo`, the output handed over with `incRef`); no wasm internals.
 */
import * as tf from '@tensorflow/tfjs';
import { ensureWasmPaths, wasmPackage } from './wasm-package.js';
import { conv2dFilterGradNHWC, conv2dInputGradNHWC, type ConvGeometry } from './conv-grad-math.js';
import { SAME_PADDING_KERNELS, wrapSamePadding } from './wasm-same-padding.js';

/** Names of the kernels that `registerWasmTrainingKernels` installs for 'wasm'. */
export const WASM_TRAINING_KERNELS = ['Conv2DBackpropFilter', 'Conv2DBackpropInput'] as const;

type Shape4 = [number, number, number, number];
type Attrs = Record<string, unknown>;

function pair(kernel: string, field: string, v: unknown): [number, number] {
  const t = typeof v === 'number' ? [v, v] : Array.isArray(v) && v.length === 2 ? v : null;
  if (!t || !t.every((n) => Number.isInteger(n) && n >= 1)) {
    throw new Error(`${kernel} (wasm): ${field}: expected a positive integer or a pair of them, got ${JSON.stringify(v)}`);
  }
  return [t[0] as number, t[1] as number];
}

function shape4(kernel: string, field: string, s: readonly number[]): Shape4 {
  if (s.length !== 4) throw new Error(`${kernel} (wasm): ${field}: expected a rank-4 shape, got [${s.join(', ')}]`);
  return [s[0], s[1], s[2], s[3]];
}

/** Reads strides/pad/dataFormat/dimRoundingMode/dilations; `inShape` is in the given data format. */
function geometry(kernel: string, attrs: Attrs, inShape: Shape4, filterShape: Shape4): { geo: ConvGeometry; nchw: boolean } {
  const strides = pair(kernel, 'strides', attrs.strides);
  if (attrs.dilations !== undefined) {
    const d = pair(kernel, 'dilations', attrs.dilations);
    if (d[0] !== 1 || d[1] !== 1) {
      throw new Error(`${kernel} (wasm): dilations: expected 1 (only undilated convolutions have gradient kernels), got ${JSON.stringify(attrs.dilations)}`);
    }
  }
  const dataFormat = attrs.dataFormat ?? 'NHWC';
  if (dataFormat !== 'NHWC' && dataFormat !== 'NCHW') {
    throw new Error(`${kernel} (wasm): dataFormat: expected 'NHWC' or 'NCHW', got ${JSON.stringify(dataFormat)}`);
  }
  const nchw = dataFormat === 'NCHW';
  const info = tf.backend_util.computeConv2DInfo(
    inShape, filterShape, strides, 1, attrs.pad as 'same' | 'valid' | number,
    attrs.dimRoundingMode as 'floor' | 'round' | 'ceil' | undefined, false, nchw ? 'channelsFirst' : 'channelsLast');
  return { geo: { strides, top: info.padInfo.top, left: info.padInfo.left }, nchw };
}

/**
 * Runs `compute` on tensors that alias the kernel inputs (refcount raised first, so disposing the
 * wrappers never frees the caller's data — the wasm pitfall of notes §2.4) and returns the
 * result's TensorInfo with one reference owned by the engine.
 */
function runComposite(backend: tf.KernelBackend, inputs: tf.TensorInfo[], compute: (ts: tf.Tensor4D[]) => tf.Tensor4D): tf.TensorInfo {
  const res = tf.tidy(() => {
    const ts = inputs.map((info) => {
      backend.incRef(info.dataId);
      return tf.engine().makeTensorFromTensorInfo(info, backend) as tf.Tensor4D;
    });
    return compute(ts);
  });
  backend.incRef(res.dataId);
  const out: tf.TensorInfo = { dataId: res.dataId, shape: res.shape.slice(), dtype: res.dtype };
  res.dispose();
  return out;
}

function input(kernel: string, inputs: tf.NamedTensorInfoMap, name: string): tf.TensorInfo {
  const t = inputs[name];
  if (t == null) throw new Error(`${kernel} (wasm): inputs.${name}: expected a tensor, got ${String(t)}`);
  return t;
}

const toNHWC = (t: tf.Tensor4D): tf.Tensor4D => tf.transpose(t, [0, 2, 3, 1]);
const toNCHW = (t: tf.Tensor4D): tf.Tensor4D => tf.transpose(t, [0, 3, 1, 2]);

/** Kernel `Conv2DBackpropFilter`: inputs {x, dy}, attrs {strides, pad, dataFormat, dimRoundingMode, filterShape}. */
function conv2dBackpropFilterKernel({ inputs, backend, attrs }: { inputs: tf.NamedTensorInfoMap; backend: {}; attrs?: tf.NamedAttrMap }): tf.TensorInfo {
  const kernel = 'Conv2DBackpropFilter';
  const a = (attrs ?? {}) as Attrs;
  const x = input(kernel, inputs, 'x');
  const dy = input(kernel, inputs, 'dy');
  const xShape = shape4(kernel, 'x.shape', x.shape);
  const dyShape = shape4(kernel, 'dy.shape', dy.shape);
  const filterShape = shape4(kernel, 'filterShape', (a.filterShape ?? []) as number[]);
  const { geo, nchw } = geometry(kernel, a, xShape, filterShape);
  const cIn = nchw ? xShape[1] : xShape[3];
  const cOut = nchw ? dyShape[1] : dyShape[3];
  if (filterShape[2] !== cIn || filterShape[3] !== cOut) {
    throw new Error(`${kernel} (wasm): filterShape: expected [KH, KW, ${cIn}, ${cOut}] (channels of x and dy), got [${filterShape.join(', ')}]`);
  }
  return runComposite(backend as tf.KernelBackend, [x, dy], ([xt, dyt]) =>
    conv2dFilterGradNHWC(nchw ? toNHWC(xt) : xt, nchw ? toNHWC(dyt) : dyt, filterShape, geo));
}

/** Kernel `Conv2DBackpropInput`: inputs {dy, filter}, attrs {strides, pad, dataFormat, dimRoundingMode, inputShape}. */
function conv2dBackpropInputKernel({ inputs, backend, attrs }: { inputs: tf.NamedTensorInfoMap; backend: {}; attrs?: tf.NamedAttrMap }): tf.TensorInfo {
  const kernel = 'Conv2DBackpropInput';
  const a = (attrs ?? {}) as Attrs;
  const dy = input(kernel, inputs, 'dy');
  const filter = input(kernel, inputs, 'filter');
  const inShape = shape4(kernel, 'inputShape', (a.inputShape ?? []) as number[]);
  const filterShape = shape4(kernel, 'filter.shape', filter.shape);
  const dyShape = shape4(kernel, 'dy.shape', dy.shape);
  const { geo, nchw } = geometry(kernel, a, inShape, filterShape);
  const cIn = nchw ? inShape[1] : inShape[3];
  const cOut = nchw ? dyShape[1] : dyShape[3];
  if (filterShape[2] !== cIn || filterShape[3] !== cOut) {
    throw new Error(`${kernel} (wasm): filter.shape: expected [KH, KW, ${cIn}, ${cOut}] (channels of inputShape and dy), got [${filterShape.join(', ')}]`);
  }
  const nhwcShape: Shape4 = nchw ? [inShape[0], inShape[2], inShape[3], inShape[1]] : inShape;
  return runComposite(backend as tf.KernelBackend, [dy, filter], ([dyt, ft]) => {
    const dx = conv2dInputGradNHWC(nchw ? toNHWC(dyt) : dyt, ft, nhwcShape, geo);
    return nchw ? toNCHW(dx) : dx;
  });
}

const OURS: Record<(typeof WASM_TRAINING_KERNELS)[number], tf.KernelFunc> = {
  Conv2DBackpropFilter: conv2dBackpropFilterKernel as tf.KernelFunc,
  Conv2DBackpropInput: conv2dBackpropInputKernel as tf.KernelFunc,
};
/** Kernels as they were before we replaced them (restored by unregisterWasmTrainingKernels). */
const originals = new Map<string, tf.KernelConfig>();
/** Our 'same'-padding wrappers of the forward conv kernels, by kernel name. */
const wrappers = new Map<string, tf.KernelFunc>();

function isOurs(name: string, func: tf.KernelFunc | undefined): boolean {
  return func !== undefined && (func === (OURS as Record<string, tf.KernelFunc>)[name] || func === wrappers.get(name));
}

/**
 * Registers the lensforge kernels for the 'wasm' backend:
 * - `Conv2DBackpropFilter` (missing on wasm) and `Conv2DBackpropInput` (replaces the slow
 *   built-in), see conv-grad-math.ts; NHWC and NCHW, any strides, 'same'/'valid'/numeric/explicit
 *   padding and dimRoundingMode, dilation 1 only (a clear Error otherwise);
 * - wrappers of the forward Conv2D, FusedConv2D, DepthwiseConv2dNative, FusedDepthwiseConv2D
 *   kernels that work around wasm's wrong 'same' padding (wasm-same-padding.ts).
 * Idempotent: kernels that are already ours are left alone, others are unregistered first (so
 * tfjs prints no "already registered" warning). Call before or after `tf.setBackend('wasm')`.
 */
export function registerWasmTrainingKernels(): void {
  void wasmPackage; // the package must be loaded first, or its own registration would overwrite ours
  for (const name of WASM_TRAINING_KERNELS) {
    const current = tf.getKernel(name, 'wasm');
    if (isOurs(name, current?.kernelFunc)) continue;
    if (current) {
      if (!originals.has(name)) originals.set(name, current);
      tf.unregisterKernel(name, 'wasm');
    }
    tf.registerKernel({ kernelName: name, backendName: 'wasm', kernelFunc: OURS[name] });
  }
  for (const [name, depthwise] of Object.entries(SAME_PADDING_KERNELS)) {
    const current = tf.getKernel(name, 'wasm');
    if (!current || isOurs(name, current.kernelFunc)) continue;
    originals.set(name, current);
    const wrapper = wrapSamePadding(current, depthwise);
    wrappers.set(name, wrapper);
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel({ kernelName: name, backendName: 'wasm', kernelFunc: wrapper, setupFunc: current.setupFunc });
  }
}

/**
 * Removes the lensforge kernels again and restores what wasm had before (its built-in
 * Conv2DBackpropInput and forward conv kernels; no Conv2DBackpropFilter). For benchmarks and
 * tests only.
 */
export function unregisterWasmTrainingKernels(): void {
  const wasmBackend = (tf.engine().registry as Record<string, tf.KernelBackend>).wasm;
  for (const name of [...WASM_TRAINING_KERNELS, ...Object.keys(SAME_PADDING_KERNELS)]) {
    const current = tf.getKernel(name, 'wasm');
    if (!isOurs(name, current?.kernelFunc)) continue;
    tf.unregisterKernel(name, 'wasm');
    const orig = originals.get(name);
    if (orig) {
      tf.registerKernel(orig);
      if (wasmBackend && orig.setupFunc) orig.setupFunc(wasmBackend);
    }
  }
}

/** True when all lensforge kernels (backprop kernels and 'same'-padding wrappers) are registered for 'wasm'. */
export function wasmTrainingKernelsRegistered(): boolean {
  return [...WASM_TRAINING_KERNELS, ...Object.keys(SAME_PADDING_KERNELS)]
    .every((n) => isOurs(n, tf.getKernel(n, 'wasm')?.kernelFunc));
}

/**
 * Everything 'wasm' needs before `tf.setBackend('wasm')`: binaries located offline in the
 * package's dist/ (setWasmPaths) and the training kernels registered. Idempotent.
 */
export function prepareWasmBackend(): void {
  ensureWasmPaths();
  registerWasmTrainingKernels();
}
