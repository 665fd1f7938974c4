/**
 * The compiled lensforge native addon (`binding.gyp` → build/Release/lensforge_native.node): its
 * JavaScript interface, the op codes shared with the C++ sources, and a loader that explains why
 * the addon is unavailable instead of throwing.
 *
 * The addon is optional. It is built by `node-gyp rebuild -C core/tensor/native` (npm script
 * `build:native`) against oneDNN (Debian `libdnnl-dev`, oneDNN 2.6, OpenMP runtime). Every
 * function works in place on caller-owned Float32Arrays; geometry travels in Int32Arrays whose
 * layouts are documented in src/conv.cc, src/gemm.cc and src/elementwise.h.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What `info()` of the addon reports. */
export interface NativeAddonInfo {
  /** oneDNN version, e.g. '2.6.3'. */
  dnnlVersion: string;
  /** OpenMP threads used by oneDNN and the elementwise kernels. */
  threads: number;
  /** Convolution primitives JIT-compiled and cached so far. */
  cachedPrimitives: number;
  /** Instruction set oneDNN dispatches to (e.g. 'avx512_core'). */
  isa: string;
  /** Helper threads sharing big convolutions in async mode (src/chunk-pool.h); 0 in sync mode. */
  chunkHelpers: number;
  /** Convolutions run as batch chunks on those helpers since the addon was loaded. */
  chunkedConvCalls: number;
  /** Chunks (of convolutions and of large elementwise/copy kernels) the helpers ran so far. */
  helperChunks: number;
}

/** The functions exported by lensforge_native.node (all return undefined unless stated). */
export interface NativeAddon {
  /** y = act(conv(x, w) + bias); p = conv geometry (17 ints, see src/conv.cc). */
  conv2d(p: Int32Array, x: Float32Array, w: Float32Array, bias: Float32Array | null, y: Float32Array, act: number, alpha: number): void;
  /** dx = conv2d input gradient of dy through filter w. */
  conv2dBackpropInput(p: Int32Array, dy: Float32Array, w: Float32Array, dx: Float32Array): void;
  /** dw = conv2d filter gradient from input x and output gradient dy. */
  conv2dBackpropFilter(p: Int32Array, x: Float32Array, dy: Float32Array, dw: Float32Array): void;
  /** Batched GEMM; p = [batch, M, N, K, transposeA, transposeB, strideA, strideB]. */
  matmul(p: Int32Array, a: Float32Array, b: Float32Array, bias: Float32Array | null, c: Float32Array, act: number, alpha: number): void;
  /** y = f(x) elementwise (UNARY op code; alpha/beta used by some ops). */
  unary(op: number, x: Float32Array, y: Float32Array, alpha: number, beta: number): void;
  /** out = a op b with broadcasting; geo = [rank, shape..., stridesA..., stridesB...]. */
  binary(op: number, a: Float32Array, b: Float32Array, out: Float32Array, geo: Int32Array): void;
  /** out = a cmp b as 0/1 bytes with broadcasting (COMPARE op code); geo as binary. */
  compare(op: number, a: Float32Array, b: Float32Array, out: Uint8Array, geo: Int32Array): void;
  /** Strided gather/scatter copy; geo = [rank, shape..., srcStrides..., dstStrides...]. */
  stridedCopy(x: Float32Array, out: Float32Array, geo: Int32Array, srcOffset: number, dstOffset: number): void;
  /** out[i] = in[i] converted to float (bool bytes or int32). */
  toFloat(input: Uint8Array | Int32Array, out: Float32Array): void;
  /** out[:] = value. */
  fill(out: Float32Array, value: number): void;
  /** Reduction of x viewed as [outer, red, inner] over the middle axis (REDUCE op code). */
  reduce(op: number, x: Float32Array, out: Float32Array, outer: number, red: number, inner: number): void;
  /** Batch normalisation with per-channel (length P or 1) parameters. */
  batchNorm(x: Float32Array, out: Float32Array, P: number, mean: Float32Array, variance: Float32Array,
    offset: Float32Array | null, scale: Float32Array | null, eps: number): void;
  /** Batch-norm gradient (see src/elementwise.h); null outputs are skipped. */
  batchNormGrad(x: Float32Array, dy: Float32Array, P: number, mean: Float32Array, variance: Float32Array,
    scale: Float32Array | null, eps: number, dx: Float32Array | null, dmean: Float32Array | null, dvar: Float32Array | null,
    dscale: Float32Array | null, doffset: Float32Array | null): void;
  /** Training-mode batch norm: writes the batch mean and biased variance (P each) and out (src/elementwise.h). */
  batchNormTrain(x: Float32Array, out: Float32Array, P: number, offset: Float32Array | null, scale: Float32Array | null, eps: number,
    mean: Float32Array, variance: Float32Array): void;
  /** Its gradient including the batch statistics' dependence on x; null outputs are skipped. */
  batchNormTrainGrad(x: Float32Array, dy: Float32Array, P: number, mean: Float32Array, variance: Float32Array,
    scale: Float32Array | null, eps: number, dmean: Float32Array | null, dvar: Float32Array | null,
    dx: Float32Array | null, dscale: Float32Array | null, doffset: Float32Array | null): void;
  /** out = dy * (x > 0 ? 1 : alpha) (leaky) or dy * step(x). */
  reluGrad(dy: Float32Array, x: Float32Array, out: Float32Array, alpha: number, leaky: boolean): void;
  /** out = a * (b * scale) elementwise (the fused Square gradient dy * 2x). */
  scaledProduct(a: Float32Array, b: Float32Array, out: Float32Array, scale: number): void;
  /** Nearest resampling by index tables; p = [N, H, W, C, OH, OW]. */
  resizeNearest(p: Int32Array, x: Float32Array, y: Float32Array, rows: Int32Array, cols: Int32Array): void;
  /** Its adjoint (scatter-add of dy into dx). */
  resizeNearestGrad(p: Int32Array, dy: Float32Array, dx: Float32Array, rows: Int32Array, cols: Int32Array): void;
  /** NHWC pooling (mode 0 max, 1 avg); p = [N,H,W,C,KH,KW,OH,OW,sh,sw,padTop,padLeft]. */
  pool(mode: number, p: Int32Array, x: Float32Array, y: Float32Array): void;
  maxPoolGrad(p: Int32Array, dy: Float32Array, x: Float32Array, dx: Float32Array): void;
  avgPoolGrad(p: Int32Array, dy: Float32Array, dx: Float32Array): void;
  /**
   * Queue kernels on a worker thread (true) or run them inline (false, the default); in async
   * mode every kernel function returns its task's sequence number instead of undefined.
   */
  setAsync(on: boolean, threads: number): void;
  /** Waits for task `seq`; throws the first error of any queued task. */
  wait(seq: number): void;
  /** Highest sequence number whose task has finished. */
  completed(): number;
  /** Sets the OpenMP thread count (>= 1). */
  setThreads(n: number): void;
  info(): NativeAddonInfo;
  /** Drops the cached oneDNN primitives. */
  clearCache(): void;
}

/** Unary op codes (src/elementwise.h UnaryOp). */
export const UNARY = {
  Neg: 0, Abs: 1, Square: 2, Sqrt: 3, Rsqrt: 4, Exp: 5, Log: 6, Log1p: 7, Relu: 8, Relu6: 9, LeakyRelu: 10, Elu: 11,
  Sigmoid: 12, Tanh: 13, Step: 14, Floor: 15, Ceil: 16, Reciprocal: 17, Softplus: 18, ClipByValue: 19, Sign: 20,
  Expm1: 21, Copy: 22,
} as const;

/** Binary op codes (src/elementwise.h BinaryOp), keyed by TF.js kernel name. */
export const BINARY = {
  Add: 0, Sub: 1, Multiply: 2, RealDiv: 3, Maximum: 4, Minimum: 5, SquaredDifference: 6, Pow: 7,
} as const;

/** Comparison op codes (src/elementwise.h CompareOp), keyed by TF.js kernel name. */
export const COMPARE = { Greater: 0, GreaterEqual: 1, Less: 2, LessEqual: 3, Equal: 4, NotEqual: 5 } as const;

/** Reduction op codes (src/elementwise.h ReduceOp), keyed by TF.js kernel name. */
export const REDUCE = { Sum: 0, Mean: 1, Max: 2, Min: 3, Prod: 4 } as const;

/** Fused activation codes (src/conv.h Activation), keyed by TF.js activation name. */
export const FUSED_ACTIVATION: Readonly<Record<string, number>> = {
  linear: 0, relu: 1, leakyrelu: 2, relu6: 3, elu: 4, sigmoid: 5,
};

const REQUIRED: readonly (keyof NativeAddon)[] = [
  'conv2d', 'conv2dBackpropInput', 'conv2dBackpropFilter', 'matmul', 'unary', 'binary', 'compare', 'stridedCopy', 'toFloat', 'fill',
  'reduce', 'batchNorm', 'batchNormGrad', 'batchNormTrain', 'batchNormTrainGrad', 'reluGrad', 'scaledProduct', 'resizeNearest', 'resizeNearestGrad', 'pool', 'maxPoolGrad', 'avgPoolGrad', 'setAsync', 'wait', 'completed', 'setThreads', 'info', 'clearCache',
];

/** Environment variable naming an addon file to load instead of the default build output. */
export const NATIVE_ADDON_ENV_VAR = 'LENSFORGE_NATIVE_ADDON';

/** Command line that builds the addon (what the lead's `npm run build:native` runs). */
export const NATIVE_BUILD_HINT =
  'sudo apt-get install -y libdnnl-dev g++ make python3 (Debian/Ubuntu) or brew install onednn (macOS), ' +
  'then npm run build:native (= node-gyp rebuild -C core/tensor/native; npm ci also builds it)';

/**
 * Directory of the addon sources (the folder holding binding.gyp): found by walking up from this
 * module (it runs from dist/core/tensor/native/ after tsc) to the project root.
 */
export function nativeSourceDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    const candidate = join(dir, 'core', 'tensor', 'native');
    if (existsSync(join(candidate, 'binding.gyp'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  // Source layout (running the .ts through a loader): this very folder.
  return dirname(fileURLToPath(import.meta.url));
}

/** Default addon path: $LENSFORGE_NATIVE_ADDON, else <sources>/build/Release/lensforge_native.node. */
export function defaultAddonPath(env: Record<string, string | undefined> = process.env): string {
  const fromEnv = env[NATIVE_ADDON_ENV_VAR];
  if (fromEnv && fromEnv.trim() !== '') return resolve(fromEnv);
  return join(nativeSourceDir(), 'build', 'Release', 'lensforge_native.node');
}

/** Result of `loadNativeAddon`: the addon, or the reason it cannot be used. */
export type AddonLoad = { ok: true; addon: NativeAddon; path: string } | { ok: false; reason: string; path: string };

/**
 * Loads the addon at `path` (default `defaultAddonPath()`). Never throws: a missing file, a
 * failed dlopen (e.g. libdnnl.so.2 not installed) or a stale build that lacks a function gives
 * `{ok: false, reason}` with the fix in the reason.
 */
export function loadNativeAddon(path: string = defaultAddonPath()): AddonLoad {
  if (!existsSync(path)) {
    return { ok: false, path, reason: `native addon not built: ${path} does not exist. To build it: ${NATIVE_BUILD_HINT}` };
  }
  let mod: unknown;
  try {
    mod = createRequire(import.meta.url)(path);
  } catch (e) {
    const msg = (e instanceof Error ? e.message : String(e)).split('\n')[0];
    const lib = /libdnnl|libgomp/.test(msg) ? ' (the oneDNN runtime is missing: apt-get install -y libdnnl2)' : '';
    return { ok: false, path, reason: `native addon ${path} failed to load: ${msg}${lib}. Rebuild it: ${NATIVE_BUILD_HINT}` };
  }
  const m = mod as Record<string, unknown>;
  const missing = REQUIRED.filter((k) => typeof m[k] !== 'function');
  if (missing.length > 0) {
    return { ok: false, path, reason: `native addon ${path} is stale (missing ${missing.join(', ')}). Rebuild it: ${NATIVE_BUILD_HINT}` };
  }
  return { ok: true, path, addon: mod as NativeAddon };
}

/**
 * What the last build attempt recorded (build/native-status.json, written by the npm install
 * step `install-native.mjs` and by `npm run build:native`; see native-build-lib.mjs).
 */
export interface NativeBuildStatus {
  ok: boolean;
  /** 'built' | 'skipped' (toolchain or headers missing, or LENSFORGE_SKIP_NATIVE) | 'failed' (compile or load). */
  action: 'built' | 'skipped' | 'failed';
  /** 'probe' (decided not to build), 'compile' or 'load' when ok is false. */
  stage?: 'probe' | 'compile' | 'load';
  /** Why it was not built, e.g. 'dnnl.hpp not found in /usr/include/oneapi/dnnl, …'. */
  reason?: string;
  /** The one line the step printed. */
  message?: string;
  /** Full compiler output, when the build ran quietly. */
  log?: string | null;
  /** ISO time of the attempt. */
  at?: string;
  seconds?: number;
  dnnlVersion?: string;
  isa?: string;
}

/** Path of the build status file beside the build output. */
export function nativeBuildStatusPath(): string {
  return join(nativeSourceDir(), 'build', 'native-status.json');
}

/** The recorded build status, or null when no build was attempted (or the file is unreadable). */
export function readNativeBuildStatus(path: string = nativeBuildStatusPath()): NativeBuildStatus | null {
  try {
    const s = JSON.parse(readFileSync(path, 'utf8')) as NativeBuildStatus;
    return typeof s === 'object' && s !== null && typeof s.ok === 'boolean' ? s : null;
  } catch {
    return null;
  }
}
