import { execFile } from 'node:child_process';
import { LensforgeError } from '../../core/index.js';

/**
 * Run a Slurm client command; resolves stdout, rejects with its stderr. Killed after `timeoutMs`
 * (a client that cannot read its slurm.conf retries for a minute).
 */
export function slurmCmd(cmd: string, args: readonly string[], timeoutMs = 120000): Promise<string> {
  return new Promise((res, rej) => {
    execFile(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: timeoutMs }, (err, stdout, stderr) => {
      if (err) rej(new LensforgeError(`${cmd} ${args.join(' ')}: ${(stderr || err.message).trim()}`, { cause: err }));
      else res(stdout);
    });
  });
}

/** `sbatch --parsable SCRIPT`: the job id. */
export async function sbatch(script: string, extraArgs: readonly string[] = []): Promise<string> {
  const out = await slurmCmd('sbatch', ['--parsable', ...extraArgs, script]);
  const id = out.trim().split(';')[0];
  if (!/^[0-9]+$/.test(id)) throw new LensforgeError(`sbatch ${script}: expected a job id, got ${JSON.stringify(out.trim())}`);
  return id;
}

/** Elements of job `jobId` still known to the queue (pending, running, ...), by array index. */
export async function queuedElements(jobId: string): Promise<Map<number, string>> {
  let out: string;
  try { out = await slurmCmd('squeue', ['-h', '-r', '-j', jobId, '-o', '%i|%T']); } catch (e) {
    if (/Invalid job id/i.test((e as Error).message)) return new Map();
    throw e;
  }
  const m = new Map<number, string>();
  for (const line of out.split('\n')) {
    const [id, st] = line.trim().split('|');
    const idx = /_(\d+)$/.exec(id ?? '')?.[1];
    if (idx !== undefined && st) m.set(Number(idx), st);
  }
  return m;
}

/**
 * Final states of the elements of `jobId` (`COMPLETED`, `FAILED`, `CANCELLED`, `PREEMPTED`,
 * `TIMEOUT`, ... with the exit code): from `sacct`, or from `scontrol show job` where
 * accounting is disabled (a cluster without slurmdbd keeps finished jobs for MinJobAge).
 */
export async function endedElements(jobId: string): Promise<Map<number, { state: string; exitCode: string }>> {
  const m = new Map<number, { state: string; exitCode: string }>();
  try {
    const out = await slurmCmd('sacct', ['-n', '-P', '-X', '-j', jobId, '--format=JobID,State,ExitCode']);
    for (const line of out.split('\n')) {
      const [id, state, exitCode] = line.trim().split('|');
      const idx = /_(\d+)$/.exec(id ?? '')?.[1];
      if (idx !== undefined && state) m.set(Number(idx), { state: state.split(' ')[0], exitCode: exitCode ?? '' });
    }
    if (m.size) return m;
  } catch { /* accounting disabled: ask the controller */ }
  try {
    const out = await slurmCmd('scontrol', ['-o', 'show', 'job', jobId]);
    for (const line of out.split('\n')) {
      const idx = /ArrayTaskId=(\d+)/.exec(line)?.[1];
      const state = /JobState=(\S+)/.exec(line)?.[1];
      if (idx !== undefined && state) m.set(Number(idx), { state, exitCode: /ExitCode=(\S+)/.exec(line)?.[1] ?? '' });
    }
  } catch { /* purged */ }
  return m;
}

export async function scancel(jobIds: readonly string[]): Promise<void> {
  if (jobIds.length) await slurmCmd('scancel', [...jobIds]).catch(() => undefined);
}
