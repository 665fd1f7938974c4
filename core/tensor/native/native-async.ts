/**
 * Asynchronous use of the native addon: kernels are queued on the addon's worker thread
 * (src/executor.h) and return at once, so the JavaScript thread — TF.js's engine bookkeeping,
 * about half of a training step — runs ahead on one core while the kernels compute on the other.
 *
 * Hazards are handled here, on the JavaScript side:
 * - read-after-write: JavaScript that reads an array (readSync, a CPU kernel, a JS fast path)
 *   first waits for the task that produced it (`waitRead`);
 * - write-after-read: tasks run in FIFO order, so a buffer recycled into a later kernel's output
 *   is safe; JavaScript that writes into a recycled buffer first checks `idle`;
 * - lifetime: every array passed to a queued task is kept referenced until that task has run,
 *   so the garbage collector cannot free memory the worker still uses.
 * Errors of queued tasks are thrown by the next wait.
 */
import type { NativeAddon } from './native-addon.js';

/** Index of the argument(s) each addon function writes (all other typed arrays are read). */
const OUTPUTS: Partial<Record<keyof NativeAddon, number[]>> = {
  conv2d: [4], conv2dBackpropInput: [3], conv2dBackpropFilter: [3], matmul: [4], unary: [2], binary: [3], compare: [3],
  stridedCopy: [1], toFloat: [1], fill: [0], reduce: [2], batchNorm: [1], batchNormGrad: [7, 8, 9, 10, 11], batchNormTrain: [1, 6, 7], batchNormTrainGrad: [9, 10, 11], reluGrad: [2], scaledProduct: [2],
  resizeNearest: [2], resizeNearestGrad: [2], pool: [3], maxPoolGrad: [3], avgPoolGrad: [2],
};

/** Raw addon functions of async mode (not part of the synchronous interface). */
interface AsyncControl {
  setAsync(on: boolean, threads: number): void;
  wait(seq: number): void;
  completed(): number;
}

/** The addon with queued kernels plus the waits that make JavaScript access safe. */
export interface AsyncAddon extends NativeAddon {
  /** Waits until the task that last wrote `values` has run (no-op for other values). */
  waitRead(values: unknown): void;
  /** True when no queued task reads or writes `values` any more (JavaScript may write it). */
  idle(values: unknown): boolean;
  /** True when the task that last wrote `values` has run (JavaScript may read it). */
  readable(values: unknown): boolean;
  /** Waits for every queued task. */
  drain(): void;
  /** Leaves async mode (drains first). */
  stop(): void;
}

/**
 * Switches `raw` to async mode with `threads` OpenMP threads for the worker and returns the
 * wrapped addon. Registers a process 'exit' hook that drains the queue.
 */
export function makeAsyncAddon(raw: NativeAddon, threads: number): AsyncAddon {
  const ctl = raw as unknown as AsyncControl;
  ctl.setAsync(true, threads);
  const produced = new WeakMap<ArrayBufferView, number>();
  const used = new WeakMap<ArrayBufferView, number>();
  const keep: { seq: number; arrays: ArrayBufferView[] }[] = [];
  let done = 0;
  let last = 0;

  const refresh = (): number => {
    done = ctl.completed();
    let i = 0;
    while (i < keep.length && keep[i].seq <= done) i++;
    if (i > 0) keep.splice(0, i);
    return done;
  };
  const waitSeq = (seq: number): void => {
    if (seq <= done) return;
    ctl.wait(seq);
    refresh();
  };

  const wrapped: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(raw as unknown as Record<string, unknown>)) {
    if (typeof fn !== 'function') continue;
    const outs = OUTPUTS[name as keyof NativeAddon];
    if (!outs) {
      // Control functions (setThreads, info, clearCache) run on the worker and wait inside.
      wrapped[name] = fn;
      continue;
    }
    wrapped[name] = (...args: unknown[]): void => {
      const seq = (fn as (...a: unknown[]) => number)(...args);
      if (!(seq > 0)) return; // ran inline (nothing to wait for)
      last = seq;
      const arrays: ArrayBufferView[] = [];
      args.forEach((a, i) => {
        if (!(a instanceof Float32Array || a instanceof Uint8Array || a instanceof Int32Array)) return;
        arrays.push(a);
        used.set(a, seq);
        if (outs.includes(i)) produced.set(a, seq);
      });
      keep.push({ seq, arrays });
      if (keep.length > 256) refresh();
    };
  }

  const api: AsyncAddon = Object.assign(wrapped as unknown as NativeAddon, {
    waitRead(values: unknown): void {
      if (ArrayBuffer.isView(values)) waitSeq(produced.get(values) ?? 0);
    },
    idle(values: unknown): boolean {
      if (!ArrayBuffer.isView(values)) return true;
      const s = used.get(values) ?? 0;
      return s <= done || s <= refresh();
    },
    readable(values: unknown): boolean {
      if (!ArrayBuffer.isView(values)) return true;
      const s = produced.get(values) ?? 0;
      return s <= done || s <= refresh();
    },
    drain(): void { waitSeq(last); },
    stop(): void { ctl.setAsync(false, threads); refresh(); keep.length = 0; },
  });
  if (!exitHooked) {
    exitHooked = true;
    // Let queued kernels finish before the process tears down oneDNN's static state.
    process.once('exit', () => { try { ctl.setAsync(false, 1); } catch { /* exiting anyway */ } });
  }
  return api;
}

let exitHooked = false;
