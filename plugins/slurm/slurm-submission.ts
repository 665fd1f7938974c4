import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import {
  ExecStateFile, cliBin, execDir, isTaskDone, logTail, logsDir, readTaskFile, taskFilePath, writeFileAtomic,
  type ExecState, type Logger,
} from '../../core/index.js';
import { afterScript, arrayScript } from './array-script.js';
import { endedElements, queuedElements, sbatch } from './slurm-commands.js';
import type { SlurmOptions } from './slurm-options.js';

/** One `sbatch --array`: its job id, which attempt it is, and the task id of each element. */
export interface Submission { jobId: string; attempt: number; taskIds: string[]; afterJobId?: string }

/** What the Slurm executor keeps in the state file (`extra.slurm`). */
export interface SlurmExtra { options: SlurmOptions; throttle?: number; finalizeFile?: string; submissions: Submission[] }

export function slurmExtra(s: ExecState): SlurmExtra { return (s.extra?.slurm ?? { submissions: [] }) as SlurmExtra; }

const TERMINAL = new Set(['COMPLETED', 'FAILED', 'CANCELLED', 'TIMEOUT', 'PREEMPTED', 'NODE_FAIL', 'OUT_OF_MEMORY', 'BOOT_FAIL', 'DEADLINE', 'SPECIAL_EXIT']);

/** Submit the tasks `taskIds` as one job array (attempt `attempt`); records it in the state file. */
export async function submitArray(state: ExecStateFile, taskIds: string[], attempt: number, withAfterJob: boolean, logger: Logger): Promise<Submission> {
  const extra = slurmExtra(state.state);
  const outDir = state.state.outDir;
  const dir = join(execDir(outDir), 'slurm');
  const listFile = join(dir, `array-${attempt}.list`);
  writeFileAtomic(listFile, taskIds.map((id) => taskFilePath(outDir, id)).join('\n') + '\n');
  const node = extra.options.node ?? process.execPath;
  const script = join(dir, `array-${attempt}.sh`);
  writeFileAtomic(script, arrayScript({ opts: extra.options, count: taskIds.length, throttle: extra.throttle, listFile, logsDir: logsDir(outDir), node, bin: cliBin() }));
  chmodSync(script, 0o755);
  const jobId = await sbatch(script);
  const sub: Submission = { jobId, attempt, taskIds };
  taskIds.forEach((id, i) => state.update(id, {
    state: 'queued', attempt, handle: `${jobId}_${i}`, logPath: join(logsDir(outDir), `slurm-${jobId}_${i}.out`), error: undefined, endedAt: undefined,
  }));
  if (withAfterJob) {
    const after = join(dir, `after-${attempt}.sh`);
    writeFileAtomic(after, afterScript({ opts: extra.options, outDir, logsDir: logsDir(outDir), node, bin: cliBin() }));
    sub.afterJobId = await sbatch(after, [`--dependency=afterany:${jobId}`]);
  }
  extra.submissions.push(sub);
  state.setExtra('slurm', extra);
  logger.info(`slurm: submitted job array ${jobId} (${taskIds.length} element(s), attempt ${attempt}${extra.throttle ? `, at most ${extra.throttle} at once` : ''})${sub.afterJobId ? `; follow-up job ${sub.afterJobId} runs when it ends` : ''}`);
  return sub;
}

/**
 * Bring the states of a submission's tasks up to date from squeue (queued / running) and, for
 * elements that left the queue, from the outputs (done) or sacct / scontrol (failed, with the
 * scheduler's state, exit code and the log's last lines). Returns true while some element is queued or running.
 */
export async function reconcile(state: ExecStateFile, sub: Submission, unknownPolls: Map<number, number>, tailLines = 20): Promise<boolean> {
  const queued = await queuedElements(sub.jobId);
  const ended = queued.size < sub.taskIds.length ? await endedElements(sub.jobId) : new Map<number, { state: string; exitCode: string }>();
  let active = false;
  for (const [i, id] of sub.taskIds.entries()) {
    const t = state.get(id);
    if (t.attempt !== sub.attempt || t.state === 'done' || t.state === 'failed' || t.state === 'cancelled') continue;
    const q = queued.get(i);
    const e = ended.get(i);
    if (q && !TERMINAL.has(q)) {
      active = true;
      const st = q === 'RUNNING' || q === 'COMPLETING' ? 'running' : 'queued';
      if (t.state !== st) state.update(id, { state: st, ...(st === 'running' ? { startedAt: new Date().toISOString() } : {}) });
      continue;
    }
    const task = readTaskFile(taskFilePath(state.state.outDir, id));
    if (isTaskDone(task)) { state.update(id, { state: 'done', endedAt: new Date().toISOString() }); continue; }
    if (!e || !TERMINAL.has(e.state)) {
      // not in the queue and not (yet) in the accounting: give the scheduler a few polls
      const n = (unknownPolls.get(i) ?? 0) + 1;
      unknownPolls.set(i, n);
      if (n < 4) { active = true; continue; }
    }
    const why = e ? `Slurm state ${e.state}, exit code ${e.exitCode}` : 'left the queue without a result (state unknown)';
    state.update(id, { state: 'failed', endedAt: new Date().toISOString(), error: `${why}; last lines of ${t.logPath}:\n${t.logPath ? logTail(t.logPath, tailLines) : ''}` });
  }
  return active;
}

/** The tasks of a submission that did not end done. */
export function unfinished(state: ExecStateFile, sub: Submission): string[] {
  return sub.taskIds.filter((id) => state.get(id).state !== 'done');
}
