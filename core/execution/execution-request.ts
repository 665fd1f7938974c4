import type { Logger } from '../di/logger.js';
import type { ProgressReporter } from '../di/progress.js';
import { LensforgeError } from '../errors.js';
import type { Executor, ExecutorResult } from './executor.js';

/** How a command was asked to run its tasks on an executor (`--executor`, `--jobs`, `--detach`). */
export interface ExecutionRequest {
  executor: Executor;
  /** The executor's registered name. */
  name: string;
  jobs?: number;
  detach?: boolean;
  signal?: AbortSignal;
  /** The CLI's `--plugin` modules (absolute paths or packages), loaded by every task. */
  plugins?: string[];
  logger: Logger;
  progress?: ProgressReporter;
}

/** Raised after the results of the tasks that finished were written, when some tasks failed. */
export class TasksFailedError extends LensforgeError {
  constructor(readonly failed: ExecutorResult['tasks'], total: number, what: string) {
    super(`${failed.length} of ${total} ${what} task(s) did not finish:\n` + failed.map((t) =>
      `  - ${t.id} (${t.label}): ${t.state}${t.logPath ? `, log ${t.logPath}` : ''}${t.error ? `\n${t.error.split('\n').map((l) => `      ${l}`).join('\n')}` : ''}`).join('\n'));
  }
}

/** The tasks of a finished (not detached) run that did not end done. */
export function notDone(r: ExecutorResult): ExecutorResult['tasks'] {
  return r.tasks.filter((t) => t.state !== 'done');
}
