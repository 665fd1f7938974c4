import type { Logger } from '../di/logger.js';
import type { ProgressReporter } from '../di/progress.js';
import type { ExecState } from './exec-state.js';
import type { ExecTask, TaskStatus } from './task.js';

/** What the command that submits tasks tells the executor. */
export interface ExecutorRunContext {
  /** The output folder (bench folder or dataset folder); state, task files and logs go under `OUT/.lensforge-exec`. */
  outDir: string;
  /** `bench` or `simulate` (shown by `lensforge status`). */
  what: string;
  logger: Logger;
  progress?: ProgressReporter;
  /** Aborting cancels queued tasks and stops running ones. */
  signal?: AbortSignal;
  /** `--jobs N`: tasks at a time (overrides the executor's own option). */
  jobs?: number;
  /** A finalize file (`lensforge task finalize FILE`) to run once every task has ended (Slurm: a dependent job). */
  finalizeFile?: string;
  /** Return once submitted, without waiting (schedulers only; ignored by `core/local`). */
  detach?: boolean;
}

/** What `run` returns: every task's final (or, detached, current) state. */
export interface ExecutorResult {
  tasks: TaskStatus[];
  /** True when the executor returned before the tasks ended (`--detach`). */
  detached: boolean;
}

/**
 * The `executor` component kind: runs independent tasks (bench cells, simulate shard ranges).
 *
 * Contract:
 * - every task is run by the worker command `lensforge task run TASKFILE` (see `workerArgv`);
 * - a task whose output already holds a finished result with its config hash is reported done
 *   (`skipped: true`) without running; an interrupted one resumes from its checkpoints;
 * - per-task state (queued, running, done, failed with its log path and last lines, cancelled) is
 *   kept in `OUT/.lensforge-exec/state.json`, written atomically on every change;
 * - a failed task never stops the others; `run` resolves (never rejects) once all have ended,
 *   unless the submission itself fails;
 * - `ctx.signal` cancels.
 */
export interface Executor {
  run(tasks: ExecTask[], ctx: ExecutorRunContext): Promise<ExecutorResult>;
  /** Bring a state read from disk up to date from the scheduler (used by `lensforge status`). */
  refresh?(state: ExecState): Promise<ExecState>;
}
