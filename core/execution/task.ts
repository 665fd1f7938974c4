/**
 * What an executor runs: independent tasks, each described by a JSON task file that the hidden
 * worker command `lensforge task run TASKFILE` executes, so local child processes and Slurm
 * array elements run exactly the same thing.
 */

/** Train and evaluate one resolved experiment (a bench cell) into `outDir`. */
export interface RunTaskPayload {
  kind: 'run';
  /** The cell's raw config (bench and executor sections removed, variant and seed applied). */
  config: Record<string, unknown>;
  /** Folder the config's relative paths (plugins, data) are resolved from. */
  baseDir: string;
  /** The config file it came from (for messages). */
  source?: string;
  /** Label of figures and tables (the bench variant). */
  tag?: string;
}

/** Simulate shards [from, to) of a dataset into `outDir` (the manifest is finalized afterwards). */
export interface SimulateTaskPayload {
  kind: 'simulate';
  config: Record<string, unknown>;
  baseDir: string;
  source?: string;
  from: number;
  to: number;
}

export type TaskPayload = RunTaskPayload | SimulateTaskPayload;

/** One independent unit of work. */
export interface ExecTask {
  /** Unique within a submission; a file name (`[A-Za-z0-9_.-]`). */
  id: string;
  /** Human label: `flip seed 1`, `shards 0-3`. */
  label: string;
  /** The task's output directory (a run directory, or the dataset folder). */
  outDir: string;
  /** Hash of what defines the task's result; a finished result with this hash is not redone. */
  configHash: string;
  payload: TaskPayload;
  /** Module specifiers loaded before the task (the CLI's `--plugin`s), absolute paths or packages. */
  plugins?: string[];
}

/** The file given to `lensforge task run`. */
export interface TaskFile extends ExecTask {
  format: 'lensforge-task';
  version: 1;
}

export type TaskStateName = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

/** What an executor knows about one task. */
export interface TaskStatus {
  id: string;
  label: string;
  outDir: string;
  state: TaskStateName;
  /** The log of the latest attempt. */
  logPath?: string;
  /** 1 for the first attempt, 2 after one resubmission, ... */
  attempt?: number;
  /** Finished earlier with the same hash: skipped. */
  skipped?: boolean;
  /** Why it failed: exit code or signal, scheduler state, and the last log lines. */
  error?: string;
  /** Process id (local) or `jobid_index` (Slurm). */
  handle?: string;
  startedAt?: string;
  endedAt?: string;
}

export const TASK_ID_RE = /^[A-Za-z0-9_.-]+$/;
