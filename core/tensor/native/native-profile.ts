/**
 * Per-kernel profiler of the native backend (issue 15): wall time per TF.js kernel name and
 * training phase, native vs cpu-fallback executions, tensors allocated, and the time spent
 * outside kernels (TF.js engine bookkeeping, gradient functions, optimizer JavaScript).
 *
 * Enabled by `startNativeProfile()` or, for a whole process, by LENSFORGE_NATIVE_PROFILE=1 (the
 * table is then printed to stderr at exit). While it runs, every kernel waits for its queued
 * native work (async mode, native-async.ts) before its time is taken, so each kernel's cost is
 * attributed to it; this removes the JavaScript/kernel overlap of async mode, so a profiled step
 * is slower than an unprofiled one (report the unprofiled ms/step next to the table).
 *
 * Phases come from tfjs-core's engine state: 'fwd' while a gradient tape records (the forward
 * pass of minimize/grad), 'bwd' while the recorded tape is back-propagated, 'other' otherwise
 * (optimizer updates, data preparation, inference).
 */
import * as tf from '@tensorflow/tfjs';

/** Environment variable: '1' profiles the whole process and prints the table at exit. */
export const NATIVE_PROFILE_ENV_VAR = 'LENSFORGE_NATIVE_PROFILE';

export type ProfilePhase = 'fwd' | 'bwd' | 'other';

/** Aggregate of one (kernel, phase) pair. */
export interface ProfileEntry {
  kernel: string;
  phase: ProfilePhase;
  calls: number;
  /** Calls that ran the native implementation (the rest ran the cpu kernel). */
  native: number;
  /** Wall ms inside the kernel, excluding nested kernels. */
  ms: number;
  /** Output tensors created. */
  outputs: number;
  /** Output bytes created. */
  bytes: number;
}

/** Result of one profiling window. */
export interface NativeProfile {
  /** Wall ms from start to stop. */
  wallMs: number;
  /** Sum of all kernel times. */
  kernelMs: number;
  /** wallMs - kernelMs: engine, gradient functions and other JavaScript. */
  outsideMs: number;
  /** Steps the window is divided by in the table (set by the caller; default 1). */
  steps: number;
  /** Kernel outputs created in the window. */
  tensorsCreated: number;
  /** tf.memory().numTensors at stop minus at start (0 when nothing leaks). */
  tensorDelta: number;
  entries: ProfileEntry[];
}

interface Recorder {
  t0: number;
  startTensors: number;
  map: Map<string, ProfileEntry>;
  /** Child time accumulated for the kernels on the call stack. */
  stack: number[];
}

let rec: Recorder | null = null;

/** True while a profiling window is open (the backend then times every kernel). */
export function profiling(): boolean {
  return rec !== null;
}

/** Opens a profiling window (replaces any open one). */
export function startNativeProfile(): void {
  rec = { t0: performance.now(), startTensors: tf.memory().numTensors, map: new Map(), stack: [] };
}

/** Closes the window and returns its figures (null when none was open). `steps` divides the table. */
export function stopNativeProfile(steps = 1): NativeProfile | null {
  const r = rec;
  if (!r) return null;
  rec = null;
  const wallMs = performance.now() - r.t0;
  const entries = [...r.map.values()].sort((a, b) => b.ms - a.ms);
  const kernelMs = entries.reduce((a, e) => a + e.ms, 0);
  return {
    wallMs, kernelMs, outsideMs: wallMs - kernelMs, steps, entries,
    tensorsCreated: entries.reduce((a, e) => a + e.outputs, 0),
    tensorDelta: tf.memory().numTensors - r.startTensors,
  };
}

function phaseNow(): ProfilePhase {
  const state = (tf.engine() as unknown as { state?: { gradientDepth?: number; activeTape?: unknown[] | null } }).state;
  if ((state?.gradientDepth ?? 0) > 0) return 'fwd';
  return state?.activeTape != null ? 'bwd' : 'other';
}

/**
 * Runs `run` (one kernel execution) and records it; `settle` waits for its queued native work.
 * Used by native-backend.ts around every registered kernel while profiling() is true.
 */
export function profileKernel<T extends tf.TensorInfo | tf.TensorInfo[]>(name: string, run: () => { res: T; native: boolean }, settle: () => void): T {
  const r = rec!;
  const phase = phaseNow();
  r.stack.push(0);
  const t0 = performance.now();
  let out: { res: T; native: boolean } | undefined;
  try {
    out = run();
    settle();
  } finally {
    const dt = performance.now() - t0;
    const child = r.stack.pop()!;
    if (r.stack.length > 0) r.stack[r.stack.length - 1] += dt;
    if (rec === r) {
      const k = `${name}|${phase}`;
      let e = r.map.get(k);
      if (!e) { e = { kernel: name, phase, calls: 0, native: 0, ms: 0, outputs: 0, bytes: 0 }; r.map.set(k, e); }
      e.calls++;
      e.ms += dt - child;
      if (out !== undefined) {
        if (out.native) e.native++;
        const list = Array.isArray(out.res) ? out.res : [out.res];
        for (const t of list) {
          e.outputs++;
          e.bytes += (t.shape as number[]).reduce((a: number, b: number) => a * b, 1) * (t.dtype === 'float32' || t.dtype === 'int32' ? 4 : 1);
        }
      }
    }
  }
  return out!.res;
}

/**
 * Records the deferred computation of a lazy output (NativeBackend.makeLazyOutput) as its own
 * entry, nested in (and subtracted from) the kernel that first reads it.
 */
export function profileLazy(name: string, compute: () => void, settle: () => void): void {
  if (!rec) { compute(); return; }
  profileKernel(name, () => { compute(); return { res: [] as tf.TensorInfo[], native: true }; }, settle);
}

const f = (v: number, d = 1): string => v.toFixed(d);

/** The profile as a Markdown table (per step), `top` rows by time plus a summary. */
export function formatNativeProfile(p: NativeProfile, top = 40): string {
  const s = Math.max(1, p.steps);
  const head = ['kernel', 'phase', 'calls/step', 'native %', 'ms/step', '% of step', 'MB out/step'];
  const rows = p.entries.slice(0, top).map((e) => [e.kernel, e.phase, f(e.calls / s), f((100 * e.native) / e.calls, 0),
    f(e.ms / s, 2), f((100 * e.ms) / p.wallMs), f(e.bytes / s / 2 ** 20)]);
  const rest = p.entries.slice(top);
  if (rest.length > 0) {
    const ms = rest.reduce((a, e) => a + e.ms, 0);
    rows.push([`(${rest.length} more)`, '', f(rest.reduce((a, e) => a + e.calls, 0) / s), '', f(ms / s, 2), f((100 * ms) / p.wallMs), '']);
  }
  const byPhase = (ph: ProfilePhase) => p.entries.filter((e) => e.phase === ph).reduce((a, e) => a + e.ms, 0) / s;
  const fallbacks = p.entries.filter((e) => e.native < e.calls && e.kernel !== 'Reshape' && e.kernel !== 'Identity');
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (c: string[]) => '| ' + c.map((x, i) => x.padEnd(w[i])).join(' | ') + ' |';
  return [
    line(head), '|' + w.map((n) => '-'.repeat(n + 2)).join('|') + '|', ...rows.map(line),
    `per step: wall ${f(p.wallMs / s)} ms = kernels ${f(p.kernelMs / s)} ms (fwd ${f(byPhase('fwd'))}, bwd ${f(byPhase('bwd'))}, ` +
      `other ${f(byPhase('other'))}) + outside kernels ${f(p.outsideMs / s)} ms; ${f(p.tensorsCreated / s, 0)} kernel outputs/step; ` +
      `tensor count change over the window ${p.tensorDelta}`,
    `cpu-kernel executions: ${fallbacks.length === 0 ? 'none' : fallbacks.map((e) => `${e.kernel}/${e.phase} ${f((e.calls - e.native) / s)}`).join(', ')}`,
  ].join('\n');
}

let exitHooked = false;

/** Starts a process-wide window when LENSFORGE_NATIVE_PROFILE=1 and prints it at exit. */
export function profileFromEnv(env: Record<string, string | undefined> = process.env): boolean {
  const v = env[NATIVE_PROFILE_ENV_VAR]?.trim();
  if (v === undefined || v === '' || v === '0') return false;
  if (v !== '1') throw new Error(`${NATIVE_PROFILE_ENV_VAR}: expected '0' or '1', got ${JSON.stringify(v)}`);
  if (!rec) startNativeProfile();
  if (!exitHooked) {
    exitHooked = true;
    process.once('exit', () => {
      const p = stopNativeProfile();
      if (p) process.stderr.write(`lensforge native profile (${NATIVE_PROFILE_ENV_VAR}=1, whole process):\n${formatNativeProfile(p)}\n`);
    });
  }
  return true;
}

/** Runs `step` `n` times inside a profiling window and returns the profile (per step). */
export function profileSteps(step: () => void, n: number): NativeProfile {
  const outer = rec;
  startNativeProfile();
  try {
    for (let i = 0; i < n; i++) step();
    return stopNativeProfile(n)!;
  } finally {
    rec = outer;
  }
}
