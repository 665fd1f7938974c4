import { existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { LensforgeError } from '../errors.js';
import type { Logger } from '../di/logger.js';
import { acquireDirLock, LOCK_FILE, type DirLock } from '../io/dir-lock.js';
import { configDiff, formatConfigDiff } from './config-diff.js';

/** What a run directory holds already, read from its config.resolved.json and summary.json. */
export interface StoredRun {
  dir: string;
  /** Hash in config.resolved.json (undefined: no such file). */
  configHash?: string;
  /** The stored resolved config, for the diff. */
  config?: Record<string, unknown>;
  /** Hash in summary.json (undefined: no such file, i.e. not finished). */
  summaryHash?: string;
  /** False for a summary.json written before timings were split from the metrics (it may hold timings among its metrics). */
  summaryHasTimings: boolean;
}

/** Keys of config.resolved.json that record the run, not define it (left out of the diff, as `name` is left out of the hash). */
const RECORD_KEYS = ['configHash', 'source', 'baseDir', 'versions', 'backendSelected', 'createdAt', 'name'];

function readJsonFile(path: string): Record<string, unknown> {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    throw new LensforgeError(`reading ${path}: ${(e as Error).message}; move the directory aside or pass --overwrite`, { cause: e });
  }
}

/** The run stored in `dir`, or undefined when it holds none (no config.resolved.json, no summary.json). */
export function readStoredRun(dir: string): StoredRun | undefined {
  const cfgPath = join(dir, 'config.resolved.json');
  const sumPath = join(dir, 'summary.json');
  const hasCfg = existsSync(cfgPath), hasSum = existsSync(sumPath);
  if (!hasCfg && !hasSum) return undefined;
  const config = hasCfg ? readJsonFile(cfgPath) : undefined;
  const summary = hasSum ? readJsonFile(sumPath) : undefined;
  return {
    dir, config,
    configHash: config ? String(config.configHash) : undefined,
    summaryHash: summary ? String(summary.configHash) : undefined,
    summaryHasTimings: !!summary && typeof summary.timings === 'object' && summary.timings !== null,
  };
}

/** True when `stored` is a finished run of the configuration `hash` (summary and config agree). */
export function isFinishedRun(stored: StoredRun | undefined, hash: string): boolean {
  return !!stored && stored.summaryHash === hash && (stored.configHash === undefined || stored.configHash === hash);
}

/**
 * Why `stored` is not a run of the configuration `hash` / `resolved` (undefined when it is):
 * both hashes and the differing keys (old → new), or, for a directory whose summary.json and
 * config.resolved.json disagree, both of their hashes.
 */
export function storedRunMismatch(stored: StoredRun, hash: string, resolved: Record<string, unknown>): string | undefined {
  const { configHash: cfgHash, summaryHash } = stored;
  if (cfgHash !== undefined && summaryHash !== undefined && cfgHash !== summaryHash) {
    return `holds files of two configurations: ${join(stored.dir, 'config.resolved.json')} has hash ${cfgHash}, ${join(stored.dir, 'summary.json')} hash ${summaryHash} (this config: ${hash})`;
  }
  const storedHash = cfgHash ?? summaryHash;
  if (storedHash === hash) return undefined;
  const strip = (c: Record<string, unknown>) => Object.fromEntries(Object.entries(c).filter(([k]) => !RECORD_KEYS.includes(k)));
  const changes = stored.config ? configDiff(strip(stored.config), strip(JSON.parse(JSON.stringify(resolved)) as Record<string, unknown>)) : [];
  const keys = !stored.config ? 'no config.resolved.json to compare keys with'
    : changes.length ? `${changes.length} differing key${changes.length === 1 ? '' : 's'}: ${formatConfigDiff(changes)}`
      : 'no key differs in config.resolved.json (it was written by another lensforge version)';
  return `holds a run of a different configuration: stored hash ${storedHash}${cfgHash ? ' (config.resolved.json)' : ' (summary.json)'}, this config ${hash}; ${keys}`;
}

/**
 * Move a whole run directory aside to `<dir>.replaced-<UTC time>` (one rename: the old run is
 * never mixed with the new one) and take the lock of the fresh, empty `dir`. `lock` is the lock
 * of `dir` held by the caller: it travels with the old directory and is removed there.
 * Returns the new lock and where the old run went.
 */
export function moveRunAside(dir: string, lock: DirLock, what: string, logger?: Logger): { lock: DirLock; aside: string } {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  let aside = `${dir}.replaced-${stamp}`;
  for (let i = 2; existsSync(aside); i++) aside = `${dir}.replaced-${stamp}-${i}`;
  try { renameSync(dir, aside); } catch (e) {
    throw new LensforgeError(`moving ${what} ${dir} aside to ${aside}: ${(e as Error).message}`, { cause: e });
  }
  lock.release();
  rmSync(join(aside, LOCK_FILE), { force: true });
  return { lock: acquireDirLock(dir, { what, logger }), aside };
}
