import { readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { LensforgeError } from '../errors.js';
import { readJsonFile } from '../io/json-file.js';
import { ConsoleLogger, type Logger } from '../di/logger.js';
import type { ProgressReporter } from '../di/progress.js';
import { writeFileAtomic, writeJsonAtomic } from '../io/atomic-write.js';
import { CheckpointStore } from '../io/checkpoint-store.js';
import { acquireDirLock } from '../io/dir-lock.js';
import { RunDir } from '../io/run-dir.js';
import { removeStaleTemps } from '../io/stale-temps.js';
import type { Registry } from '../registry/registry.js';
import type { BenchConfig } from './config-schema.js';
import { benchCellDir, expandTrials, planBench, type BenchTrial } from './bench-plan.js';
import { selectTrials, tunedColumns, type TrialRecord } from './bench-tune.js';
import type { LoadedExperiment } from './load-config.js';
import { configHashOf, resolvedConfig, runExperiment, type Summary } from './runner.js';
import { isFinishedRun, readStoredRun, storedRunMismatch } from './run-dir-guard.js';
import { readRunStamp } from './run-stamp.js';
import type { ExecutionRequest } from '../execution/execution-request.js';
import { runBenchOnExecutor } from '../execution/bench-on-executor.js';

export { benchCellDir, expandTrials, expandVariants, planBench, type BenchTrial, type BenchVariant, type BenchPlan, type BenchPlanItem } from './bench-plan.js';

/** A run of a bench: a cell (variant x seed), or one tuning trial of a cell (`trial`) until the selection. */
export interface BenchRow { variant: string; seed: number; trial?: string; metrics: Record<string, number>; timings: Record<string, number>; runDir: string; cached: boolean }

export interface BenchResult { rows: BenchRow[]; table: string; outDir: string; metrics: string[]; timings: string[] }

export function meanStd(xs: number[]): { mean: number; std: number; n: number } {
  const v = xs.filter((x) => Number.isFinite(x));
  const n = v.length;
  if (n === 0) return { mean: NaN, std: NaN, n };
  const mean = v.reduce((a, b) => a + b, 0) / n;
  const std = n > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : 0;
  return { mean, std, n };
}

function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? x.toExponential(3) : x.toFixed(4);
}

/**
 * Markdown table: one row per variant, one column per metric, `mean ± std (n)`; then one
 * `timings.<name>` column per timing (wall-clock measurements, not reproducible like the metrics).
 */
export function benchTable(rows: BenchRow[], metrics: string[], variants: string[], timings: string[] = []): string {
  const cols = [...metrics, ...timings.map((t) => `timings.${t}`)];
  const head = `| variant | ${cols.join(' | ')} |`;
  const sep = `|---|${cols.map(() => '---').join('|')}|`;
  const cell = (xs: number[]) => {
    const s = meanStd(xs);
    return s.n === 0 ? '–' : s.n === 1 ? fmt(s.mean) : `${fmt(s.mean)} ± ${fmt(s.std)}`;
  };
  const lines = variants.map((v) => {
    const rs = rows.filter((r) => r.variant === v);
    const cells = [...metrics.map((m) => cell(rs.map((r) => r.metrics[m]))), ...timings.map((t) => cell(rs.map((r) => r.timings?.[t])))];
    return `| ${v} | ${cells.join(' | ')} |`;
  });
  const seeds = [...new Set(rows.map((r) => r.seed))];
  const notes = [`mean ± sample std over seeds ${seeds.join(', ')} (n=${seeds.length})`];
  if (timings.length) notes.push('timings.* columns: wall-clock measurements, which vary from run to run (the metrics do not)');
  return [head, sep, ...lines, '', ...notes].join('\n');
}

export interface BenchOptions {
  registry: Registry;
  out?: string;
  logger?: Logger;
  progress?: ProgressReporter;
  source?: string;
  baseDir?: string;
  /** Replace cells whose directory holds a run of another configuration (moved aside whole) instead of refusing. */
  overwrite?: boolean;
  /** Run the cells as tasks on an executor (`--executor`); absent: one after another in this process. */
  execution?: ExecutionRequest;
}

/**
 * Run a grid of named alternatives x seeds. Every variant is validated before any runs; each run
 * gets its own directory (`<out>/<variant>/seed-<s>`); a finished run with the same configuration
 * is reused, an interrupted one resumes from its checkpoints, a changed one is refused unless
 * `overwrite` (see `runCells`). The bench holds the lock of `<out>` (and each cell's run the
 * lock of its directory). Writes results.csv, results.md and summary.json (each run in it stamped
 * with its config hash, backend and commit; `backends` and `commits` list the distinct ones).
 */
export async function runBench(raw: Record<string, unknown>, opts: BenchOptions): Promise<BenchResult> {
  const logger = opts.logger ?? new ConsoleLogger();
  // expand and validate every variant x seed first (shared with `lensforge validate`)
  const { bench, variants, items: plan } = planBench(raw, opts.registry, opts.source, opts.baseDir);
  const name = typeof raw.name === 'string' ? raw.name : 'bench';
  const outDir = resolve(opts.out ?? join('runs', name));

  const lock = acquireDirLock(outDir, { what: 'bench folder', logger });
  try {
    removeStaleTemps(outDir, [outDir], logger);
    const cells = planCells(plan, outDir);
    refuseChangedCells(cells, outDir, opts);
    if (opts.execution) return await runBenchOnExecutor(outDir, bench, variants.map((v) => v.name), plan, opts.execution);
    return await runCells(cells, outDir, bench, variants.map((v) => v.name), opts, logger);
  } finally {
    lock.release();
  }
}

/** Each run of the plan in its directory (`benchCellDir`), its config hash and what its directory holds. */
function planCells(plan: Array<{ variant: { name: string }; seed: number; trial?: BenchTrial; loaded: LoadedExperiment }>, outDir: string) {
  return plan.map((item) => {
    const runPath = benchCellDir(outDir, item.variant.name, item.seed, item.trial?.name);
    const hash = configHashOf(item.loaded);
    const stored = readStoredRun(runPath);
    const mismatch = stored && storedRunMismatch(stored, hash, resolvedConfig(item.loaded));
    return { ...item, runPath, cell: relative(outDir, runPath), hash, stored, mismatch };
  });
}

type BenchCell = ReturnType<typeof planCells>[number];

/**
 * Refuse (before anything runs, listing every such cell with both hashes and the differing keys)
 * a bench whose cells hold runs of another configuration, unless `overwrite`.
 */
function refuseChangedCells(cells: BenchCell[], outDir: string, opts: BenchOptions): void {
  const changed = cells.filter((c) => c.mismatch);
  if (changed.length && !opts.overwrite) {
    throw new LensforgeError(`bench folder ${outDir}: ${changed.length} of ${cells.length} cell${cells.length === 1 ? '' : 's'} hold${changed.length === 1 ? 's' : ''} a run of another configuration:\n` +
      changed.map((c) => `  - ${c.cell} (variant "${c.variant.name}", seed ${c.seed}) ${c.mismatch!.replace(/^holds a run of a different configuration: /, '')}`).join('\n') +
      '\nPass --overwrite to replace those cells (each old cell directory is moved aside whole to <cell>.replaced-<time>); unchanged cells are reused or resumed. Or use another --out.');
  }
}

/**
 * The run loop: an unchanged finished cell is reused, an unchanged interrupted one resumes from
 * its checkpoints, a new one runs in a clean directory. A cell whose directory holds a run of
 * another configuration is refused (before anything runs, listing every such cell with both
 * hashes and the differing keys) unless `overwrite`, which moves that cell's old directory aside
 * whole and runs it again from scratch.
 */
async function runCells(cells: BenchCell[], outDir: string, bench: BenchConfig,
  variantNames: string[], opts: BenchOptions, logger: Logger): Promise<BenchResult> {
  const rows: BenchRow[] = [];
  for (const [i, c] of cells.entries()) {
    const head = `[${i + 1}/${cells.length}] ${c.variant.name} seed ${c.seed}${c.trial ? ` trial ${c.trial.name}` : ''}`;
    const finished = !c.mismatch && isFinishedRun(c.stored, c.hash);
    if (finished && c.stored!.summaryHasTimings) {
      const summaryPath = join(c.runPath, 'summary.json');
      const s = readJsonFile<Summary>(summaryPath, 'summary');
      logger.info(`${head}: finished earlier, reusing ${summaryPath}`);
      rows.push({ variant: c.variant.name, seed: c.seed, trial: c.trial?.name, metrics: s.metrics, timings: s.timings ?? {}, runDir: c.runPath, cached: true });
      continue;
    }
    if (c.mismatch) {
      logger.info(`${head}: replacing ${c.runPath}: it ${c.mismatch}`);
    } else if (finished) {
      logger.info(`${head}: ${join(c.runPath, 'summary.json')} predates the split of timings from metrics; re-evaluating the run from its checkpoints`);
    } else if (c.stored && new RunDir(c.runPath).hasCheckpoints()) {
      logger.info(`${head}: interrupted earlier, resuming ${c.runPath} from its checkpoints (${latestCheckpoints(c.runPath)})`);
    } else if (c.stored) {
      logger.info(`${head}: interrupted before its first checkpoint; starting it again in ${c.runPath}`);
    } else {
      logger.info(head);
    }
    const r = await runExperiment(c.loaded, {
      registry: opts.registry, out: c.runPath, resume: true, overwrite: !!c.mismatch,
      logger, progress: opts.progress, tag: c.variant.name,
    });
    rows.push({ variant: c.variant.name, seed: c.seed, trial: c.trial?.name, metrics: r.metrics, timings: r.timings, runDir: c.runPath, cached: false });
    writeResults(outDir, rows, bench, variantNames);
  }
  const { rows: shown, table, metrics, timings } = writeResults(outDir, rows, bench, variantNames);
  return { rows: shown, table, outDir, metrics, timings };
}

/** `train: epoch-0002, pretrain: epoch-0009`: the last checkpoint of each phase of a run directory. */
function latestCheckpoints(runPath: string): string {
  const dir = join(runPath, 'checkpoints');
  return readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory() && !e.name.startsWith('.')).sort((a, b) => a.name.localeCompare(b.name)).flatMap((e) => {
    let tag: string | undefined;
    try { tag = new CheckpointStore(join(dir, e.name)).latestTag(); } catch { tag = 'unreadable latest.json'; }
    return tag ? [`${e.name}: ${tag}`] : [];
  }).join(', ');
}

/**
 * The table's columns: the metrics (`bench.metrics`, default all) and, after them, the timings
 * (`timings.<name>`). A name in `bench.metrics` that only ever appears among the runs' timings is
 * shown as a timing column; with no timing named there, every timing is shown.
 */
export function benchColumns(rows: BenchRow[], selected?: string[]): { metrics: string[]; timings: string[] } {
  const metricNames = new Set(rows.flatMap((r) => Object.keys(r.metrics)));
  const timingNames = [...new Set(rows.flatMap((r) => Object.keys(r.timings ?? {})))];
  const isTiming = (n: string) => !metricNames.has(n) && timingNames.includes(n);
  if (!selected) return { metrics: [...metricNames], timings: timingNames };
  const named = selected.filter(isTiming);
  return { metrics: selected.filter((n) => !isTiming(n)), timings: named.length ? named : timingNames };
}

/**
 * Write results.csv, results.md and summary.json from the runs so far. With `bench.tune` the
 * rows are the tuning trials: each cell's best trial (by its validation metric) becomes the
 * cell's row, with `tuned_<key>` columns, and every trial is listed in tuning.csv and in
 * summary.json's `trials`.
 */
export function writeResults(outDir: string, allRows: BenchRow[], bench: BenchConfig, variants: string[]): { rows: BenchRow[]; table: string; metrics: string[]; timings: string[] } {
  const tuned = bench.tune ? selectTrials(allRows, bench.tune, expandTrials(bench)) : undefined;
  const rows = tuned?.rows ?? allRows;
  const { metrics: shownMetrics, timings } = benchColumns(rows, bench.metrics);
  const metrics = bench.tune && bench.metrics ? [...shownMetrics, ...tunedColumns(bench.tune).map((c) => c.column).filter((c) => !shownMetrics.includes(c))] : shownMetrics;
  let table = benchTable(rows, metrics, variants.filter((v) => rows.some((r) => r.variant === v)), timings);
  if (bench.tune) table += `\n${tuneNote(bench.tune)}`;
  const csvCell = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const csv = [['variant', 'seed', ...metrics, ...timings.map((t) => `timings.${t}`)].map(csvCell).join(','),
    ...rows.map((r) => [csvCell(r.variant), String(r.seed), ...metrics.map((m) => String(r.metrics[m] ?? '')), ...timings.map((t) => String(r.timings?.[t] ?? ''))].join(','))].join('\n') + '\n';
  writeFileAtomic(join(outDir, 'results.csv'), csv);
  writeFileAtomic(join(outDir, 'results.md'), table + '\n');
  if (tuned) writeFileAtomic(join(outDir, 'tuning.csv'), tuningCsv(allRows, tuned.trials, bench, csvCell));
  const agg = (pick: (r: BenchRow) => Record<string, number>, names: string[]) => Object.fromEntries(variants.map((v) =>
    [v, Object.fromEntries(names.map((m) => [m, meanStd(rows.filter((r) => r.variant === v).map((r) => pick(r)[m]))]))]));
  // each run stamped with its config hash, backend and commit (what `lensforge report` prints under a table)
  const runs = rows.map((r) => ({ ...r, ...readRunStamp(r.runDir) }));
  const distinct = (k: 'backend' | 'commit') => [...new Set(runs.flatMap((r) => (r[k] ? [r[k]!] : [])))];
  writeJsonAtomic(join(outDir, 'summary.json'), {
    variants, seeds: bench.seeds, metrics, timings, backends: distinct('backend'), commits: distinct('commit'),
    aggregate: agg((r) => r.metrics, metrics), aggregateTimings: agg((r) => r.timings ?? {}, timings), runs,
    ...(tuned ? { tune: bench.tune, trials: tuned.trials } : {}),
  });
  return { rows, table, metrics, timings };
}

/** The line under a tuned table: what was searched and how the trial was chosen. */
function tuneNote(tune: NonNullable<BenchConfig['tune']>): string {
  const searched = Object.entries(tune.vary).map(([p, vs]) => `${p} in [${vs.map((v) => JSON.stringify(v)).join(', ')}]`).join(' x ');
  return `tuned in every cell: ${searched}; the trial with the ${tune.mode === 'min' ? 'lowest' : 'highest'} ${tune.metric} (validation) is reported`;
}

/** Every trial of every cell: its validation value, whether it was chosen, and its metrics. */
function tuningCsv(rows: BenchRow[], trials: TrialRecord[], bench: BenchConfig, cell: (s: string) => string): string {
  const names = [...new Set(rows.flatMap((r) => Object.keys(r.metrics)))];
  const byDir = new Map(rows.map((r) => [r.runDir, r]));
  const head = ['variant', 'seed', 'trial', `${bench.tune!.metric} (selection)`, 'chosen', ...names];
  return [head.map(cell).join(','), ...trials.map((t) => [cell(t.variant), String(t.seed), cell(t.trial), String(t.value), t.chosen ? 'yes' : 'no',
    ...names.map((m) => String(byDir.get(t.runDir)?.metrics[m] ?? ''))].join(','))].join('\n') + '\n';
}
