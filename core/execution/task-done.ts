import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readManifest } from '../dataset/manifest-schema.js';
import { shardWritten } from '../dataset/simulate.js';
import type { ExecTask } from './task.js';

function readJson<T>(path: string): T | undefined {
  if (!existsSync(path)) return undefined;
  try { return JSON.parse(readFileSync(path, 'utf8')) as T; } catch { return undefined; }
}

/**
 * Whether a task's output already holds its finished result with the same config hash:
 * a run directory's summary.json, or every shard of a simulate range written and verifying
 * (sizes and sha256) in a dataset folder whose manifest has the hash.
 */
export function isTaskDone(task: ExecTask): boolean {
  if (task.payload.kind === 'run') {
    return readJson<{ configHash?: string }>(join(task.outDir, 'summary.json'))?.configHash === task.configHash;
  }
  let m;
  try { m = readManifest(join(task.outDir, 'manifest.json')); } catch { return false; }
  if (m.configHash !== task.configHash) return false;
  for (let i = task.payload.from; i < task.payload.to; i++) if (!shardWritten(task.outDir, m, i)) return false;
  return true;
}
