import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { LensforgeError } from '../errors.js';
import type { Logger } from '../di/logger.js';
import { SilentProgress, type ProgressReporter } from '../di/progress.js';
import { writeFileAtomic, writeJsonAtomic } from '../io/atomic-write.js';
import { readNpy } from '../io/npy.js';
import { writeImageGridPng } from '../io/png.js';
import type { Registry } from '../registry/registry.js';
import { Rng } from '../tensor/rng.js';
import type { SimulateConfig } from '../experiment/config-schema.js';
import type { LoadedExperiment } from '../experiment/load-config.js';
import { stableHash } from '../experiment/stable-hash.js';
import { versions } from '../experiment/versions.js';
import { buildSimulator, type SimulatorRecipe } from './build-simulator.js';
import { DATASET_FORMAT, DATASET_VERSION, shardName, toCsv, type DatasetManifest, type ShardInfo } from './dataset-format.js';
import { writeShard } from './shard-writer.js';

export interface SimulateOptions {
  out: string;
  registry: Registry;
  logger: Logger;
  progress?: ProgressReporter;
  /** Overrides `simulate.workers`. */
  workers?: number;
  /** Stop after writing this many shards (tests of resume). */
  maxShards?: number;
  /**
   * Executor task: write only shards [from, to) and leave manifest.json alone (several processes
   * write one folder). The manifest must exist (`prepareOnly` first); `adoptWritten` finalizes.
   */
  shardRange?: { from: number; to: number };
  /** Write the manifest when absent (or check it) and return without simulating. */
  prepareOnly?: boolean;
  /** Count shards whose files are on disk but not yet in the manifest (written by shard-range tasks) as done. */
  adoptWritten?: boolean;
}

/**
 * Write the experiment's simulator output to disk in shards, in parallel on worker threads.
 * Resumable: finished shards are kept; a finished dataset is identical for the same seed
 * whatever the number of workers.
 */
export async function simulateDataset(loaded: LoadedExperiment, opts: SimulateOptions): Promise<DatasetManifest> {
  const sc: SimulateConfig = loaded.config.simulate ?? ({ count: 1000, shardSize: 1000, views: 1, split: 'train', fits: false, workers: 'auto', plotSamples: 16 });
  const dir = resolve(opts.out);
  const spec = { use: loaded.components.data.component.name, ...loaded.components.data.options };
  const recipe: SimulatorRecipe = { plugins: loaded.config.plugins, baseDir: loaded.baseDir, spec, seed: loaded.config.seed };
  const configHash = stableHash({ spec, seed: recipe.seed, count: sc.count, shardSize: sc.shardSize, views: sc.views, split: sc.split, fits: sc.fits });
  const sim = await buildSimulator(recipe, opts.registry);
  const manifestPath = join(dir, 'manifest.json');
  let manifest: DatasetManifest;
  if (existsSync(manifestPath)) {
    const prev = JSON.parse(readFileSync(manifestPath, 'utf8')) as DatasetManifest;
    if (prev.format !== DATASET_FORMAT || prev.configHash !== configHash) {
      throw new LensforgeError(`simulate --out: ${dir} already holds a different dataset (its manifest's configuration differs); choose another --out`);
    }
    manifest = prev;
    if (manifest.complete) { opts.logger.info(`dataset in ${dir} is already complete (${manifest.count} samples)`); return manifest; }
    if (!opts.shardRange && !opts.prepareOnly) opts.logger.info(`resuming dataset in ${dir}: ${manifest.shards.length} shard(s) already written`);
  } else {
    if (opts.shardRange) throw new LensforgeError(`simulate shard range: ${manifestPath} not found; write the manifest first (prepareOnly)`);
    manifest = {
      format: DATASET_FORMAT, version: DATASET_VERSION, simulator: spec, seed: recipe.seed, split: sc.split,
      count: sc.count, shardSize: sc.shardSize, views: sc.views, imageShape: [...sim.imageShape] as [number, number, number],
      labelNames: [...sim.labelNames], fits: sc.fits, versions: { ...versions() }, configHash, shards: [], complete: false,
      createdAt: new Date().toISOString(), updatedAt: new Date().toISOString(),
    };
    writeJsonAtomic(manifestPath, manifest);
  }
  if (opts.prepareOnly) return manifest;
  const done = new Set(manifest.shards.filter((s) => existsSync(join(dir, s.images)) && existsSync(join(dir, s.params))).map((s) => s.index));
  manifest.shards = manifest.shards.filter((s) => done.has(s.index));
  const nShards = Math.ceil(sc.count / sc.shardSize);
  if (opts.shardRange || opts.adoptWritten) adoptWrittenShards(dir, manifest, nShards, done, !opts.shardRange);
  let pending: Array<{ shard: number; start: number; count: number }> = [];
  for (let i = 0; i < nShards; i++) if (!done.has(i)) pending.push({ shard: i, start: i * sc.shardSize, count: Math.min(sc.shardSize, sc.count - i * sc.shardSize) });
  if (opts.shardRange) pending = pending.filter((p) => p.shard >= opts.shardRange!.from && p.shard < opts.shardRange!.to);
  if (opts.maxShards !== undefined) pending = pending.slice(0, opts.maxShards);
  const nWorkers = Math.max(1, Math.min(pending.length, opts.workers ?? (sc.workers === 'auto' ? availableParallelism() : sc.workers)));
  const task = (opts.progress ?? new SilentProgress()).start('simulate', pending.reduce((a, p) => a + p.count, 0));
  const t0 = Date.now();
  const finish = (info: ShardInfo) => {
    if (opts.shardRange) { task.tick(info.count); return; }
    manifest.shards.push(info);
    manifest.shards.sort((a, b) => a.index - b.index);
    manifest.updatedAt = new Date().toISOString();
    writeJsonAtomic(manifestPath, manifest);
    task.tick(info.count);
  };
  if (nWorkers === 1) {
    const viewRng = Rng.fromSeed(recipe.seed).derive('simulate');
    for (const p of pending) finish(writeShard(dir, p.shard, p.start, p.count, sc.views, sc.split, sim, viewRng, sc.fits));
  } else {
    await runPool(nWorkers, pending, { recipe, dir, views: sc.views, split: sc.split, fits: sc.fits }, finish);
  }
  task.stop();
  const secs = (Date.now() - t0) / 1000;
  const made = pending.reduce((a, p) => a + p.count, 0);
  if (made) opts.logger.info(`simulated ${made} samples x ${sc.views} view(s) in ${secs.toFixed(1)} s with ${nWorkers} worker(s) (${(made / secs).toFixed(1)} samples/s)`);
  if (!opts.shardRange && manifest.shards.length === nShards) {
    const rows = manifest.shards.flatMap((s) => JSON.parse(readFileSync(join(dir, s.params), 'utf8')) as Array<{ index: number; labels: Record<string, number> }>);
    writeJsonAtomic(join(dir, 'params.json'), rows);
    writeFileAtomic(join(dir, 'params.csv'), toCsv(manifest.labelNames, rows));
    if (sc.plotSamples > 0) writePreview(dir, manifest, sc.plotSamples);
    manifest.complete = true;
    manifest.updatedAt = new Date().toISOString();
    writeJsonAtomic(manifestPath, manifest);
  }
  return manifest;
}

/**
 * Shards written by shard-range tasks are on disk but not in the manifest: a shard counts as
 * written when its params JSON exists (writeShard writes it atomically after the images). With
 * `record`, their entries (exactly what writeShard returns) are added to the manifest.
 */
function adoptWrittenShards(dir: string, manifest: DatasetManifest, nShards: number, done: Set<number>, record: boolean): void {
  for (let i = 0; i < nShards; i++) {
    if (done.has(i)) continue;
    const name = shardName(i);
    const info: ShardInfo = { index: i, start: i * manifest.shardSize, count: Math.min(manifest.shardSize, manifest.count - i * manifest.shardSize), images: `images-${name}.npy`, params: `params-${name}.json` };
    if (!existsSync(join(dir, info.images)) || !existsSync(join(dir, info.params))) continue;
    done.add(i);
    if (record) manifest.shards.push(info);
  }
  manifest.shards.sort((a, b) => a.index - b.index);
}

function writePreview(dir: string, m: DatasetManifest, n: number): void {
  const first = readNpy(join(dir, m.shards[0].images));
  const [h, w, c] = m.imageShape;
  const per = h * w * c;
  const count = Math.min(n, m.shards[0].count);
  const tiles: Float32Array[] = [];
  for (let i = 0; i < count; i++) {
    for (let v = 0; v < m.views; v++) {
      const img = (first.data as Float32Array).subarray((i * m.views + v) * per, (i * m.views + v + 1) * per);
      if (c === 1) tiles.push(img);
      else { const ch = new Float32Array(h * w); for (let p = 0; p < h * w; p++) ch[p] = img[p * c]; tiles.push(ch); }
    }
  }
  const cols = m.views > 1 ? m.views * Math.max(1, Math.floor(8 / m.views)) : 8;
  writeImageGridPng(join(dir, 'samples.png'), tiles, h, w, { cols, scale: h < 96 ? 2 : 1, asinh: 0.1, originLower: true });
}

async function runPool(n: number, jobs: Array<{ shard: number; start: number; count: number }>, init: unknown, finish: (i: ShardInfo) => void): Promise<void> {
  const queue = [...jobs];
  const url = new URL('./simulate-worker.js', import.meta.url);
  await Promise.all(Array.from({ length: n }, () => new Promise<void>((res, rej) => {
    const w = new Worker(url, { workerData: init });
    let failed = false;
    const next = () => {
      const job = queue.shift();
      w.postMessage(job ?? null);
      if (!job) void w.terminate().then(() => res());
    };
    w.on('message', (m: { ready?: boolean; ok?: ShardInfo; error?: string }) => {
      if (m.error) { failed = true; void w.terminate(); rej(new LensforgeError(`simulation worker failed: ${m.error}`)); return; }
      if (m.ok) finish(m.ok);
      next();
    });
    w.on('error', (e) => { failed = true; rej(new LensforgeError('simulation worker crashed', { cause: e })); });
    w.on('exit', (code) => { if (code !== 0 && !failed && queue.length) rej(new LensforgeError(`simulation worker exited with code ${code}`)); });
  })));
}
