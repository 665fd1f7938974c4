import type { BenchConfig } from '../experiment/config-schema.js';
import { benchCellDir, type BenchPlanItem, type BenchResult } from '../experiment/bench.js';
import type { LoadedExperiment } from '../experiment/load-config.js';
import { configHashOf } from '../experiment/runner.js';
import { writeJsonAtomic } from '../io/atomic-write.js';
import { collectBenchResults } from './bench-results.js';
import { execDir } from './exec-state.js';
import { notDone, TasksFailedError, type ExecutionRequest } from './execution-request.js';
import { finalizeFilePath, type BenchFinalize } from './finalize.js';
import type { ExecTask } from './task.js';


/** The tasks of a validated bench plan: one `run` task per cell, in the plan's order. */
export function benchTasks(outDir: string, plan: readonly BenchPlanItem[], plugins?: string[]): ExecTask[] {
  return plan.map((item, i) => {
    const config = structuredClone(item.loaded.raw);
    delete config.executor;
    return {
      id: `cell-${String(i).padStart(3, '0')}`,
      label: `${item.variant.name || 'base'} seed ${item.seed}${item.trial ? ` trial ${item.trial.name}` : ''}`,
      outDir: benchCellDir(outDir, item.variant.name, item.seed, item.trial?.name),
      configHash: configHashOf(item.loaded),
      payload: { kind: 'run', config, baseDir: item.loaded.baseDir, source: item.loaded.source, tag: item.variant.name },
      plugins,
    };
  });
}

/**
 * The bench on an executor: every cell becomes a task; once all have ended (or, detached, in a
 * dependent job) the cells' summary.json files are collected into results.csv / results.md /
 * summary.json by the bench's own writer, so the tables equal the sequential run's.
 */
export async function runBenchOnExecutor(outDir: string, bench: BenchConfig, variants: readonly string[], plan: readonly BenchPlanItem[], req: ExecutionRequest): Promise<BenchResult> {
  const tasks = benchTasks(outDir, plan, req.plugins);
  const fin: BenchFinalize = {
    format: 'lensforge-finalize', kind: 'bench-results', outDir, bench, variants: [...variants],
    cells: plan.map((item, i) => ({ variant: item.variant.name, seed: item.seed, trial: item.trial?.name, runDir: tasks[i].outDir, configHash: tasks[i].configHash })),
  };
  const finalizeFile = finalizeFilePath(execDir(outDir));
  writeJsonAtomic(finalizeFile, fin);
  req.logger.info(`bench: ${tasks.length} cell(s) on executor ${req.name}; status: lensforge status ${outDir}`);
  const r = await req.executor.run(tasks, { outDir, what: 'bench', logger: req.logger, progress: req.progress, signal: req.signal, jobs: req.jobs, detach: req.detach, finalizeFile });
  if (r.detached) {
    req.logger.info(`bench submitted; the tables are written when every cell has ended. Follow it with: lensforge status ${outDir}`);
    return { rows: [], table: '(submitted; results are written when all cells have ended)', outDir, metrics: [], timings: [] };
  }
  const { rows, table, metrics, timings } = collectBenchResults(fin, req.logger);
  const failed = notDone(r);
  if (failed.length) throw new TasksFailedError(failed, tasks.length, 'bench');
  return { rows, table, outDir, metrics, timings };
}
