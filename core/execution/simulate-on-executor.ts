import { readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { LensforgeError } from '../errors.js';
import type { DatasetManifest } from '../dataset/dataset-format.js';
import { simulateDataset } from '../dataset/simulate.js';
import type { LoadedExperiment } from '../experiment/load-config.js';
import { writeJsonAtomic } from '../io/atomic-write.js';
import type { Registry } from '../registry/registry.js';
import { execDir } from './exec-state.js';
import { notDone, TasksFailedError, type ExecutionRequest } from './execution-request.js';
import { finalizeFilePath, type SimulateFinalize } from './finalize.js';
import { runFinalizeFile } from './run-task.js';
import type { ExecTask } from './task.js';

/**
 * `lensforge simulate --executor`: shard ranges [from, to) as tasks writing into one folder; the
 * manifest is written first, and finished (shards recorded, params tables, preview) once every
 * range has ended. Shards do not depend on which process made them, so the dataset is
 * byte-identical to one made by one process.
 */
export async function simulateOnExecutor(loaded: LoadedExperiment, out: string, registry: Registry, req: ExecutionRequest, shardsPerTask = 1): Promise<DatasetManifest | undefined> {
  if (!(Number.isInteger(shardsPerTask) && shardsPerTask >= 1)) throw new LensforgeError(`--shards-per-task: expected a positive integer, got ${shardsPerTask}`);
  const dir = resolve(out);
  const m = await simulateDataset(loaded, { out: dir, registry, logger: req.logger, prepareOnly: true });
  if (m.complete) { req.logger.info(`dataset in ${dir} is already complete (${m.count} samples)`); return m; }
  const n = Math.ceil(m.count / m.shardSize);
  const config = structuredClone(loaded.raw);
  delete config.executor;
  const plugins = req.plugins?.map((p) => (p.startsWith('.') && !isAbsolute(p) ? resolve(p) : p));
  const tasks: ExecTask[] = [];
  for (let from = 0; from < n; from += shardsPerTask) {
    const to = Math.min(n, from + shardsPerTask);
    tasks.push({
      id: `shards-${String(from).padStart(5, '0')}-${String(to - 1).padStart(5, '0')}`,
      label: to - from === 1 ? `shard ${from}` : `shards ${from}-${to - 1}`,
      outDir: dir, configHash: m.configHash,
      payload: { kind: 'simulate', config, baseDir: loaded.baseDir, source: loaded.source, from, to },
      plugins,
    });
  }
  const fin: SimulateFinalize = { format: 'lensforge-finalize', kind: 'simulate-manifest', outDir: dir, config, baseDir: loaded.baseDir, source: loaded.source, plugins };
  const finalizeFile = finalizeFilePath(execDir(dir));
  writeJsonAtomic(finalizeFile, fin);
  req.logger.info(`simulate: ${n} shard(s) in ${tasks.length} task(s) on executor ${req.name}; status: lensforge status ${dir}`);
  const r = await req.executor.run(tasks, { outDir: dir, what: 'simulate', logger: req.logger, progress: req.progress, signal: req.signal, jobs: req.jobs, detach: req.detach, finalizeFile });
  if (r.detached) return undefined;
  await runFinalizeFile(finalizeFile, registry, req.logger);
  const failed = notDone(r);
  if (failed.length) throw new TasksFailedError(failed, tasks.length, 'simulate');
  return JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as DatasetManifest;
}
