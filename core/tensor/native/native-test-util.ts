/**
 * Test support for the native kernels (used by the *.test.ts files beside it, not by the backend):
 * the per-run seed, the skip-if-not-built hook, running one computation on the 'cpu' and
 * 'native' backends and the error metric.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../rng.js';
import { withBackend } from '../with-backend.js';
import { registerNativeBackend, type NativeRegistration } from './index.js';
import { nativeKernelStats, type NativeBackend, type NativeKernelStats } from './native-backend.js';
import { loadNativeAddon, type NativeAddon } from './native-addon.js';

/** Fresh every run; reproduce a failure with LENSFORGE_TEST_SEED=<seed printed in the title>. */
export const TEST_SEED = process.env.LENSFORGE_TEST_SEED !== undefined
  ? Number(process.env.LENSFORGE_TEST_SEED) : Date.now() % 1_000_000_007;

/** Relative error bound of the issue: ‖native − cpu‖₂ / ‖cpu‖₂ per output tensor. */
export const REL_TOL = 1e-4;

/** A seeded stream for one test file. */
export function testRng(name: string): Rng {
  return Rng.fromSeed(TEST_SEED).derive(name);
}

let registration: Promise<NativeRegistration> | null = null;

/** Environment variable: '1' makes the native tests fail instead of skip when the addon is unavailable (CI). */
export const REQUIRE_NATIVE_ENV_VAR = 'LENSFORGE_REQUIRE_NATIVE';

/**
 * Mocha `before` hook body: registers the native backend, or skips the suite (printing why)
 * when the addon is not built on this machine — or throws when LENSFORGE_REQUIRE_NATIVE=1.
 */
export async function requireNative(ctx: Mocha.Context): Promise<NativeRegistration> {
  registration ??= registerNativeBackend();
  const r = await registration;
  if (!r.ok && process.env[REQUIRE_NATIVE_ENV_VAR] === '1') {
    throw new Error(`${REQUIRE_NATIVE_ENV_VAR}=1 but the native addon is unavailable: ${r.reason}`);
  }
  if (!r.ok) {
    console.log(`      (native kernel tests skipped: ${r.reason})`);
    ctx.skip();
  }
  return r;
}

/** Standard normals, or uniforms in [lo, hi) when a range is given. */
export function randArray(rng: Rng, n: number, range?: [number, number]): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = range ? rng.uniform(range[0], range[1]) : rng.normal();
  return a;
}

/** ‖got − ref‖₂ / max(‖ref‖₂, 1e-30); 0 when both are empty. Throws if the lengths differ. */
export function relErr(got: ArrayLike<number>, ref: ArrayLike<number>): number {
  if (got.length !== ref.length) throw new Error(`relErr: length ${got.length} != ${ref.length}`);
  let num = 0, den = 0;
  for (let i = 0; i < ref.length; i++) {
    const d = got[i] - ref[i];
    num += d * d;
    den += ref[i] * ref[i];
  }
  if (Number.isNaN(num)) return Number.POSITIVE_INFINITY;
  return Math.sqrt(num) / Math.max(Math.sqrt(den), 1e-30);
}

/** Result of one computation on both backends. */
export interface BothResult {
  cpu: { shape: number[]; values: Float32Array }[];
  native: { shape: number[]; values: Float32Array }[];
  /** Native/fallback kernel executions during the native run. */
  stats: NativeKernelStats;
}

function collect(out: tf.Tensor | tf.Tensor[]): { shape: number[]; values: Float32Array }[] {
  const list = Array.isArray(out) ? out : [out];
  const res = list.map((t) => ({ shape: t.shape.slice(), values: Float32Array.from(t.dataSync() as Float32Array) }));
  tf.dispose(list);
  return res;
}

/** Runs `fn` (which must create its own input tensors) on 'cpu', then on 'native'. */
export async function onBoth(fn: () => tf.Tensor | tf.Tensor[]): Promise<BothResult> {
  const cpu = await withBackend('cpu', () => collect(tf.tidy(fn)));
  let stats: NativeKernelStats = { native: {}, fallback: {} };
  const nat = await withBackend('native', () => {
    nativeKernelStats(true);
    try {
      return collect(tf.tidy(fn));
    } finally {
      stats = nativeKernelStats(false);
    }
  });
  return { cpu, native: nat, stats };
}

/**
 * Asserts shapes equal and relative error <= REL_TOL for every output; `label` (with the seed)
 * goes into the failure message. Returns the largest error.
 */
export function expectClose(r: BothResult, label: string): number {
  let worst = 0;
  if (r.cpu.length !== r.native.length) throw new Error(`${label}: ${r.native.length} outputs on native, ${r.cpu.length} on cpu`);
  r.cpu.forEach((c, i) => {
    const n = r.native[i];
    if (c.shape.join() !== n.shape.join()) {
      throw new Error(`${label} (seed ${TEST_SEED}): output ${i} shape [${n.shape}] on native, [${c.shape}] on cpu`);
    }
    const e = relErr(n.values, c.values);
    worst = Math.max(worst, e);
    if (!(e <= REL_TOL)) {
      throw new Error(`${label} (seed ${TEST_SEED}): output ${i} relative error ${e.toExponential(2)} > ${REL_TOL}`);
    }
  });
  return worst;
}

/** Asserts that `kernel` ran natively (not on the CPU fallback) at least once. */
export function expectNative(r: BothResult, kernel: string, label: string): void {
  if (!((r.stats.native[kernel] ?? 0) > 0) || (r.stats.fallback[kernel] ?? 0) > 0) {
    throw new Error(`${label} (seed ${TEST_SEED}): expected ${kernel} to run natively, got native=${r.stats.native[kernel] ?? 0} ` +
      `fallback=${r.stats.fallback[kernel] ?? 0}`);
  }
}

/** Runs `fn` on the raw addon with the native backend in synchronous mode meanwhile (raw addon calls must not be queued). */
export async function withSyncAddon<T>(fn: (addon: NativeAddon) => T): Promise<T> {
  return withBackend('native', () => {
    const backend = tf.backend() as NativeBackend;
    const wasAsync = backend.isAsync;
    backend.setAsync(false);
    try {
      const load = loadNativeAddon();
      if (!load.ok) throw new Error(load.reason);
      return fn(load.addon);
    } finally {
      backend.setAsync(wasAsync);
    }
  });
}
