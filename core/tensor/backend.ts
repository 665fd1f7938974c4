/**
 * Runtime choice of the TensorFlow.js backend (notes/backend.md §1, §2.6):
 * @tensorflow/tfjs-node-gpu → @tensorflow/tfjs-node → wasm (with the lensforge conv-training
 * kernels) → cpu. The native packages are optionalDependencies that cannot be installed offline,
 * so they are imported dynamically with a variable specifier and ANY import error is caught
 * (absent package: ERR_MODULE_NOT_FOUND; package installed with --ignore-scripts: a plain Error
 * without a code).
 */
import * as tf from '@tensorflow/tfjs';
import { availableParallelism } from 'node:os';
import { prepareWasmBackend } from './wasm-kernels.js';
import { wasmPackage } from './wasm-package.js';
import { registerNativeBackend } from './native/index.js';

/** What a config or CLI may ask for. 'auto' tries gpu, node, wasm, cpu in that order. */
export type BackendRequest = 'auto' | 'gpu' | 'node' | 'native' | 'wasm' | 'cpu';
/** The candidates 'auto' tries, best first. */
export const BACKEND_ORDER = ['gpu', 'node', 'native', 'wasm', 'cpu'] as const;
export type BackendKind = (typeof BACKEND_ORDER)[number];
const REQUESTS: readonly BackendRequest[] = ['auto', ...BACKEND_ORDER];

/** Result of `selectBackend`. */
export interface BackendSelection {
  /** tfjs backend name now active (`tf.getBackend()`). */
  name: 'tensorflow' | 'native' | 'wasm' | 'cpu';
  /** Which candidate provided it. */
  kind: BackendKind;
  /** npm package that provides it, for the native backends. */
  package?: string;
  /** One line per candidate that was skipped or per override applied, in order. */
  notes: string[];
}

export interface SelectBackendOptions {
  /** Receives the same lines as `notes`, plus the final choice. Default: silent. */
  log?: (message: string) => void;
  /** Module loader for the native packages; tests inject fakes. Default: `(s) => import(s)`. */
  importer?: (specifier: string) => Promise<unknown>;
  /** Registers the optional oneDNN 'native' backend; tests inject fakes. Default: `registerNativeBackend`. */
  registerNative?: () => Promise<{ ok: boolean; reason?: string }>;
  /** Environment to read LENSFORGE_BACKEND from. Default: process.env. */
  env?: Record<string, string | undefined>;
}

/** Environment variable that overrides the requested backend (e.g. LENSFORGE_BACKEND=cpu in CI). */
export const BACKEND_ENV_VAR = 'LENSFORGE_BACKEND';

const NATIVE: Record<'gpu' | 'node', { pkg: string; needs: string }> = {
  gpu: { pkg: '@tensorflow/tfjs-node-gpu', needs: 'needs internet access to download libtensorflow, and CUDA 11.2/cuDNN 8.1' },
  node: { pkg: '@tensorflow/tfjs-node', needs: 'needs internet access to download libtensorflow' },
};

/** What to install for the lensforge oneDNN addon (same line as the install step prints). */
export const NATIVE_INSTALL_LINE =
  'sudo apt-get install -y libdnnl-dev g++ make python3 (Debian/Ubuntu) or brew install onednn (macOS), then npm run build:native';

/** The command (with its requirements) that makes candidate `kind` available. */
export function installHint(kind: BackendKind): string {
  const v = tf.version_core;
  if (kind === 'gpu' || kind === 'node') return `npm install ${NATIVE[kind].pkg}@${v} (${NATIVE[kind].needs})`;
  if (kind === 'native') return `${NATIVE_INSTALL_LINE} (the lensforge oneDNN addon)`;
  if (kind === 'wasm') return `npm install @tensorflow/tfjs-backend-wasm@${v}`;
  return `npm install @tensorflow/tfjs@${v} (the cpu backend ships with it)`;
}

function firstLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.split('\n')[0].trim() || (e instanceof Error ? e.name : 'unknown error');
}

function parseRequest(value: unknown, field: string): BackendRequest {
  const v = typeof value === 'string' ? value.trim().toLowerCase() : value;
  if (typeof v !== 'string' || !(REQUESTS as readonly string[]).includes(v)) {
    throw new Error(`${field}: expected one of ${REQUESTS.join(', ')}, got ${JSON.stringify(value)}`);
  }
  return v as BackendRequest;
}

async function trySetBackend(name: string): Promise<string | null> {
  try {
    return (await tf.setBackend(name)) ? null : `tf.setBackend('${name}') failed to initialise it`;
  } catch (e) {
    return `tf.setBackend('${name}') threw: ${firstLine(e)}`;
  }
}

/** Tries one candidate; returns null on success or the reason it is unusable. */
async function tryKind(kind: BackendKind, importer: (s: string) => Promise<unknown>, registerNative: () => Promise<{ ok: boolean; reason?: string }>): Promise<string | null> {
  if (kind === 'gpu' || kind === 'node') {
    const { pkg } = NATIVE[kind];
    try {
      await importer(pkg);
    } catch (e) {
      return `${pkg} could not be loaded: ${firstLine(e)}`;
    }
    if (tf.findBackendFactory('tensorflow') == null) {
      return `${pkg} loaded but registered no 'tensorflow' backend with this copy of @tensorflow/tfjs-core ` +
        `(pin every @tensorflow/* package to exactly ${tf.version_core} so that one tfjs-core is shared)`;
    }
    const failed = await trySetBackend('tensorflow');
    return failed ? `${pkg}: ${failed}` : null;
  }
  if (kind === 'native') {
    const r = await registerNative();
    if (!r.ok) return r.reason ?? 'the native addon is not available';
    return trySetBackend('native');
  }
  if (kind === 'wasm') {
    try {
      prepareWasmBackend();
    } catch (e) {
      return `@tensorflow/tfjs-backend-wasm could not be prepared: ${firstLine(e)}`;
    }
  }
  return trySetBackend(kind);
}

/**
 * Tries to activate candidate `kind` alone (no LENSFORGE_BACKEND override, no fallback) and
 * returns null when it works (it is then the active backend) or the one-line reason it is
 * unusable. For `lensforge doctor`, which reports on the candidates `auto` did not try.
 */
export async function probeBackend(kind: BackendKind, opts: Pick<SelectBackendOptions, 'importer' | 'registerNative'> = {}): Promise<string | null> {
  return tryKind(kind, opts.importer ?? ((s: string) => import(s)), opts.registerNative ?? (() => registerNativeBackend()));
}

const NAME: Record<BackendKind, BackendSelection['name']> = { gpu: 'tensorflow', node: 'tensorflow', native: 'native', wasm: 'wasm', cpu: 'cpu' };

/**
 * Activates the best available tfjs backend and returns what was chosen and why.
 * Input: `request` ('auto' tries gpu → node → native → wasm → cpu; any other value only that one);
 * the environment variable LENSFORGE_BACKEND, when set, overrides `request`.
 * 'wasm' gets the lensforge conv-training kernels registered before `tf.setBackend('wasm')`.
 * Throws, for an explicit request that cannot be satisfied, an Error that gives the first line
 * of the import/initialisation error and the command to install it; for 'auto' it throws only
 * if even 'cpu' fails. On failure the previously active backend (if any) is restored.
 */
export async function selectBackend(request: BackendRequest = 'auto', opts: SelectBackendOptions = {}): Promise<BackendSelection> {
  const log = opts.log ?? (() => {});
  const importer = opts.importer ?? ((s: string) => import(s));
  const env = opts.env ?? process.env;
  const notes: string[] = [];
  const note = (m: string): void => { notes.push(m); log(m); };

  let effective = parseRequest(request, 'backend');
  const override = env[BACKEND_ENV_VAR];
  if (override !== undefined && override.trim() !== '') {
    const o = parseRequest(override, BACKEND_ENV_VAR);
    if (o !== effective) note(`${BACKEND_ENV_VAR}=${o} overrides the requested backend '${effective}'`);
    effective = o;
  }

  const previous = tf.engine().backendName ?? null;
  const candidates: readonly BackendKind[] = effective === 'auto' ? BACKEND_ORDER : [effective];
  for (const kind of candidates) {
    const reason = await tryKind(kind, importer, opts.registerNative ?? (() => registerNativeBackend()));
    if (reason === null) {
      const sel: BackendSelection = { name: NAME[kind], kind, notes };
      if (kind === 'gpu' || kind === 'node') sel.package = NATIVE[kind].pkg;
      log(`tfjs backend: ${sel.name} (${kind}${sel.package ? `, ${sel.package}` : ''})`);
      return sel;
    }
    if (effective !== 'auto') {
      if (previous && previous !== tf.engine().backendName) await trySetBackend(previous);
      throw new Error(`backend '${kind}' is not available: ${reason}. To use it: ${installHint(kind)}`);
    }
    note(`${kind}: ${reason}`);
  }
  if (previous) await trySetBackend(previous);
  throw new Error(`no usable tfjs backend among ${candidates.join(', ')}: ${notes.join('; ')}`);
}

/** Facts about the active backend, for `lensforge doctor`. */
export interface BackendInfo {
  /** `tf.getBackend()`, or null when no backend has been initialised yet. */
  backend: string | null;
  /** Compute threads: wasm's XNNPACK thread count (1 in Node), 1 for cpu, the core count for tensorflow. */
  threads: number;
  /** WASM_HAS_SIMD_SUPPORT for wasm; null for other backends. */
  simd: boolean | null;
  versions: { node: string; tfjs: string };
}

/**
 * Describes the active backend without changing it (never initialises a backend).
 * threads: wasm → `getThreadsCount()` of @tensorflow/tfjs-backend-wasm (1 if unavailable);
 * cpu → 1; tensorflow → os.availableParallelism() (libtensorflow's default intra-op pool).
 */
export function backendInfo(): BackendInfo {
  const backend = tf.engine().backendName ?? null;
  let threads = 1;
  let simd: boolean | null = null;
  if (backend === 'wasm') {
    try {
      threads = typeof wasmPackage.getThreadsCount === 'function' ? wasmPackage.getThreadsCount() : 1;
    } catch {
      threads = 1;
    }
    try {
      simd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT');
    } catch {
      simd = null; // flag not evaluated yet (async flag; evaluated when wasm initialises)
    }
  } else if (backend === 'tensorflow' || backend === 'native') {
    threads = availableParallelism();
  }
  return { backend, threads, simd, versions: { node: process.versions.node, tfjs: tf.version.tfjs } };
}
