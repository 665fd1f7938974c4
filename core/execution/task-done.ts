import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { shardName } from '../dataset/dataset-format.js';
import type { ExecTask } from './task.js';

function readJson<T>(path: string): T | undefined {
  if (!existsSync(path)) return undefined;
  try { return JSON.parse(readFileSync(path, 'utf8')) as T; } catch { return undefined; }
}

/**
 * Whether a task's output already holds its finished result with the same config hash:
 * a run directory's summary.json, or every shard of a simulate range (params JSON and images)
 * in a dataset folder whose manifest has the hash.
 */
export function isTaskDone(task: ExecTask): boolean {
  if (task.payload.kind === 'run') {
    return readJson<{ configHash?: string }>(join(task.outDir, 'summary.json'))?.configHash === task.configHash;
  }
  const m = readJson<{ configHash?: string }>(join(task.outDir, 'manifest.json'));
  if (m?.configHash !== task.configHash) return false;
  for (let i = task.payload.from; i < task.payload.to; i++) {
    const n = shardName(i);
    if (!existsSync(join(task.outDir, `params-${n}.json`)) || !existsSync(join(task.outDir, `images-${n}.npy`))) return false;
  }
  return true;
}
