/**
 * `npm run bench:executor`: 4-cell benches run through `lensforge bench --executor local` with
 * `--jobs 1` and `--jobs 2` (1 compute thread per job): wall times and speed-up, for two
 * workloads:
 *  - `example`: the example plugin (flip / none x seeds 1, 2; a tiny CNN, cells of ~10-25 s);
 *  - `lensiam`: the LenSiam augmentation bench (examples/augmentations.yaml) cut to 2 variants x
 *    2 seeds at small sizes (ResNet-18 SimSiam pre-training + fine-tune, the project's main job).
 * For each, the machine's own ceiling for that speed-up (median over the repeats of one cell alone vs two copies at once as
 * bare processes, no executor). Then, on a single-node Slurm cluster on this host (when the
 * daemons can start), the example bench via `slurm`, and 4 tiny tasks via `slurm` and `local`
 * for the per-task overhead of `slurm` against `local`.
 * Writes bench-results/executor.json. A measurement, not a test: nothing fails on a slow or busy
 * machine (the load average is recorded beside the figures).
 * On a VM whose speed drifts, one pair of runs is not enough: `--repeats R` (default 2) runs
 * `--jobs 1` and `--jobs 2` R times each, alternating (1 2, 2 1, ...), and reports the median of
 * the per-repeat speed-ups.
 * Usage: node dist/bench/executor.bench.js [--workload example|lensiam|all] [--epochs N] [--train-size N] [--repeats R]
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readConfigFile, writeJsonAtomic } from '../core/index.js';
import { startLocalCluster } from '../plugins/slurm/testing/local-cluster.js';
import { median } from './median.js';

const BIN = 'dist/core/cli/bin.js';
const EXAMPLE = 'examples/custom-plugin/experiment.yaml';

export type ExecutorWorkload = 'example' | 'lensiam';
export interface ExecutorBenchOptions { workloads?: ExecutorWorkload[]; epochs?: number; trainSize?: number; repeats?: number }

interface Timed { wallSeconds: number; csv: string; backend?: string; cellSeconds: number[] }

interface Workload { name: ExecutorWorkload; config: string; sets: string[]; cleanup(): void }

/** results.csv without its `timings.*` columns (wall-clock figures, which differ between any two runs). */
export function withoutTimings(csv: string): string {
  const rows = csv.trimEnd().split('\n').map((l) => l.split(','));
  const keep = rows[0].map((h, i) => (h.startsWith('timings.') ? -1 : i)).filter((i) => i >= 0);
  return rows.map((r) => keep.map((i) => r[i]).join(',')).join('\n') + '\n';
}

function benchOnce(label: string, config: string, args: string[], sets: string[], env: NodeJS.ProcessEnv = {}): Timed {
  const out = mkdtempSync(join(tmpdir(), 'lf-exec-bench-'));
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [BIN, 'bench', config, '--out', out, ...sets, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
  const wallSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`${label}: lensforge bench failed (exit ${r.status}):\n${r.stderr.slice(-3000)}`);
  const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { runs: Array<{ runDir: string }> };
  const cells = summary.runs.map((x) => JSON.parse(readFileSync(join(x.runDir, 'summary.json'), 'utf8')) as { wallSeconds: number; backend: string });
  const res = { wallSeconds, csv: withoutTimings(readFileSync(join(out, 'results.csv'), 'utf8')), backend: cells[0]?.backend, cellSeconds: cells.map((c) => c.wallSeconds) };
  console.error(`${label}: ${wallSeconds.toFixed(1)} s (cells ${res.cellSeconds.map((s) => s.toFixed(1)).join(', ')} s)`);
  rmSync(out, { recursive: true, force: true });
  return res;
}

/**
 * The machine's own ceiling for a workload: its first cell's experiment as a bare process alone,
 * then two copies of it at once (no executor, no bench), each with 1 compute thread and node
 * --single-threaded. 2 x alone / together is the best speed-up any executor can reach here; on
 * this 2-core VM it is below 2 because the two cores share cache and memory bandwidth.
 * Measured `repeats` times (alone, together, alone; the two alone runs averaged) and reported as
 * the median ratio: one measurement on a VM whose speed drifts can even come out above 2
 * (2.2x seen, the alone runs having landed in a slow minute), which `driftSuspect` flags.
 */
async function machineCeiling(w: Workload, repeats: number): Promise<Record<string, unknown> & { ceiling: number }> {
  const dirs = [mkdtempSync(join(tmpdir(), 'lf-exec-ceil-')), mkdtempSync(join(tmpdir(), 'lf-exec-ceil-'))];
  const env = { ...process.env, LENSFORGE_NATIVE_THREADS: '1' };
  const runCell = (d: string) => new Promise<void>((res, rej) => {
    const c = spawn(process.execPath, ['--single-threaded', BIN, 'run', w.config, '--out', d, '--overwrite', ...w.sets], { stdio: 'ignore', env });
    c.once('error', rej);
    c.once('exit', (code) => (code === 0 ? res() : rej(new Error(`machine ceiling (${w.name}): lensforge run exited with ${code}`))));
  });
  try {
    const alone = async () => { const t = process.hrtime.bigint(); await runCell(dirs[0]); return Number(process.hrtime.bigint() - t) / 1e9; };
    const runs: Array<{ aloneSeconds: number; togetherSeconds: number; ceiling: number }> = [];
    for (let r = 0; r < repeats; r++) {
      const a1 = await alone();
      const t0 = process.hrtime.bigint();
      await Promise.all(dirs.map(runCell));
      const togetherSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
      const aloneSeconds = (a1 + (await alone())) / 2; // alone before and after, averaged
      console.error(`${w.name} machine ceiling (${r + 1}/${repeats}): one cell alone ${aloneSeconds.toFixed(1)} s, two at once ${togetherSeconds.toFixed(1)} s`);
      runs.push({ aloneSeconds, togetherSeconds, ceiling: (2 * aloneSeconds) / togetherSeconds });
    }
    const ceiling = median(runs.map((x) => x.ceiling));
    return { ceiling, perRepeat: runs, driftSuspect: runs.some((x) => x.ceiling > 2) };
  } finally {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
}

function exampleWorkload(o: ExecutorBenchOptions): Workload {
  const n = o.trainSize ?? 2048;
  return { name: 'example', config: EXAMPLE, sets: ['--set', `train.epochs=${o.epochs ?? 100}`, '--set', `train.trainSize=${n}`, '--set', `data.count=${n}`], cleanup() {} };
}

/** examples/augmentations.yaml with 2 variants (lens pairs, default augmentation) x 2 seeds, at small sizes. */
function lensiamWorkload(o: ExecutorBenchOptions): Workload {
  const cfg = readConfigFile('examples/augmentations.yaml') as Record<string, any>;
  cfg.name = 'executor-bench-lensiam';
  cfg.bench.vary = cfg.bench.vary.filter((v: { name: string }) => v.name !== 'scratch');
  cfg.bench.seeds = [1, 2];
  cfg.bench.metrics = cfg.bench.metrics.filter((m: string) => !m.startsWith('umap'));
  cfg.evaluate = cfg.evaluate.filter((e: { use: string }) => e.use !== 'simsiam/umap');
  const dir = mkdtempSync(join(tmpdir(), 'lf-exec-lensiam-'));
  const config = join(dir, 'lensiam-4-cells.json');
  writeFileSync(config, JSON.stringify(cfg, null, 2));
  const n = o.trainSize ?? 256;
  return {
    name: 'lensiam', config: resolve(config),
    sets: ['--set', `train.epochs=${o.epochs ?? 3}`, '--set', `train.trainSize=${n}`, '--set', 'model.method.evaluation.size=200',
      '--set', 'model.method.downstream.trainSize=200', '--set', 'model.method.downstream.testSize=200', '--set', 'model.method.downstream.epochs=2'],
    cleanup() { rmSync(dir, { recursive: true, force: true }); },
  };
}

/**
 * `--jobs 1` and `--jobs 2` `repeats` times, in the order 1 2, 2 1, 1 2, ... so that a drift of
 * the machine's speed falls on both; the speed-up is the median of the per-repeat ratios.
 */
async function localSpeedUp(w: Workload, repeats: number): Promise<Record<string, unknown>> {
  const j1: Timed[] = [], j2: Timed[] = [];
  for (let r = 0; r < repeats; r++) {
    for (const jobs of r % 2 === 0 ? [1, 2] : [2, 1]) {
      const t = benchOnce(`${w.name}: local --jobs ${jobs}${repeats > 1 ? ` (repeat ${r + 1}/${repeats})` : ''}`, w.config, ['--executor', 'local', '--jobs', String(jobs)], w.sets);
      (jobs === 1 ? j1 : j2).push(t);
    }
  }
  const ceiling = await machineCeiling(w, repeats);
  const ratios = j1.map((a, i) => a.wallSeconds / j2[i].wallSeconds);
  const speedUp = median(ratios);
  const lane = (runs: Timed[]) => ({ wallSeconds: median(runs.map((t) => t.wallSeconds)), runs: runs.map((t) => ({ wallSeconds: t.wallSeconds, cellSeconds: t.cellSeconds })) });
  return {
    cells: j1[0].cellSeconds.length, sets: w.sets.filter((s) => s !== '--set'), threadsPerJob: 1, backend: j1[0].backend, repeats,
    jobs1: lane(j1),
    jobs2: lane(j2),
    speedUp,
    speedUpPerRepeat: ratios,
    sameResults: [...j1, ...j2].every((t) => t.csv === j1[0].csv),
    machineCeiling: { ...ceiling, executorEfficiency: speedUp / ceiling.ceiling },
    cellSlowdownTogether: median(j2.flatMap((t) => t.cellSeconds)) / median(j1.flatMap((t) => t.cellSeconds)),
  };
}

export async function runExecutorBench(o: ExecutorBenchOptions = {}): Promise<Record<string, unknown>> {
  if (o.repeats !== undefined && !(Number.isInteger(o.repeats) && o.repeats >= 1)) throw new Error(`--repeats: expected an integer >= 1, got ${o.repeats}`);
  const loadBefore = loadavg();
  const result: Record<string, unknown> = {};
  for (const name of o.workloads ?? ['example', 'lensiam']) {
    const w = name === 'example' ? exampleWorkload(o) : lensiamWorkload(o);
    try { result[name] = await localSpeedUp(w, o.repeats ?? 2); } finally { w.cleanup(); }
  }
  const cluster = startLocalCluster();
  if (typeof cluster === 'string') result.slurm = { skipped: cluster };
  else {
    try {
      const w = exampleWorkload(o);
      // per-task overhead: 4 tiny tasks (about 2 s each) in 2 lanes, slurm against local
      const tiny = ['--set', 'train.epochs=1', '--set', 'train.trainSize=64', '--set', 'data.count=64'];
      const lt = benchOnce('tiny tasks: local --jobs 2', EXAMPLE, ['--executor', 'local', '--jobs', '2'], tiny);
      const st = benchOnce('tiny tasks: slurm --jobs 2', EXAMPLE, ['--executor', 'slurm', '--jobs', '2', '--set', 'executor.pollSeconds=0.5'], tiny, { SLURM_CONF: cluster.conf });
      const s2 = benchOnce('example: slurm --jobs 2', EXAMPLE, ['--executor', 'slurm', '--jobs', '2', '--set', 'executor.pollSeconds=0.5'], w.sets, { SLURM_CONF: cluster.conf });
      const ex = result.example as { jobs1?: { wallSeconds: number } } | undefined; // median of the repeats
      result.slurm = {
        example: { wallSeconds: s2.wallSeconds, cellSeconds: s2.cellSeconds, ...(ex?.jobs1 ? { speedUpOverLocalJobs1: ex.jobs1.wallSeconds / s2.wallSeconds } : {}) },
        pollSeconds: 0.5,
        tinyTasks: { localWallSeconds: lt.wallSeconds, slurmWallSeconds: st.wallSeconds, sameResults: lt.csv === st.csv },
        // 4 tasks in 2 lanes: each lane runs 2 tasks one after the other
        overheadPerTaskSeconds: (st.wallSeconds - lt.wallSeconds) / 2,
      };
    } finally { cluster.stop(); }
  }
  result.machine = { cpus: cpus().length, model: cpus()[0]?.model, node: process.version, loadAverageBefore: loadBefore, loadAverageAfter: loadavg(), date: new Date().toISOString() };
  return result;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const arg = (flag: string) => { const i = args.indexOf(flag); return i >= 0 ? args[i + 1] : undefined; };
  const num = (flag: string) => (arg(flag) === undefined ? undefined : Number(arg(flag)));
  const wl = arg('--workload') ?? 'all';
  if (!['all', 'example', 'lensiam'].includes(wl)) throw new Error(`--workload: expected example, lensiam or all, got ${JSON.stringify(wl)}`);
  const out = 'bench-results/executor.json';
  mkdirSync('bench-results', { recursive: true });
  const res = await runExecutorBench({ workloads: wl === 'all' ? undefined : [wl as ExecutorWorkload], epochs: num('--epochs'), trainSize: num('--train-size'), repeats: num('--repeats') });
  writeJsonAtomic(out, res);
  console.log(JSON.stringify(res, null, 2));
}
