import type { ProgressReporter } from '../di/progress.js';
import { predictBatch, type LoadedNetwork } from './load-trained-run.js';
import type { ApplyData } from './apply-data.js';

/**
 * Run a loaded network over every image of `data` in batches of `batch` (memory: one batch of
 * images plus the [N, D] outputs), with a progress bar. Returns the outputs row by row and the
 * seconds spent reading images (loadSeconds) and running the network (computeSeconds).
 */
export function runNetwork(net: LoadedNetwork, data: ApplyData, progress: ProgressReporter, label: string, batch = 64): { values: Float32Array; dim: number; loadSeconds: number; computeSeconds: number } {
  const [h, w, c] = net.inputShape;
  const per = h * w * c;
  const task = progress.start(label, data.count);
  let out = new Float32Array(0);
  let dim = 0;
  let load = 0, compute = 0;
  try {
    for (let s = 0; s < data.count; s += batch) {
      const n = Math.min(batch, data.count - s);
      const t0 = performance.now();
      const x = new Float32Array(n * per);
      for (let i = 0; i < n; i++) x.set(data.image(s + i), i * per);
      const t1 = performance.now();
      const r = predictBatch(net.model, x, n, net.inputShape);
      const t2 = performance.now();
      load += t1 - t0;
      compute += t2 - t1;
      if (s === 0) { dim = r.dim; out = new Float32Array(data.count * dim); }
      out.set(r.values, s * dim);
      task.tick(n);
    }
  } finally { task.stop(); }
  return { values: out, dim, loadSeconds: load / 1000, computeSeconds: compute / 1000 };
}

/** One CSV field: quoted when it holds a comma, quote or newline. */
export function csvField(v: string | number): string {
  const s = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : v;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
