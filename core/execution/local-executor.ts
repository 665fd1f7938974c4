import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, writeSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { inject } from '../di/typed-inject.js';
import { z } from 'zod';
import { TOKENS } from '../di/tokens.js';
import { component, type OptionsOf } from '../registry/component.js';
import { ExecStateFile, type ExecState } from './exec-state.js';
import type { Executor, ExecutorResult, ExecutorRunContext } from './executor.js';
import { logTail } from './log-tail.js';
import { isTaskDone } from './task-done.js';
import { logsDir, workerArgv, writeTaskFiles } from './task-files.js';
import type { ExecTask, TaskStatus } from './task.js';

export const LocalExecutorOptions = z.strictObject({
  jobs: z.number().int().min(1).optional().describe('tasks at a time (default: cores / threadsPerJob)'),
  threadsPerJob: z.number().int().min(1).default(1).describe('compute threads of each job (LENSFORGE_NATIVE_THREADS)'),
  tailLines: z.number().int().min(0).default(20).describe('log lines quoted when a task fails'),
  singleThreadedV8: z.enum(['auto', 'on', 'off']).default('auto')
    .describe("run jobs with node --single-threaded (no V8 background threads); auto: when jobs x threadsPerJob fill the cores"),
});
type Options = OptionsOf<typeof LocalExecutorOptions>;

/** The default number of jobs: cores / threads per job, at least 1. */
export function defaultJobs(threadsPerJob: number, cores = availableParallelism()): number {
  return Math.max(1, Math.floor(cores / threadsPerJob));
}

/** Whether jobs run with `node --single-threaded`: `auto` when jobs x threadsPerJob use every core. */
export function useSingleThreadedV8(mode: 'auto' | 'on' | 'off', jobs: number, threadsPerJob: number, cores = availableParallelism()): boolean {
  return mode === 'on' || (mode === 'auto' && threadsPerJob === 1 && jobs * threadsPerJob >= cores);
}

/**
 * Runs tasks as child processes on this machine, `jobs` at a time, each with
 * `LENSFORGE_NATIVE_THREADS=threadsPerJob` so jobs do not oversubscribe the cores. Every task
 * logs to `OUT/.lensforge-exec/logs/<id>.log`; a task that exits non-zero or is killed is
 * reported with its log path and last lines, and the others go on.
 */
@component({ kind: 'executor', name: 'core/local', description: 'child processes on this machine (--jobs N)', options: LocalExecutorOptions })
export class LocalExecutor implements Executor {
  private singleThreaded = false;

  constructor(@inject(TOKENS.Options) private readonly opts: Options) {}

  async run(tasks: ExecTask[], ctx: ExecutorRunContext): Promise<ExecutorResult> {
    const jobs = ctx.jobs ?? this.opts.jobs ?? defaultJobs(this.opts.threadsPerJob);
    this.singleThreaded = useSingleThreadedV8(this.opts.singleThreadedV8, jobs, this.opts.threadsPerJob);
    const files = writeTaskFiles(ctx.outDir, tasks);
    const initial: TaskStatus[] = tasks.map((t) => ({ id: t.id, label: t.label, outDir: t.outDir, state: 'queued' }));
    const state = new ExecStateFile(ctx.outDir, 'core/local', ctx.what, initial, { jobs, threadsPerJob: this.opts.threadsPerJob });
    const bar = ctx.progress?.start(`${ctx.what} (${jobs} job${jobs === 1 ? '' : 's'})`, tasks.length);
    const queue: number[] = [];
    for (const [i, t] of tasks.entries()) {
      if (isTaskDone(t)) {
        state.update(t.id, { state: 'done', skipped: true, endedAt: new Date().toISOString() });
        ctx.logger.info(`[${t.id}] ${t.label}: finished earlier with the same configuration, skipped`);
        bar?.tick(1);
      } else queue.push(i);
    }
    const running = new Map<string, ChildProcess>();
    const signal = ctx.signal;
    const onAbort = () => {
      for (const i of queue.splice(0)) state.update(tasks[i].id, { state: 'cancelled', endedAt: new Date().toISOString() });
      for (const child of running.values()) child.kill('SIGTERM');
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      await Promise.all(Array.from({ length: Math.min(jobs, queue.length) }, async () => {
        for (let i = queue.shift(); i !== undefined; i = queue.shift()) {
          await this.runOne(tasks[i], files[i], ctx, state, running);
          bar?.tick(1);
        }
      }));
    } finally {
      signal?.removeEventListener('abort', onAbort);
      bar?.stop();
    }
    return { tasks: state.state.tasks, detached: false };
  }

  /** Local processes leave nothing to ask a scheduler: a task marked running whose process is gone is reported as failed. */
  async refresh(s: ExecState): Promise<ExecState> {
    for (const t of s.tasks) {
      if (t.state !== 'running' || !t.handle) continue;
      try { process.kill(Number(t.handle), 0); } catch {
        t.state = 'failed';
        t.error = `process ${t.handle} is gone (the submitting command was stopped?)`;
      }
    }
    return s;
  }

  private runOne(task: ExecTask, file: string, ctx: ExecutorRunContext, state: ExecStateFile, running: Map<string, ChildProcess>): Promise<void> {
    const logPath = join(logsDir(ctx.outDir), `${task.id}.log`);
    const prev = state.get(task.id);
    const attempt = (prev.attempt ?? 0) + 1;
    const fd = openSync(logPath, 'a');
    writeSync(fd, `--- lensforge task ${task.id} (${task.label}), attempt ${attempt}, ${new Date().toISOString()}\n`);
    const [cmd, ...args] = workerArgv(file, { singleThreadedV8: this.singleThreaded });
    const child = spawn(cmd, args, {
      stdio: ['ignore', fd, fd],
      env: { ...process.env, LENSFORGE_NATIVE_THREADS: String(this.opts.threadsPerJob), LENSFORGE_TASK_ID: task.id },
    });
    closeSync(fd);
    running.set(task.id, child);
    state.update(task.id, { state: 'running', logPath, attempt, handle: String(child.pid ?? ''), startedAt: new Date().toISOString() });
    ctx.logger.info(`[${task.id}] ${task.label}: started (pid ${child.pid}${this.singleThreaded ? ', node --single-threaded' : ''}, log ${logPath})`);
    return new Promise<void>((res) => {
      let ended = false;
      const end = (code: number | null, sig: NodeJS.Signals | null, spawnError?: Error) => {
        if (ended) return;
        ended = true;
        running.delete(task.id);
        const endedAt = new Date().toISOString();
        if (ctx.signal?.aborted) {
          state.update(task.id, { state: 'cancelled', endedAt, error: 'cancelled' });
        } else if (!spawnError && code === 0 && isTaskDone(task)) {
          state.update(task.id, { state: 'done', endedAt, error: undefined });
          ctx.logger.info(`[${task.id}] ${task.label}: done`);
        } else {
          const why = spawnError ? `could not start: ${spawnError.message}` : sig ? `killed by ${sig}` : code === 0 ? 'exited 0 without writing its result' : `exited with code ${code}`;
          const tail = logTail(logPath, this.opts.tailLines);
          state.update(task.id, { state: 'failed', endedAt, error: `${why}; last lines of ${logPath}:\n${tail}` });
          ctx.logger.warn(`[${task.id}] ${task.label}: failed (${why}); log ${logPath}\n${tail.split('\n').map((l) => `    ${l}`).join('\n')}`);
        }
        res();
      };
      child.once('error', (e) => end(null, null, e));
      child.once('exit', (code, sig) => end(code, sig));
    });
  }
}
