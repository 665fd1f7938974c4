import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** What a bench table is stamped with, per run: its config hash, the backend it ran on and the commit. */
export interface RunStamp { configHash?: string; backend?: string; commit?: string }

function readJson(path: string): Record<string, unknown> | undefined {
  if (!existsSync(path)) return undefined;
  try { return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>; } catch { return undefined; }
}

/**
 * The stamp of a finished run directory: `configHash` and `backend` from its summary.json, the
 * commit from config.resolved.json (`versions.gitCommit`, recorded when the run started). Fields
 * a run did not record are left out (a run outside a git checkout has no commit).
 */
export function readRunStamp(runDir: string): RunStamp {
  const summary = readJson(join(runDir, 'summary.json'));
  const resolved = readJson(join(runDir, 'config.resolved.json'));
  const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
  const versions = resolved?.versions as Record<string, unknown> | undefined;
  const stamp: RunStamp = {
    configHash: str(summary?.configHash) ?? str(resolved?.configHash),
    backend: str(summary?.backend) ?? str(resolved?.backendSelected),
    commit: str(versions?.gitCommit),
  };
  return Object.fromEntries(Object.entries(stamp).filter(([, v]) => v !== undefined)) as RunStamp;
}
