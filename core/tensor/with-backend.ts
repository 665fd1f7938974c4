/**
 * Test/bench helper: run `fn` with a given tfjs backend and restore the previous one afterwards,
 * so that test files sharing one mocha process do not leak backend choices into each other.
 */
import * as tf from '@tensorflow/tfjs';
import { prepareWasmBackend } from './wasm-kernels.js';

/**
 * Switches tfjs to `name` ('cpu', 'wasm', or any registered backend), awaits `fn`, then switches
 * back to the backend that was active before — or to 'cpu' when none had been initialised yet
 * (tfjs cannot "unset" a backend). For 'wasm' the binaries are located offline and the
 * lensforge training kernels are registered first. Throws when the backend cannot be
 * initialised, naming it. Returns what `fn` returns.
 */
export async function withBackend<T>(name: string, fn: () => T | Promise<T>): Promise<T> {
  const previous = tf.engine().backendName ?? null;
  await switchTo(name);
  try {
    return await fn();
  } finally {
    const back = previous ?? 'cpu';
    if (tf.getBackend() !== back) await switchTo(back);
  }
}

async function switchTo(name: string): Promise<void> {
  if (name === 'wasm') prepareWasmBackend();
  if (tf.findBackendFactory(name) == null) {
    throw new Error(`withBackend: backend '${name}' is not registered (registered: ${Object.keys(tf.engine().registryFactory).join(', ')})`);
  }
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`withBackend: backend '${name}' failed to initialise`);
}
