import { resolve } from 'node:path';
import type { Command } from 'commander';
import { LensforgeError } from '../../errors.js';
import { readExecState, statePath, type ExecState } from '../../execution/exec-state.js';
import type { Executor } from '../../execution/executor.js';
import { selectExecutor } from '../../execution/select-executor.js';
import { isTaskDone } from '../../execution/task-done.js';
import { readTaskFile, taskFilePath } from '../../execution/task-files.js';
import type { Registry } from '../../registry/registry.js';

/** The state of an output folder's tasks, brought up to date from the outputs and the scheduler. */
export async function currentStatus(outDir: string, registry: Registry): Promise<ExecState> {
  const dir = resolve(outDir);
  const s = readExecState(dir);
  if (!s) throw new LensforgeError(`status: ${statePath(dir)} not found (was ${dir} run with --executor?)`);
  let ex: Executor | undefined;
  try { ex = registry.has('executor', s.executor) ? selectExecutor(registry, s.executor, undefined)?.executor : undefined; } catch { ex = undefined; }
  if (!ex?.refresh) return s;
  try { return await ex.refresh(s); } catch (e) {
    // the scheduler cannot be asked from here (no SLURM_CONF, another host): show the state file as last written
    s.note = `could not ask the scheduler (${(e as Error).message.split('\n')[0]}); showing the state as last written`;
    return s;
  }
}

/** One line per task: `id  state  label  log`, then the counts. */
export function formatStatus(s: ExecState): string {
  const w = Math.max(...s.tasks.map((t) => t.id.length), 2);
  const lines = s.tasks.map((t) => {
    const extra = [t.skipped ? 'skipped: finished earlier' : '', t.attempt && t.attempt > 1 ? `attempt ${t.attempt}` : '', t.handle ? `(${t.handle})` : ''].filter(Boolean).join(' ');
    const err = t.state === 'failed' && t.error ? `\n${' '.repeat(w + 2)}${t.error.split('\n')[0]}` : '';
    return `${t.id.padEnd(w)}  ${t.state.padEnd(9)}  ${t.label}${extra ? `  ${extra}` : ''}${t.logPath ? `  log ${t.logPath}` : ''}${err}`;
  });
  const counts = ['done', 'running', 'queued', 'failed', 'cancelled'].map((k) => `${s.tasks.filter((t) => t.state === k).length} ${k}`).join(', ');
  return [`${s.what} in ${s.outDir} on ${s.executor} (state of ${s.updatedAt})`, ...(s.note ? [`note: ${s.note}`] : []), ...lines, counts].join('\n');
}

export function addStatusCommand(program: Command, registry: Registry): void {
  program.command('status <outDir>').description('per bench cell or dataset shard range: done, running, queued, failed, with log paths')
    .option('--json', 'machine-readable output')
    .action(async (outDir: string, o: { json?: boolean }) => {
      const s = await currentStatus(outDir, registry);
      // a result on disk is the truth, whatever the state file last recorded
      for (const t of s.tasks) if (t.state !== 'done' && isTaskDoneById(s, t.id)) t.state = 'done';
      console.log(o.json ? JSON.stringify(s, null, 2) : formatStatus(s));
    });
}

function isTaskDoneById(s: ExecState, id: string): boolean {
  try { return isTaskDone(readTaskFile(taskFilePath(s.outDir, id))); } catch { return false; }
}
