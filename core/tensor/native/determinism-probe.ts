/**
 * Run-to-run determinism probe of the native kernels: runs each kernel `repeats` times on the
 * same inputs at a given OpenMP thread count (synchronous addon calls) and compares the output
 * bits with the first run. Inputs are big enough for every threaded code path to be split
 * across threads (reductions over a split axis, oneDNN primitives above the serial threshold).
 *
 * Used by determinism-probe.test.ts, and as a command for diagnosing a build:
 *   node dist/core/tensor/native/determinism-probe.js [threads=2] [repeats=20]
 * prints one line per kernel and exits 1 if any kernel differed between runs.
 */
import { fileURLToPath } from 'node:url';
import { Rng } from '../rng.js';
import { REDUCE, loadNativeAddon, type NativeAddon } from './native-addon.js';

/** Outcome for one kernel case. */
export interface ProbeResult {
  /** Kernel and shape, e.g. 'reduce Sum [1, 262144, 1]'. */
  name: string;
  /** Runs (of `repeats`) whose output bits differ from the first run's. */
  differing: number;
  repeats: number;
  /** Largest |difference| between a run and the first run over all outputs. */
  maxAbsDiff: number;
}

interface Case {
  name: string;
  /** Runs the kernel once, returning its outputs (fresh arrays each call). */
  run: (addon: NativeAddon) => Float32Array[];
}

function normals(rng: Rng, n: number): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = rng.normal();
  return a;
}

/** Conv geometry (src/conv.cc) of a 'same' stride-1 KxK convolution. */
function convGeo(N: number, H: number, W: number, CI: number, K: number, CO: number): Int32Array {
  const p = (K - 1) >> 1;
  return Int32Array.from([N, H, W, CI, K, K, CO, H, W, 1, 1, 1, 1, p, p, K - 1 - p, K - 1 - p]);
}

function cases(rng: Rng): Case[] {
  const list: Case[] = [];
  const reduceCase = (op: keyof typeof REDUCE, outer: number, red: number, inner: number): void => {
    const x = normals(rng.derive(`reduce:${op}:${outer}:${red}:${inner}`), outer * red * inner);
    if (op === 'Prod') for (let i = 0; i < x.length; i++) x[i] = 1 + x[i] * 1e-3;
    list.push({
      name: `reduce ${op} [${outer}, ${red}, ${inner}]`,
      run: (a) => { const o = new Float32Array(outer * inner); a.reduce(REDUCE[op], x, o, outer, red, inner); return [o]; },
    });
  };
  // Few outer slices: the reduced axis is split across threads (inner 1 and inner > 1).
  for (const op of ['Sum', 'Mean', 'Prod', 'Max'] as const) reduceCase(op, 1, 1 << 18, 1);
  reduceCase('Sum', 2, 1 << 14, 16);
  reduceCase('Mean', 1, 1 << 13, 64);
  // Many outer slices (split over the outer axis).
  reduceCase('Sum', 64, 4096, 1);
  reduceCase('Mean', 16, 1024, 16);

  {
    const P = 32, rows = 8192, r = rng.derive('bngrad');
    const x = normals(r, rows * P), dy = normals(r, rows * P), mean = normals(r, P), scale = normals(r, P);
    const variance = Float32Array.from(normals(r, P), (v) => 1 + v * v);
    list.push({
      name: `batchNormGrad [${rows}, ${P}]`,
      run: (a) => {
        const o = [rows * P, P, P, P, P].map((n) => new Float32Array(n));
        a.batchNormGrad(x, dy, P, mean, variance, scale, 1e-3, o[0], o[1], o[2], o[3], o[4]);
        return o;
      },
    });
    list.push({
      name: `batchNormTrain [${rows}, ${P}]`,
      run: (a) => {
        const o = [rows * P, P, P].map((n) => new Float32Array(n));
        a.batchNormTrain(x, o[0], P, mean, scale, 1e-3, o[1], o[2]);
        return o;
      },
    });
    list.push({
      name: `batchNormTrainGrad [${rows}, ${P}]`,
      run: (a) => {
        const o = [rows * P, P, P].map((n) => new Float32Array(n));
        a.batchNormTrainGrad(x, dy, P, mean, variance, scale, 1e-3, scale, mean, o[0], o[1], o[2]);
        return o;
      },
    });
    list.push({
      name: `batchNorm [${rows}, ${P}]`,
      run: (a) => { const o = new Float32Array(rows * P); a.batchNorm(x, o, P, mean, variance, scale, mean, 1e-3); return [o]; },
    });
  }

  const convCase = (N: number, H: number, CI: number, K: number, CO: number): void => {
    const r = rng.derive(`conv:${N}:${H}:${CI}:${K}:${CO}`);
    const p = convGeo(N, H, H, CI, K, CO);
    const x = normals(r, N * H * H * CI), w = normals(r, K * K * CI * CO), dy = normals(r, N * H * H * CO);
    const tag = `[${N}, ${H}, ${H}, ${CI}] ${K}x${K}x${CO}`;
    list.push({ name: `conv2d ${tag}`, run: (a) => { const y = new Float32Array(N * H * H * CO); a.conv2d(p, x, w, null, y, 0, 0); return [y]; } });
    list.push({
      name: `conv2dBackpropInput ${tag}`,
      run: (a) => { const dx = new Float32Array(x.length); a.conv2dBackpropInput(p, dy, w, dx); return [dx]; },
    });
    list.push({
      name: `conv2dBackpropFilter ${tag}`,
      run: (a) => { const dw = new Float32Array(w.length); a.conv2dBackpropFilter(p, x, dy, dw); return [dw]; },
    });
  };
  convCase(16, 32, 1, 7, 16); // the stem: few input channels (own col2im backward-data)
  convCase(16, 16, 16, 3, 32);
  convCase(8, 8, 64, 3, 64);
  convCase(64, 4, 128, 1, 128);

  const matmulCase = (batch: number, M: number, N: number, K: number): void => {
    const r = rng.derive(`matmul:${batch}:${M}:${N}:${K}`);
    const A = normals(r, batch * M * K), B = normals(r, batch * K * N);
    const p = Int32Array.from([batch, M, N, K, 0, 0, M * K, K * N]);
    list.push({ name: `matmul [${batch}, ${M}, ${N}, ${K}]`, run: (a) => { const c = new Float32Array(batch * M * N); a.matmul(p, A, B, null, c, 0, 0); return [c]; } });
  };
  matmulCase(1, 256, 256, 256);
  matmulCase(1, 8, 8, 1 << 16); // long K (K-split candidates)
  matmulCase(1, 2048, 128, 2048);

  {
    const r = rng.derive('pool');
    const N = 16, H = 32, C = 16, x = normals(r, N * H * H * C), dy = normals(r, N * 16 * 16 * C);
    const p = Int32Array.from([N, H, H, C, 2, 2, 16, 16, 2, 2, 0, 0]);
    list.push({ name: 'pool max/avg + grads [16, 32, 32, 16] 2x2', run: (a) => {
      const y0 = new Float32Array(dy.length), y1 = new Float32Array(dy.length), g0 = new Float32Array(x.length), g1 = new Float32Array(x.length);
      a.pool(0, p, x, y0); a.pool(1, p, x, y1); a.maxPoolGrad(p, dy, x, g0); a.avgPoolGrad(p, dy, g1);
      return [y0, y1, g0, g1];
    } });
  }
  return list;
}

function sameBits(a: Float32Array[], b: Float32Array[]): { same: boolean; maxAbs: number } {
  let same = true, maxAbs = 0;
  for (let k = 0; k < a.length; k++) {
    const ua = new Uint32Array(a[k].buffer, a[k].byteOffset, a[k].length), ub = new Uint32Array(b[k].buffer, b[k].byteOffset, b[k].length);
    for (let i = 0; i < ua.length; i++) {
      if (ua[i] !== ub[i]) {
        same = false;
        const d = Math.abs(a[k][i] - b[k][i]);
        if (d > maxAbs || Number.isNaN(d)) maxAbs = Number.isNaN(d) ? Infinity : d;
      }
    }
  }
  return { same, maxAbs };
}

/**
 * Runs every probe case `repeats` times with `threads` OpenMP threads (the addon must be in
 * synchronous mode) and restores the addon's previous thread count. `filter` keeps the cases
 * whose name contains it.
 */
export function probeDeterminism(addon: NativeAddon, threads: number, repeats: number, filter = ''): ProbeResult[] {
  const before = addon.info().threads;
  addon.setThreads(threads);
  try {
    const res: ProbeResult[] = [];
    for (const c of cases(Rng.fromSeed(20261202))) {
      if (!c.name.includes(filter)) continue;
      const first = c.run(addon);
      let differing = 0, maxAbsDiff = 0;
      for (let i = 1; i < repeats; i++) {
        const r = sameBits(first, c.run(addon));
        if (!r.same) differing++;
        maxAbsDiff = Math.max(maxAbsDiff, r.maxAbs);
      }
      res.push({ name: c.name, differing, repeats, maxAbsDiff });
    }
    return res;
  } finally {
    addon.setThreads(before);
  }
}

function main(argv: string[]): number {
  const threads = argv[0] !== undefined ? Number(argv[0]) : 2, repeats = argv[1] !== undefined ? Number(argv[1]) : 20;
  if (!Number.isInteger(threads) || threads < 1) throw new Error(`threads: expected an integer >= 1, got ${JSON.stringify(argv[0])}`);
  if (!Number.isInteger(repeats) || repeats < 2) throw new Error(`repeats: expected an integer >= 2, got ${JSON.stringify(argv[1])}`);
  const load = loadNativeAddon();
  if (!load.ok) { console.error(load.reason); return 2; }
  let bad = 0;
  for (const r of probeDeterminism(load.addon, threads, repeats, argv[2] ?? '')) {
    if (r.differing > 0) bad++;
    console.log(`${r.differing > 0 ? 'DIFFERS  ' : 'identical'} ${r.name}: ${r.differing}/${r.repeats - 1} reruns differ` +
      (r.differing > 0 ? `, max |diff| ${r.maxAbsDiff.toExponential(2)}` : ''));
  }
  console.log(`${threads} threads, ${repeats} runs each: ${bad === 0 ? 'all kernels bit-identical' : `${bad} kernel case(s) not bit-identical`}`);
  return bad === 0 ? 0 : 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) process.exitCode = main(process.argv.slice(2));
