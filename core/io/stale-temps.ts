import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Logger } from '../di/logger.js';
import { pidAlive } from './dir-lock.js';

/** `.name.<pid>.<n>.tmp`: a temp file of writeFileAtomic. */
const TEMP_FILE = /^\..+\.(\d+)\.\d+\.tmp$/;
/** `.<tag>.<pid>.tmp`: a checkpoint folder being written by CheckpointStore. */
const TEMP_DIR = /^\..+\.(\d+)\.tmp$/;

/**
 * Remove the temp files and folders that writers killed mid-write left in `folders` (each
 * scanned on its own, not recursively): only those whose pid (in the name) is not a running
 * process, so a live writer's temp file is never touched. Call it holding the directory's lock.
 * Logs one line naming what was removed (paths relative to `root`) and returns the full paths.
 */
export function removeStaleTemps(root: string, folders: string[], logger?: Logger): string[] {
  const removed: string[] = [];
  for (const dir of folders) {
    if (!existsSync(dir)) continue;
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const m = (e.isDirectory() ? TEMP_DIR : TEMP_FILE).exec(e.name);
      if (!m || pidAlive(Number(m[1]))) continue;
      const p = join(dir, e.name);
      rmSync(p, { recursive: true, force: true });
      removed.push(p);
    }
  }
  if (removed.length && logger) {
    logger.info(`removed ${removed.length} stale temporary file${removed.length === 1 ? '' : 's'} left in ${root} by processes that are no longer running: ` +
      removed.map((p) => relative(root, p)).join(', '));
  }
  return removed;
}

/** The folders of a run directory that hold temp files: itself, plots/, checkpoints/ and checkpoints/<phase>/. */
export function runDirTempFolders(dir: string): string[] {
  const ck = join(dir, 'checkpoints');
  const phases = existsSync(ck) ? readdirSync(ck, { withFileTypes: true }).filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => join(ck, e.name)) : [];
  return [dir, join(dir, 'plots'), ck, ...phases];
}
