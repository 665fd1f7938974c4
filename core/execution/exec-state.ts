import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LensforgeError } from '../errors.js';
import { writeJsonAtomic } from '../io/atomic-write.js';
import type { TaskStatus } from './task.js';

/** The folder an executor keeps its task files, logs and state in: `OUT/.lensforge-exec`. */
export function execDir(outDir: string): string { return join(outDir, '.lensforge-exec'); }

/** The executor state of an output folder, read by `lensforge status`. */
export interface ExecState {
  format: 'lensforge-exec-state';
  /** The executor's registered name (`core/local`, `slurm/slurm`). */
  executor: string;
  /** What was run: `bench` or `simulate`. */
  what: string;
  outDir: string;
  updatedAt: string;
  tasks: TaskStatus[];
  /** Executor-specific data (Slurm job ids, ...). */
  extra?: Record<string, unknown>;
  /** Set by `lensforge status` when the scheduler could not be asked. */
  note?: string;
}

export function statePath(outDir: string): string { return join(execDir(outDir), 'state.json'); }

export function readExecState(outDir: string): ExecState | undefined {
  const p = statePath(outDir);
  if (!existsSync(p)) return undefined;
  let s: ExecState;
  try { s = JSON.parse(readFileSync(p, 'utf8')) as ExecState; } catch (e) {
    throw new LensforgeError(`${p}: not valid JSON (an executor state file was expected)`, { cause: e });
  }
  if (s.format !== 'lensforge-exec-state' || !Array.isArray(s.tasks)) throw new LensforgeError(`${p}: format: expected "lensforge-exec-state" with a tasks list, got ${JSON.stringify(s.format)}`);
  return s;
}

/**
 * The per-task states of one submission, written atomically to `state.json` on every change
 * (so `lensforge status` never reads half a file).
 */
export class ExecStateFile {
  readonly state: ExecState;

  constructor(outDir: string, executor: string, what: string, tasks: TaskStatus[], extra?: Record<string, unknown>, existing?: ExecState) {
    this.state = existing ?? { format: 'lensforge-exec-state', executor, what, outDir, updatedAt: new Date().toISOString(), tasks, extra };
    if (!existing) this.save();
  }

  /** The state file of `outDir`, to update it (a scheduler's follow-up job, `lensforge status`). */
  static load(outDir: string): ExecStateFile {
    const s = readExecState(outDir);
    if (!s) throw new LensforgeError(`${statePath(outDir)}: not found (was ${outDir} run on an executor?)`);
    return new ExecStateFile(s.outDir, s.executor, s.what, s.tasks, s.extra, s);
  }

  /** Wrap a state already in memory (changes are saved to its outDir). */
  static wrap(s: ExecState): ExecStateFile { return new ExecStateFile(s.outDir, s.executor, s.what, s.tasks, s.extra, s); }

  get(id: string): TaskStatus {
    const t = this.state.tasks.find((x) => x.id === id);
    if (!t) throw new LensforgeError(`executor state: unknown task id "${id}"`);
    return t;
  }

  update(id: string, patch: Partial<TaskStatus>): TaskStatus {
    const t = this.get(id);
    Object.assign(t, patch);
    this.save();
    return t;
  }

  setExtra(key: string, value: unknown): void {
    this.state.extra = { ...(this.state.extra ?? {}), [key]: value };
    this.save();
  }

  save(): void {
    this.state.updatedAt = new Date().toISOString();
    writeJsonAtomic(statePath(this.state.outDir), this.state);
  }
}
