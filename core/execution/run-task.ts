import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LensforgeError } from '../errors.js';
import type { Logger } from '../di/logger.js';
import type { ProgressReporter } from '../di/progress.js';
import { simulateDataset } from '../dataset/simulate.js';
import { validateExperiment, type LoadedExperiment } from '../experiment/load-config.js';
import { configHashOf, runExperiment } from '../experiment/runner.js';
import { loadPluginsInto } from '../registry/plugin-loader.js';
import type { Registry } from '../registry/registry.js';
import { isTaskDone } from './task-done.js';
import { readTaskFile } from './task-files.js';
import { collectBenchResults } from './bench-results.js';
import { readFinalizeFile } from './finalize.js';

async function loadTaskConfig(config: Record<string, unknown>, baseDir: string, source: string | undefined, registry: Registry, plugins: readonly string[] = []): Promise<LoadedExperiment> {
  await loadPluginsInto(registry, plugins, baseDir);
  const p = config.plugins;
  if (Array.isArray(p)) await loadPluginsInto(registry, p as string[], baseDir);
  return validateExperiment(structuredClone(config), registry, source, baseDir);
}

/**
 * The worker side of every executor (`lensforge task run TASKFILE`): run one task. Idempotent:
 * a finished result with the task's hash is left as it is; a run directory of the same
 * configuration is resumed from its checkpoints; a dataset range keeps its finished shards.
 */
export async function runTaskFile(path: string, registry: Registry, logger: Logger, progress?: ProgressReporter): Promise<'done' | 'skipped'> {
  const t = readTaskFile(path);
  logger.info(`task ${t.id} (${t.label}) -> ${t.outDir}`);
  if (isTaskDone(t)) { logger.info(`task ${t.id}: finished earlier with the same configuration (hash ${t.configHash}); nothing to do`); return 'skipped'; }
  const loaded = await loadTaskConfig(t.payload.config, t.payload.baseDir, t.payload.source, registry, t.plugins);
  if (t.payload.kind === 'run') {
    const hash = configHashOf(loaded);
    if (hash !== t.configHash) throw new LensforgeError(`${path}: configHash: the task's config resolves to hash ${hash} here, expected ${t.configHash} (different plugin or lensforge versions on this node?)`);
    const prev = join(t.outDir, 'config.resolved.json');
    const resume = existsSync(prev) && (JSON.parse(readFileSync(prev, 'utf8')) as { configHash?: string }).configHash === hash;
    await runExperiment(loaded, { registry, out: t.outDir, resume, overwrite: true, logger, progress, tag: t.payload.tag });
  } else {
    await simulateDataset(loaded, { out: t.outDir, registry, logger, progress, workers: 1, shardRange: { from: t.payload.from, to: t.payload.to } });
  }
  if (!isTaskDone(t)) throw new LensforgeError(`task ${t.id}: ended without its result in ${t.outDir}`);
  logger.info(`task ${t.id}: done`);
  return 'done';
}

/** `lensforge task finalize FILE`: write the bench tables, or finish the dataset manifest. */
export async function runFinalizeFile(path: string, registry: Registry, logger: Logger): Promise<{ missing: string[] }> {
  const f = readFinalizeFile(path);
  if (f.kind === 'bench-results') return collectBenchResults(f, logger);
  const loaded = await loadTaskConfig(f.config, f.baseDir, f.source, registry, f.plugins);
  const m = await simulateDataset(loaded, { out: f.outDir, registry, logger, adoptWritten: true, maxShards: 0 });
  const written = new Set(m.shards.map((s) => s.index));
  const n = Math.ceil(m.count / m.shardSize);
  const missing = Array.from({ length: n }, (_, i) => i).filter((i) => !written.has(i)).map((i) => `shard ${i}`);
  if (missing.length) logger.warn(`dataset ${f.outDir} is incomplete: ${missing.length} shard(s) missing (${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ', ...' : ''})`);
  else logger.info(`dataset ${f.outDir} complete: ${m.count} samples in ${m.shards.length} shard(s)`);
  return { missing };
}
