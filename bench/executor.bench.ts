/**
 * `npm run bench:executor`: a 4-cell bench of the example plugin (flip / none x seeds 1, 2) run
 * through `lensforge bench --executor local` with `--jobs 1` and `--jobs 2` (1 thread per job):
 * wall times and speed-up; then the same bench on a single-node Slurm cluster on this host
 * (when the daemons can start) for the per-task overhead of `slurm` against `local`.
 * Writes bench-results/executor.json. A measurement, not a test: nothing fails on a slow or busy
 * machine (the load average is recorded beside the figures).
 * Usage: node dist/bench/executor.bench.js [--epochs N] [--train-size N]
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeJsonAtomic } from '../core/index.js';
import { startLocalCluster } from '../plugins/slurm/testing/local-cluster.js';

const BIN = 'dist/core/cli/bin.js';
const EXAMPLE = 'examples/custom-plugin/experiment.yaml';

export interface ExecutorBenchOptions { epochs?: number; trainSize?: number; out?: string }

interface Timed { wallSeconds: number; csv: string; backend?: string; cellSeconds: number[] }

function benchOnce(label: string, args: string[], sets: string[], env: NodeJS.ProcessEnv = {}): Timed {
  const out = mkdtempSync(join(tmpdir(), 'lf-exec-bench-'));
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [BIN, 'bench', EXAMPLE, '--out', out, ...sets, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
  const wallSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`${label}: lensforge bench failed (exit ${r.status}):\n${r.stderr.slice(-3000)}`);
  const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { runs: Array<{ runDir: string }> };
  const cells = summary.runs.map((x) => JSON.parse(readFileSync(join(x.runDir, 'summary.json'), 'utf8')) as { wallSeconds: number; backend: string });
  const res = { wallSeconds, csv: readFileSync(join(out, 'results.csv'), 'utf8'), backend: cells[0]?.backend, cellSeconds: cells.map((c) => c.wallSeconds) };
  console.error(`${label}: ${wallSeconds.toFixed(1)} s (cells ${res.cellSeconds.map((s) => s.toFixed(1)).join(', ')} s)`);
  rmSync(out, { recursive: true, force: true });
  return res;
}

export async function runExecutorBench(o: ExecutorBenchOptions = {}): Promise<Record<string, unknown>> {
  const trainSize = o.trainSize ?? 2048;
  const sets = ['--set', `train.epochs=${o.epochs ?? 8}`, '--set', `train.trainSize=${trainSize}`, '--set', `data.count=${trainSize}`];
  const loadBefore = loadavg();
  const j1 = benchOnce('local --jobs 1', ['--executor', 'local', '--jobs', '1'], sets);
  const j2 = benchOnce('local --jobs 2', ['--executor', 'local', '--jobs', '2'], sets);
  const result: Record<string, unknown> = {
    cells: 4, sets: sets.filter((s) => s !== '--set'), threadsPerJob: 1, backend: j1.backend,
    local: {
      jobs1: { wallSeconds: j1.wallSeconds, cellSeconds: j1.cellSeconds },
      jobs2: { wallSeconds: j2.wallSeconds, cellSeconds: j2.cellSeconds },
      speedUp: j1.wallSeconds / j2.wallSeconds,
      sameResults: j1.csv === j2.csv,
    },
  };
  const cluster = startLocalCluster();
  if (typeof cluster === 'string') result.slurm = { skipped: cluster };
  else {
    try {
      const s2 = benchOnce('slurm --jobs 2', ['--executor', 'slurm', '--jobs', '2', '--set', 'executor.pollSeconds=0.5'], sets, { SLURM_CONF: cluster.conf });
      // 4 tasks in 2 lanes: each lane runs 2 tasks one after the other
      result.slurm = {
        jobs2: { wallSeconds: s2.wallSeconds, cellSeconds: s2.cellSeconds }, pollSeconds: 0.5,
        overheadPerTaskSeconds: (s2.wallSeconds - j2.wallSeconds) / 2,
        sameResults: s2.csv === j2.csv,
      };
    } finally { cluster.stop(); }
  }
  result.machine = { cpus: cpus().length, model: cpus()[0]?.model, node: process.version, loadAverageBefore: loadBefore, loadAverageAfter: loadavg(), date: new Date().toISOString() };
  return result;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const num = (flag: string) => { const i = args.indexOf(flag); return i >= 0 ? Number(args[i + 1]) : undefined; };
  const out = 'bench-results/executor.json';
  mkdirSync('bench-results', { recursive: true });
  const res = await runExecutorBench({ epochs: num('--epochs'), trainSize: num('--train-size') });
  writeJsonAtomic(out, res);
  console.log(JSON.stringify(res, null, 2));
}
