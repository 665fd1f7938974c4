/**
 * The single place that loads `@tensorflow/tfjs-backend-wasm` (tfjs 4.22.0) into the process.
 *
 * Side effects at import, both through public tfjs APIs only:
 * - the package registers the 'wasm' backend at priority 2, above 'cpu', which makes any tfjs op
 *   that runs before `await tf.setBackend(...)` throw "backend 'wasm' has not yet been
 *   initialized" (notes/backend.md §2.1). While wasm is not initialised we re-register its
 *   factory at priority 0, so importing lensforge never changes tfjs's default backend; wasm is
 *   used when selected explicitly (`selectBackend`, `withBackend`, `tf.setBackend('wasm')`).
 */
import * as tf from '@tensorflow/tfjs';
import * as wasmPkg from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import { dirname, sep } from 'node:path';

/** Priority given to the wasm backend factory (cpu is 1, tfjs-node's 'tensorflow' is 3). */
export const WASM_BACKEND_PRIORITY = 0;

/**
 * True once the wasm backend has been initialised (or is being initialised). Reads the engine's
 * registry instead of calling `tf.findBackend`, which would start the initialisation itself.
 */
export function wasmInitialised(): boolean {
  return 'wasm' in tf.engine().registry || tf.engine().backendName === 'wasm';
}

function demoteWasmPriority(): void {
  if (wasmInitialised()) return;
  const factory = tf.findBackendFactory('wasm');
  if (factory == null) return;
  tf.removeBackend('wasm');
  tf.registerBackend('wasm', factory, WASM_BACKEND_PRIORITY);
}
demoteWasmPriority();

/** The re-exported package namespace (getThreadsCount, setWasmPaths, version_wasm, …). */
export const wasmPackage = wasmPkg;

/**
 * Absolute directory (with trailing separator) holding the package's `.wasm` binaries,
 * resolved from this module with `createRequire(import.meta.url).resolve`.
 */
export function wasmDistDir(): string {
  const main = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm');
  return dirname(main) + sep;
}

let pathsSet = false;

/**
 * Points the wasm backend at its bundled binaries (offline; no fetch). Idempotent; a no-op once
 * the wasm backend is initialised (tfjs reads the paths only at initialisation).
 */
export function ensureWasmPaths(): void {
  if (pathsSet || wasmInitialised()) return;
  wasmPkg.setWasmPaths(wasmDistDir());
  pathsSet = true;
}
