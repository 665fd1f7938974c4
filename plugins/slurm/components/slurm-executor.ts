import {
  component, ExecStateFile, inject, isTaskDone, TOKENS, writeTaskFiles,
  type ExecState, type ExecTask, type Executor, type ExecutorResult, type ExecutorRunContext, type TaskStatus,
} from '../../../core/index.js';
import { scancel } from '../slurm-commands.js';
import { SlurmExecutorOptions, type SlurmOptions } from '../slurm-options.js';
import { reconcile, slurmExtra, submitArray, unfinished, type SlurmExtra } from '../slurm-submission.js';

const sleep = (ms: number, signal?: AbortSignal) => new Promise<void>((res) => {
  const t = setTimeout(res, ms);
  signal?.addEventListener('abort', () => { clearTimeout(t); res(); }, { once: true });
});

/**
 * Runs tasks as one Slurm job array (`sbatch --array=0-K%M`), one element per task, each element
 * running `lensforge task run TASKFILE` with its own log (`slurm-%A_%a.out`). Waits, polling
 * squeue (and sacct, or scontrol where accounting is off), and resubmits failed or preempted
 * elements up to `retries` times — they resume from their checkpoints; or, with `--detach`,
 * returns at once and leaves resubmission and the results to a follow-up job
 * (`--dependency=afterany`) that runs `lensforge slurm-after OUT`.
 * The output folder must be on a file system every node sees.
 */
@component({ kind: 'executor', name: 'slurm/slurm', description: 'a Slurm job array, one element per task (retries, --detach)', options: SlurmExecutorOptions })
export class SlurmExecutor implements Executor {
  constructor(@inject(TOKENS.Options) private readonly opts: SlurmOptions) {}

  async run(tasks: ExecTask[], ctx: ExecutorRunContext): Promise<ExecutorResult> {
    writeTaskFiles(ctx.outDir, tasks);
    const extra: SlurmExtra = { options: this.opts, throttle: ctx.jobs ?? this.opts.throttle, finalizeFile: ctx.finalizeFile, submissions: [] };
    const initial: TaskStatus[] = tasks.map((t) => ({ id: t.id, label: t.label, outDir: t.outDir, state: 'queued' }));
    const state = new ExecStateFile(ctx.outDir, 'slurm/slurm', ctx.what, initial, { slurm: extra });
    const todo: string[] = [];
    for (const t of tasks) {
      if (isTaskDone(t)) { state.update(t.id, { state: 'done', skipped: true }); ctx.logger.info(`[${t.id}] ${t.label}: finished earlier with the same configuration, skipped`); }
      else todo.push(t.id);
    }
    if (!todo.length) return { tasks: state.state.tasks, detached: false };
    let sub = await submitArray(state, todo, 1, !!ctx.detach, ctx.logger);
    if (ctx.detach) return { tasks: state.state.tasks, detached: true };
    const bar = ctx.progress?.start(`${ctx.what} on slurm`, tasks.length);
    let shown = 0;
    const tick = () => { const d = state.state.tasks.filter((t) => t.state === 'done').length; if (d > shown) { bar?.tick(d - shown); shown = d; } };
    tick();
    const onAbort = () => { void scancel(extra.submissions.map((s) => s.jobId)); };
    ctx.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      let unknown = new Map<number, number>();
      for (;;) {
        await sleep(this.opts.pollSeconds * 1000, ctx.signal);
        if (ctx.signal?.aborted) {
          await scancel(extra.submissions.map((s) => s.jobId));
          for (const t of state.state.tasks) if (t.state === 'queued' || t.state === 'running') state.update(t.id, { state: 'cancelled', error: 'cancelled' });
          break;
        }
        const before = new Map(state.state.tasks.map((t) => [t.id, t.state]));
        const active = await reconcile(state, sub, unknown);
        for (const t of state.state.tasks) {
          if (before.get(t.id) === t.state) continue;
          if (t.state === 'failed') ctx.logger.warn(`[${t.id}] ${t.label}: failed (attempt ${t.attempt}); log ${t.logPath}\n${(t.error ?? '').split('\n').map((l) => `    ${l}`).join('\n')}`);
          else ctx.logger.info(`[${t.id}] ${t.label}: ${t.state} (${t.handle})`);
        }
        tick();
        if (active) continue;
        const again = unfinished(state, sub);
        if (!again.length || sub.attempt > this.opts.retries) break;
        ctx.logger.info(`slurm: resubmitting ${again.length} element(s) that did not finish (attempt ${sub.attempt + 1} of ${this.opts.retries + 1}); they resume from their checkpoints`);
        sub = await submitArray(state, again, sub.attempt + 1, false, ctx.logger);
        unknown = new Map();
      }
    } finally {
      ctx.signal?.removeEventListener('abort', onAbort);
      bar?.stop();
    }
    return { tasks: state.state.tasks, detached: false };
  }

  /** `lensforge status`: the latest submission's elements from squeue / sacct. */
  async refresh(s: ExecState): Promise<ExecState> {
    const state = ExecStateFile.wrap(s);
    const subs = slurmExtra(s).submissions;
    if (subs.length) await reconcile(state, subs[subs.length - 1], new Map([...subs[subs.length - 1].taskIds.keys()].map((i) => [i, 9])));
    return state.state;
  }
}
