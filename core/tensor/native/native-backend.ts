/**
 * The 'native' TF.js backend: @tensorflow/tfjs-backend-cpu's MathBackendCPU (tensors are plain
 * TypedArrays in JS memory, every kernel available) with the hot training kernels re-registered
 * to call the lensforge native addon (oneDNN + OpenMP) on those same arrays, without copies.
 *
 * Each native kernel returns null for inputs it does not handle (other dtypes, NCHW, unusual
 * broadcasts); the CPU kernel of the same name then runs, so the backend supports exactly what
 * the cpu backend supports, with the same numbers to float32 rounding.
 */
import * as tf from '@tensorflow/tfjs';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import type { NativeAddon } from './native-addon.js';
import { BufferPool } from './buffer-pool.js';
import { makeAsyncAddon, type AsyncAddon } from './native-async.js';
import type { KernelFn, KernelInputs, NativeImpl, NativeKernelBackend } from './kernel-util.js';
import { CONV_KERNELS } from './conv-kernels.js';
import { MATMUL_KERNELS } from './matmul-kernels.js';
import { BINARY_KERNELS, COMPARE_KERNELS, UNARY_KERNELS, cast } from './elementwise-kernels.js';
import { REDUCE_KERNELS } from './reduce-kernels.js';
import { LAYOUT_KERNELS } from './layout-kernels.js';
import { NORM_POOL_KERNELS } from './norm-pool-kernels.js';
import { GRADIENT_KERNELS } from './native-gradients.js';
import { BATCH_NORM_TRAIN_KERNELS } from './batch-norm-train.js';
import { RESIZE_KERNELS } from './resize-kernels.js';
import { profileKernel, profileLazy, profiling } from './native-profile.js';

/** Every kernel with a native implementation, by TF.js kernel name. */
export const NATIVE_KERNELS: Readonly<Record<string, NativeImpl>> = {
  ...CONV_KERNELS,
  ...MATMUL_KERNELS,
  ...UNARY_KERNELS,
  ...BINARY_KERNELS,
  ...COMPARE_KERNELS,
  Cast: cast,
  ...REDUCE_KERNELS,
  ...LAYOUT_KERNELS,
  ...NORM_POOL_KERNELS,
  ...GRADIENT_KERNELS,
  ...BATCH_NORM_TRAIN_KERNELS,
  ...RESIZE_KERNELS,
};

const EMPTY = new Float32Array(0);
const LAZY = Symbol('lensforge.lazyOutput');
interface LazyState { pending: () => boolean; cancel: () => void }

/** MathBackendCPU carrying the addon and a storage pool; only the kernels differ from 'cpu'. */
export class NativeBackend extends MathBackendCPU implements NativeKernelBackend {
  readonly pool: BufferPool;
  private readonly raw: NativeAddon;
  private queued: AsyncAddon | null = null;
  private threads: number;

  /**
   * `addon`: a loaded lensforge_native addon (see native-addon.ts); `poolBytes`: BufferPool
   * budget; `threads`: compute threads; `async`: queue kernels on a worker thread (native-async.ts).
   */
  constructor(addon: NativeAddon, poolBytes?: number, threads = 1, async = false) {
    super();
    this.raw = addon;
    this.threads = threads;
    this.pool = new BufferPool(poolBytes);
    // MathBackendCPU prints "looks like you are running TensorFlow.js in Node.js" on first
    // write; that advice is about the cpu backend and misleading here.
    (this as unknown as { firstUse: boolean }).firstUse = false;
    this.setAsync(async);
  }

  /** The addon as kernels must call it (queued in async mode). */
  get addon(): NativeAddon {
    return this.queued ?? this.raw;
  }

  /** True when kernels are queued on the worker thread. */
  get isAsync(): boolean {
    return this.queued !== null;
  }

  /**
   * Switches between inline and queued execution (draining the queue). Async mode gives the
   * worker all compute threads but one (the JavaScript thread), at least one.
   */
  setAsync(on: boolean): void {
    if (on === this.isAsync) return;
    if (this.queued) {
      this.queued.stop();
      this.queued = null;
      this.raw.setThreads(this.threads);
    } else {
      this.queued = makeAsyncAddon(this.raw, Number(process.env.XX_WORKER_THREADS ?? 0) || Math.max(1, this.threads - 1));
    }
  }

  /** Waits for every queued kernel (async mode; no-op otherwise). */
  drain(): void {
    this.queued?.drain();
  }

  /** Waits until `values` (a tensor's storage) holds its final contents (async mode). */
  waitRead(values: unknown): void {
    this.queued?.waitRead(values);
  }

  /** True when JavaScript may read `reads` and overwrite `write` right now without waiting. */
  jsReady(reads: Float32Array[], write: Float32Array): boolean {
    const q = this.queued;
    return !q || (q.idle(write) && reads.every((r) => q.readable(r)));
  }

  /** Output storage for native kernels: recycled when possible, contents undefined. */
  allocF32(n: number): Float32Array {
    return this.pool.alloc(n);
  }

  /** Marks the storage of `infos` as visible outside the native kernels (never recycled). */
  expose(infos: Iterable<tf.TensorInfo | undefined | null>): void {
    for (const t of infos) {
      if (t == null) continue;
      const d = this.data.get(t.dataId);
      if (!d) continue;
      this.waitRead(d.values);
      this.pool.expose(d.values);
    }
  }

  /**
   * A float32 output computed only when its storage is first read. `deps` (the inputs `compute`
   * reads) are kept alive until then; disposing the output unread drops the work. Used for
   * gradients that TF.js computes eagerly but usually discards (the input gradient of the first
   * convolution, computed by tfjs-core's fused conv2d gradient whether or not it is needed).
   */
  makeLazyOutput(shape: number[], deps: tf.TensorInfo[], compute: (out: Float32Array) => void, name = 'lazy'): tf.TensorInfo {
    const n = shape.reduce((a, b) => a * b, 1);
    const lazyName = `${name} (lazy)`;
    for (const d of deps) this.incRef(d.dataId);
    const info = this.makeTensorInfo(shape, 'float32', EMPTY);
    const entry = this.data.get(info.dataId) as unknown as Record<string, unknown>;
    let values: Float32Array | null = null;
    let pending = true;
    const release = (): void => {
      if (!pending) return;
      pending = false;
      for (const d of deps) this.disposeData(d.dataId);
    };
    Object.defineProperty(entry, 'values', {
      configurable: true,
      enumerable: true,
      get: () => {
        if (values === null) {
          const v = this.allocF32(n);
          if (profiling()) profileLazy(lazyName, () => compute(v), () => this.drain());
          else compute(v);
          values = v;
          release();
        }
        return values;
      },
      set: (v: Float32Array) => { values = v; release(); },
    });
    Object.defineProperty(entry, LAZY, { value: { pending: () => values === null, cancel: release }, enumerable: false });
    return info;
  }

  override readSync(dataId: object): tf.backend_util.BackendValues {
    const d = this.data.get(dataId);
    if (d) {
      this.waitRead(d.values);
      this.pool.expose(d.values);
    }
    return super.readSync(dataId);
  }

  override disposeData(dataId: object, force = false): boolean {
    const d = this.data.get(dataId);
    const lazy = d ? (d as unknown as Record<symbol, LazyState | undefined>)[LAZY] : undefined;
    if (lazy && lazy.pending()) {
      // Not computed yet: never compute it; release the inputs once the last reference goes.
      const released = super.disposeData(dataId, force);
      if (released && !this.data.has(dataId)) lazy.cancel();
      return released;
    }
    const values = d?.values;
    const released = super.disposeData(dataId, force);
    if (released && values !== undefined && !this.data.has(dataId)) this.pool.release(values);
    return released;
  }

  override dispose(): void {
    this.setAsync(false);
    this.pool.clear();
    super.dispose();
  }
}

/** Counts of native vs CPU-fallback executions per kernel (for tests and profiling). */
export interface NativeKernelStats {
  native: Record<string, number>;
  fallback: Record<string, number>;
}

const stats: NativeKernelStats = { native: {}, fallback: {} };
let counting = false;

/** Starts (true) or stops counting native/fallback executions; returns and resets the counts. */
export function nativeKernelStats(enable?: boolean): NativeKernelStats {
  const snapshot: NativeKernelStats = { native: { ...stats.native }, fallback: { ...stats.fallback } };
  stats.native = {};
  stats.fallback = {};
  if (enable !== undefined) counting = enable;
  return snapshot;
}

/**
 * CPU kernels that never read input values and never alias input storage into their outputs
 * (they share it only through the dataId reference count, or create fresh arrays): their inputs
 * stay recyclable and need no wait for queued kernels.
 */
const NO_READ_CPU_KERNELS = new Set(['Reshape', 'Identity', 'ZerosLike', 'OnesLike', 'Fill']);


type KernelArgs = Parameters<KernelFn>[0];

function inputList(args: KernelArgs): (tf.TensorInfo | undefined)[] {
  const inputs = args.inputs as unknown;
  return Array.isArray(inputs) ? inputs as tf.TensorInfo[] : Object.values(args.inputs);
}

/** Times `kernel` while a profiling window is open (native-profile.ts). */
function profiled(name: string, kernel: (args: KernelArgs) => { res: tf.TensorInfo | tf.TensorInfo[]; native: boolean }): tf.KernelFunc {
  return ((args: KernelArgs) => {
    if (!profiling()) return kernel(args).res;
    return profileKernel(name, () => kernel(args), () => (args.backend as unknown as NativeBackend).drain?.());
  }) as unknown as tf.KernelFunc;
}

function wrapNative(name: string, impl: NativeImpl, fallback: tf.KernelFunc | undefined): tf.KernelFunc {
  return profiled(name, (args: KernelArgs) => {
    const res = impl(args.inputs as KernelInputs, args.backend, args.attrs ?? {});
    if (res !== null) {
      if (counting) stats.native[name] = (stats.native[name] ?? 0) + 1;
      return { res, native: true };
    }
    if (counting) stats.fallback[name] = (stats.fallback[name] ?? 0) + 1;
    if (!fallback) throw new Error(`${name} (native): these inputs are not supported and the cpu backend has no such kernel`);
    args.backend.expose(inputList(args));
    return { res: fallback(args as unknown as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo | tf.TensorInfo[], native: false };
  });
}

function wrapCpu(cfg: tf.KernelConfig): tf.KernelFunc {
  const f = cfg.kernelFunc;
  const run = (args: KernelArgs) => f(args as unknown as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo | tf.TensorInfo[];
  if (NO_READ_CPU_KERNELS.has(cfg.kernelName)) return profiled(cfg.kernelName, (args) => ({ res: run(args), native: false }));
  return profiled(cfg.kernelName, (args: KernelArgs) => {
    args.backend.expose(inputList(args));
    return { res: run(args), native: false };
  });
}

/**
 * Registers, for backend `backendName`, a copy of every kernel of the 'cpu' backend, with the
 * kernels of `NATIVE_KERNELS` replaced by their native versions (falling back to the CPU
 * kernel). Kernels already registered for `backendName` are replaced. Returns the names of the
 * kernels that got a native implementation.
 */
export function registerNativeKernels(backendName: string): string[] {
  const cpu = tf.getKernelsForBackend('cpu');
  const nativeNames: string[] = [];
  const seen = new Set<string>();
  for (const cfg of cpu) {
    seen.add(cfg.kernelName);
    const impl = NATIVE_KERNELS[cfg.kernelName];
    if (tf.getKernel(cfg.kernelName, backendName)) tf.unregisterKernel(cfg.kernelName, backendName);
    if (impl) {
      tf.registerKernel({ kernelName: cfg.kernelName, backendName, kernelFunc: wrapNative(cfg.kernelName, impl, cfg.kernelFunc) });
      nativeNames.push(cfg.kernelName);
    } else {
      tf.registerKernel({ ...cfg, backendName, kernelFunc: wrapCpu(cfg) });
    }
  }
  for (const [name, impl] of Object.entries(NATIVE_KERNELS)) {
    if (seen.has(name)) continue;
    if (tf.getKernel(name, backendName)) tf.unregisterKernel(name, backendName);
    tf.registerKernel({ kernelName: name, backendName, kernelFunc: wrapNative(name, impl, undefined) });
    nativeNames.push(name);
  }
  return nativeNames.sort();
}
