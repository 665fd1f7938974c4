import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { listTree } from './process-runner.js';
import { epochOfTag } from './fixtures.js';

/** Last checkpointed epoch of every phase of a run directory (from checkpoints/<phase>/latest.json). */
export function checkpointedEpochs(runDir: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const rel of listTree(join(runDir, 'checkpoints'))) {
    const m = /^([^/]+)\/latest\.json$/.exec(rel);
    if (!m) continue;
    try {
      const e = epochOfTag((JSON.parse(readFileSync(join(runDir, 'checkpoints', rel), 'utf8')) as { tag?: string }).tag);
      if (e !== undefined) out[m[1]] = e;
    } catch { /* damaged */ }
  }
  return out;
}

/**
 * Was an epoch that was already checkpointed before the kill trained again afterwards? (its
 * metrics.jsonl record carries a time after the kill). undefined when records have no time.
 */
export function retrainedCheckpointedEpoch(runDir: string, before: Record<string, number>, killedAt: number | undefined): boolean | undefined {
  const p = join(runDir, 'metrics.jsonl');
  if (killedAt === undefined || !existsSync(p) || Object.keys(before).length === 0) return undefined;
  let sawTime = false;
  for (const line of readFileSync(p, 'utf8').split('\n')) {
    let r: { time?: string; phase?: string; epoch?: number };
    try { r = JSON.parse(line) as typeof r; } catch { continue; }
    if (typeof r.time !== 'string') continue;
    sawTime = true;
    const e = r.phase !== undefined ? before[r.phase] : undefined;
    if (e !== undefined && typeof r.epoch === 'number' && r.epoch <= e && Date.parse(r.time) > killedAt) return true;
  }
  return sawTime ? false : undefined;
}
