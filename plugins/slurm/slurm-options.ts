import { z } from '../../core/index.js';

/** Options of the `slurm/slurm` executor (`executor: { use: slurm, ... }` or `--executor slurm`). */
export const SlurmExecutorOptions = z.strictObject({
  partition: z.string().min(1).optional().describe('--partition'),
  account: z.string().min(1).optional().describe('--account'),
  qos: z.string().min(1).optional().describe('--qos'),
  time: z.string().regex(/^[0-9:-]+$/).optional().describe('--time limit per element, e.g. "02:00:00" or "1-00:00:00"'),
  cpusPerTask: z.number().int().min(1).default(1).describe('--cpus-per-task (and LENSFORGE_NATIVE_THREADS of each element)'),
  mem: z.string().regex(/^[0-9]+[KMGT]?$/).optional().describe('--mem per element, e.g. "8G"'),
  gres: z.string().min(1).optional().describe('--gres, e.g. "gpu:1"'),
  throttle: z.number().int().min(1).optional().describe('elements running at once (--array=0-K%M; --jobs N sets it too)'),
  extra: z.array(z.string().min(1)).default([]).describe('more #SBATCH lines, e.g. ["--constraint=gpu", "--exclusive"]'),
  setup: z.string().optional().describe('shell line run before each element, e.g. "module load nodejs/20; source venv/bin/activate"'),
  node: z.string().min(1).optional().describe('node binary on the compute nodes (default: the submitting one)'),
  jobName: z.string().regex(/^[A-Za-z0-9_.-]+$/).default('lensforge').describe('--job-name'),
  retries: z.number().int().min(0).default(2).describe('resubmissions of failed or preempted elements (they resume from checkpoints)'),
  pollSeconds: z.number().positive().default(5).describe('squeue/sacct polling interval while waiting'),
});

export type SlurmOptions = z.output<typeof SlurmExecutorOptions>;
