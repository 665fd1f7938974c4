import { isAbsolute, resolve } from 'node:path';
import type { Command } from 'commander';
import { ConfigError } from '../../errors.js';
import type { Logger } from '../../di/logger.js';
import type { ProgressReporter } from '../../di/progress.js';
import type { ExecutionRequest } from '../../execution/execution-request.js';
import { selectExecutor } from '../../execution/select-executor.js';
import type { Registry } from '../../registry/registry.js';

export interface ExecutionFlags { executor?: string; jobs?: string; detach?: boolean; retries?: string }

/** Add `--executor`, `--jobs` and `--detach` to a command. */
export function withExecutionOptions(c: Command): Command {
  return c
    .option('--executor <name>', 'run the tasks on an executor: local | slurm | in-process | a plugin\'s (default: the config\'s executor, else in-process)')
    .option('--jobs <n>', 'tasks at a time (implies --executor local when none is chosen)')
    .option('--detach', 'submit and return without waiting (schedulers such as slurm)')
    .option('--retries <n>', 'resubmissions of failed or preempted tasks (schedulers such as slurm; the executor option `retries`)');
}

/** The execution request of `--executor/--jobs/--detach` and the config's `executor` section, or undefined (in-process). */
export function executionRequest(flags: ExecutionFlags, configExecutor: unknown, registry: Registry, logger: Logger, progress: ProgressReporter, plugins: readonly string[], source?: string): ExecutionRequest | undefined {
  let jobs: number | undefined;
  if (flags.jobs !== undefined) {
    jobs = Number(flags.jobs);
    if (!(Number.isInteger(jobs) && jobs >= 1)) throw new ConfigError([{ path: '--jobs', message: `expected a positive integer, got "${flags.jobs}"` }]);
  }
  if (flags.retries !== undefined) {
    const n = Number(flags.retries);
    if (!(Number.isInteger(n) && n >= 0)) throw new ConfigError([{ path: '--retries', message: `expected an integer >= 0, got "${flags.retries}"` }]);
    const base = typeof configExecutor === 'string' ? { use: configExecutor } : configExecutor && typeof configExecutor === 'object' ? configExecutor : {};
    configExecutor = { ...(base as object), retries: n };
  }
  const name = flags.executor ?? (jobs !== undefined && (configExecutor === undefined || configExecutor === null) ? 'local' : undefined);
  const sel = selectExecutor(registry, name, configExecutor, source);
  if (!sel) {
    if (jobs !== undefined && jobs > 1) throw new ConfigError([{ path: '--jobs', message: `needs an executor other than in-process (e.g. --executor local), got --jobs ${jobs} with in-process` }]);
    return undefined;
  }
  const controller = new AbortController();
  const stop = () => { logger.warn('interrupted: cancelling the tasks'); controller.abort(); };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return {
    executor: sel.executor, name: sel.name, jobs, detach: !!flags.detach, signal: controller.signal, logger, progress,
    plugins: plugins.map((p) => (p.startsWith('.') || isAbsolute(p) ? resolve(p) : p)),
  };
}
