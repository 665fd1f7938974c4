import { existsSync, readFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LensforgeError } from '../errors.js';
import { writeJsonAtomic } from '../io/atomic-write.js';
import { execDir } from './exec-state.js';
import { TASK_ID_RE, type ExecTask, type TaskFile } from './task.js';

/** Absolute path of the CLI entry (`dist/core/cli/bin.js`) the workers run. */
export function cliBin(): string { return fileURLToPath(new URL('../cli/bin.js', import.meta.url)); }

/**
 * The command line that runs one task file: `node BIN task run FILE`. With `singleThreadedV8`,
 * node gets `--single-threaded` (no V8 background compile / GC threads), so a job that was
 * given one core uses one core: measured here, two such jobs on 2 cores each run as fast as one
 * alone, while without it each takes about 1.2 cores and both slow down.
 */
export function workerArgv(taskFile: string, o: { singleThreadedV8?: boolean } = {}): string[] {
  return [process.execPath, ...(o.singleThreadedV8 ? ['--single-threaded'] : []), cliBin(), 'task', 'run', taskFile];
}

export function taskFilePath(outDir: string, id: string): string { return join(execDir(outDir), 'tasks', `${id}.json`); }
export function logsDir(outDir: string): string { return join(execDir(outDir), 'logs'); }

/** Write every task's JSON file under `OUT/.lensforge-exec/tasks/` and return their paths (same order). */
export function writeTaskFiles(outDir: string, tasks: readonly ExecTask[]): string[] {
  const seen = new Set<string>();
  mkdirSync(logsDir(outDir), { recursive: true });
  return tasks.map((t, i) => {
    if (!TASK_ID_RE.test(t.id)) throw new LensforgeError(`tasks[${i}].id: expected letters, digits, "_", "." or "-", got ${JSON.stringify(t.id)}`);
    if (seen.has(t.id)) throw new LensforgeError(`tasks[${i}].id: "${t.id}" is used twice`);
    seen.add(t.id);
    const file: TaskFile = { format: 'lensforge-task', version: 1, ...t };
    const p = taskFilePath(outDir, t.id);
    writeJsonAtomic(p, file);
    return p;
  });
}

export function readTaskFile(path: string): TaskFile {
  if (!existsSync(path)) throw new LensforgeError(`task file not found: ${path}`);
  let t: TaskFile;
  try { t = JSON.parse(readFileSync(path, 'utf8')) as TaskFile; } catch (e) {
    throw new LensforgeError(`${path}: not valid JSON (a lensforge task file was expected)`, { cause: e });
  }
  if (t.format !== 'lensforge-task' || t.version !== 1) throw new LensforgeError(`${path}: format: expected "lensforge-task" version 1, got ${JSON.stringify(t.format)} version ${JSON.stringify(t.version)}`);
  if (!t.payload || (t.payload.kind !== 'run' && t.payload.kind !== 'simulate')) throw new LensforgeError(`${path}: payload.kind: expected "run" or "simulate", got ${JSON.stringify((t.payload as { kind?: unknown } | undefined)?.kind)}`);
  return t;
}
