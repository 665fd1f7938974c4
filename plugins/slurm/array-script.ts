import type { SlurmOptions } from './slurm-options.js';

/** Single-quote a word for bash. */
export function shq(s: string): string { return `'${s.replace(/'/g, `'\\''`)}'`; }

function resourceLines(o: SlurmOptions): string[] {
  const l: string[] = [];
  if (o.partition) l.push(`--partition=${o.partition}`);
  if (o.account) l.push(`--account=${o.account}`);
  if (o.qos) l.push(`--qos=${o.qos}`);
  if (o.time) l.push(`--time=${o.time}`);
  return l;
}

/**
 * The batch script of one job array: element i runs line i+1 of `listFile` (a task file) with
 * `node BIN task run TASKFILE`; stdout and stderr go to `logs/slurm-%A_%a.out`.
 */
export function arrayScript(a: { opts: SlurmOptions; count: number; throttle?: number; listFile: string; logsDir: string; node: string; bin: string }): string {
  const o = a.opts;
  const sb = [
    `--job-name=${o.jobName}`,
    `--array=0-${a.count - 1}${a.throttle ? `%${a.throttle}` : ''}`,
    `--output=${a.logsDir}/slurm-%A_%a.out`,
    `--error=${a.logsDir}/slurm-%A_%a.out`,
    `--cpus-per-task=${o.cpusPerTask}`,
    ...resourceLines(o),
    ...(o.mem ? [`--mem=${o.mem}`] : []),
    ...(o.gres ? [`--gres=${o.gres}`] : []),
    ...o.extra,
  ];
  return [
    '#!/bin/bash',
    ...sb.map((x) => `#SBATCH ${x}`),
    '# written by lensforge (slurm/slurm executor): one element per task',
    'set -o pipefail',
    ...(o.setup ? [o.setup] : []),
    `export LENSFORGE_NATIVE_THREADS="\${SLURM_CPUS_PER_TASK:-${o.cpusPerTask}}"`,
    `TASK="$(sed -n "$((SLURM_ARRAY_TASK_ID + 1))p" ${shq(a.listFile)})"`,
    'echo "lensforge: element ${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID} on $(hostname) runs $TASK (restart ${SLURM_RESTART_COUNT:-0})"',
    // one CPU per element: no V8 background threads either (they would share that CPU)
    `exec ${shq(a.node)}${o.cpusPerTask === 1 ? ' --single-threaded' : ''} ${shq(a.bin)} task run "$TASK"`,
    '',
  ].join('\n');
}

/** The follow-up job (`--dependency=afterany:<array>`): resubmits failed elements or writes the results. */
export function afterScript(a: { opts: SlurmOptions; outDir: string; logsDir: string; node: string; bin: string }): string {
  const o = a.opts;
  const sb = [`--job-name=${o.jobName}-after`, `--output=${a.logsDir}/slurm-after-%j.out`, '--cpus-per-task=1', ...resourceLines(o)];
  return [
    '#!/bin/bash',
    ...sb.map((x) => `#SBATCH ${x}`),
    '# written by lensforge: runs when every element of the array has ended',
    ...(o.setup ? [o.setup] : []),
    `exec ${shq(a.node)} ${shq(a.bin)} slurm-after ${shq(a.outDir)}`,
    '',
  ].join('\n');
}
