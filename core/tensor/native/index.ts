/**
 * Optional fast CPU path for TF.js training (issue 8): the 'native' backend = tfjs-backend-cpu's
 * storage and kernels, with convolutions, matmuls, batch norm, pooling, reductions, broadcasting
 * elementwise ops and data movement running in a Node addon over oneDNN (Debian `libdnnl-dev`)
 * on all cores. Plugins keep using the TF.js API; only `tf.setBackend('native')` changes.
 *
 * Usage (what selectBackend does for the 'native' candidate):
 *   const r = await registerNativeBackend();          // never throws
 *   if (r.ok) await tf.setBackend('native'); else log(r.reason);
 * Build: `npm ci` builds it where oneDNN is installed (`apt-get install -y libdnnl-dev g++ make python3`), or `npm run build:native`
 * (= `node-gyp rebuild -C core/tensor/native`, output in core/tensor/native/build/).
 */
import * as tf from '@tensorflow/tfjs';
import { availableParallelism, totalmem } from 'node:os';
import { defaultAddonPath, loadNativeAddon, type NativeAddonInfo } from './native-addon.js';
import { NativeBackend, registerNativeKernels } from './native-backend.js';
import { installNativeGradients } from './native-gradients.js';
import { profileFromEnv } from './native-profile.js';

export { NATIVE_BUILD_HINT, NATIVE_ADDON_ENV_VAR, defaultAddonPath, loadNativeAddon, nativeBuildStatusPath, readNativeBuildStatus } from './native-addon.js';
export type { NativeAddon, NativeAddonInfo, NativeBuildStatus } from './native-addon.js';
export { NativeBackend, NATIVE_KERNELS, nativeKernelStats, registerNativeKernels } from './native-backend.js';
export { installNativeGradients } from './native-gradients.js';
export { BATCH_NORM_TRAIN, BATCH_NORM_TRAIN_GRAD, batchNormTrain, batchNormTrainingAvailable } from './batch-norm-train.js';
export { NATIVE_PROFILE_ENV_VAR, formatNativeProfile, profileSteps, startNativeProfile, stopNativeProfile } from './native-profile.js';
export type { NativeProfile, ProfileEntry, ProfilePhase } from './native-profile.js';

/** Environment variable with the OpenMP thread count for the native kernels. */
export const NATIVE_THREADS_ENV_VAR = 'LENSFORGE_NATIVE_THREADS';
/** Environment variable: '1' queues kernels on a worker thread, '0' runs them inline. */
export const NATIVE_ASYNC_ENV_VAR = 'LENSFORGE_NATIVE_ASYNC';
/** Environment variable with the storage-pool budget in MiB (see buffer-pool.ts). */
export const NATIVE_POOL_ENV_VAR = 'LENSFORGE_NATIVE_POOL_MB';
/**
 * Default storage-pool budget: half of the machine's memory, at most 16 GiB (12 GiB on a 24 GiB
 * machine). The pool only holds storage freed during a step for reuse in the next, so it never
 * grows past one step's transient working set: a few hundred MiB for the quick presets. The
 * paper-size (256²) GAN needs more than 6 GiB; with 1 GiB its step spent half its time in the
 * kernel zeroing fresh pages (24.8 s vs 11.2 s per step at batch 2, bench/gan-step.bench.ts).
 */
export const DEFAULT_POOL_MB = Math.max(256, Math.min(16384, Math.floor(totalmem() / 2 / 2 ** 20)));

export interface RegisterNativeOptions {
  /** Addon file; default $LENSFORGE_NATIVE_ADDON or core/tensor/native/build/Release/lensforge_native.node. */
  addonPath?: string;
  /** Compute threads (>= 1); default $LENSFORGE_NATIVE_THREADS, else os.availableParallelism(). */
  threads?: number;
  /**
   * MiB of freed tensor storage kept for reuse (recycling avoids a page fault per 4 KiB of every
   * new output); default $LENSFORGE_NATIVE_POOL_MB, else DEFAULT_POOL_MB. 0 disables recycling.
   */
  poolMb?: number;
  /**
   * Queue kernels on a worker thread so that TF.js's JavaScript overlaps with them
   * (native-async.ts); default $LENSFORGE_NATIVE_ASYNC ('1'/'0'), else true when threads >= 2.
   */
  async?: boolean;
  /** TF.js backend name to register; default 'native'. */
  name?: string;
  /** TF.js registry priority; default 0 (never chosen implicitly; call tf.setBackend). */
  priority?: number;
  /**
   * Replace the tfjs-core gradients of FusedBatchNorm, Mean, Sum, Relu, LeakyRelu and Square by fused
   * native kernels while this backend is active (other backends keep the originals); default true.
   */
  fusedGradients?: boolean;
  /** Environment to read the variables from; default process.env. */
  env?: Record<string, string | undefined>;
}

/** Outcome of `registerNativeBackend`. */
export interface NativeRegistration {
  /** True when the backend is registered and can be activated with tf.setBackend(name). */
  ok: boolean;
  /** Why it is unavailable (ok false): missing build, missing library, failed self-test. */
  reason?: string;
  /** Backend name ('native' unless overridden). */
  name: string;
  /** Addon file that was (or would have been) loaded. */
  path: string;
  /** Threads in use (ok true). */
  threads?: number;
  /** Whether kernels are queued on a worker thread (ok true). */
  async?: boolean;
  /** Kernels with a native implementation (ok true). */
  kernels?: string[];
  /** oneDNN version, ISA and cache facts (ok true). */
  info?: NativeAddonInfo;
}

const registered = new Map<string, NativeRegistration>();

function parseThreads(v: unknown, field: string): number {
  const n = typeof v === 'string' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) {
    throw new Error(`${field}: expected an integer >= 1, got ${JSON.stringify(v)}`);
  }
  return n;
}

function parseMb(v: unknown, field: string): number {
  const n = typeof v === 'string' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) {
    throw new Error(`${field}: expected a number of MiB >= 0, got ${JSON.stringify(v)}`);
  }
  return n;
}

/**
 * Loads the addon, self-tests it on a tiny convolution and registers the TF.js backend
 * `opts.name` ('native') with every cpu kernel plus the native ones. Does not activate it.
 * Never throws for an unavailable addon: returns `{ok: false, reason}` naming the file and the
 * command that fixes it. Throws only for invalid options (e.g. `threads: 0`). Idempotent: a
 * second call returns the first result (the thread count is updated if given).
 */
export async function registerNativeBackend(opts: RegisterNativeOptions = {}): Promise<NativeRegistration> {
  const env = opts.env ?? process.env;
  const name = opts.name ?? 'native';
  const envThreads = env[NATIVE_THREADS_ENV_VAR];
  const threads = opts.threads !== undefined ? parseThreads(opts.threads, 'threads')
    : envThreads !== undefined && envThreads.trim() !== '' ? parseThreads(envThreads, NATIVE_THREADS_ENV_VAR)
      : availableParallelism();
  const envPool = env[NATIVE_POOL_ENV_VAR];
  const poolMb = opts.poolMb !== undefined ? parseMb(opts.poolMb, 'poolMb')
    : envPool !== undefined && envPool.trim() !== '' ? parseMb(envPool, NATIVE_POOL_ENV_VAR) : DEFAULT_POOL_MB;
  const envAsync = env[NATIVE_ASYNC_ENV_VAR];
  if (envAsync !== undefined && envAsync.trim() !== '' && !['0', '1'].includes(envAsync.trim())) {
    throw new Error(`${NATIVE_ASYNC_ENV_VAR}: expected '0' or '1', got ${JSON.stringify(envAsync)}`);
  }
  const async = opts.async ?? (envAsync !== undefined && envAsync.trim() !== '' ? envAsync.trim() === '1' : threads >= 2);
  const prev = registered.get(name);
  if (prev?.ok && tf.findBackendFactory(name) != null) {
    const backend = tf.engine().registry[name] as NativeBackend | undefined;
    if (opts.threads !== undefined && backend?.addon) backend.addon.setThreads(backend.isAsync ? Math.max(1, threads - 1) : threads);
    return { ...prev, threads: opts.threads !== undefined ? threads : prev.threads };
  }
  const path = opts.addonPath ?? defaultAddonPath(env);
  const load = loadNativeAddon(path);
  if (!load.ok) return { ok: false, reason: load.reason, name, path };
  const addon = load.addon;
  try {
    addon.setThreads(threads);
    selfTest(addon);
  } catch (e) {
    return { ok: false, name, path, reason: `native addon ${path} loaded but its self-test failed: ${(e as Error).message.split('\n')[0]}` };
  }
  if (tf.findBackendFactory(name) != null) {
    return { ok: false, name, path, reason: `a TF.js backend named '${name}' is already registered by someone else` };
  }
  const kernels = registerNativeKernels(name);
  tf.registerBackend(name, () => new NativeBackend(addon, poolMb * 2 ** 20, threads, async), opts.priority ?? 0);
  if (opts.fusedGradients ?? true) installNativeGradients(() => tf.getBackend() === name);
  profileFromEnv(env);
  const res: NativeRegistration = { ok: true, name, path, threads, async, kernels, info: addon.info() };
  registered.set(name, res);
  return res;
}

/** 3x3 'same' convolution of a 1x3x3x1 ramp with a ones filter: the centre must be 36. */
function selfTest(addon: import('./native-addon.js').NativeAddon): void {
  const x = Float32Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8]);
  const w = new Float32Array(9).fill(1);
  const y = new Float32Array(9);
  addon.conv2d(Int32Array.from([1, 3, 3, 1, 3, 3, 1, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1]), x, w, null, y, 0, 0);
  if (Math.abs(y[4] - 36) > 1e-4 || Math.abs(y[0] - 8) > 1e-4) {
    throw new Error(`conv2d returned [${Array.from(y).join(', ')}], expected centre 36 and corner 8`);
  }
}
