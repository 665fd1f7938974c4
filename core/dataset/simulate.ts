import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { LensforgeError } from '../errors.js';
import type { Logger } from '../di/logger.js';
import { SilentProgress, type ProgressReporter } from '../di/progress.js';
import { writeFileAtomic, writeJsonAtomic } from '../io/atomic-write.js';
import { acquireDirLock } from '../io/dir-lock.js';
import { removeStaleTemps } from '../io/stale-temps.js';
import { readNpy } from '../io/npy.js';
import { imageGridPng } from '../io/png.js';
import { digestMismatch, digestOf, type FileDigest } from '../io/file-digest.js';
import type { Registry } from '../registry/registry.js';
import { Rng } from '../tensor/rng.js';
import type { SimulateConfig } from '../experiment/config-schema.js';
import type { LoadedExperiment } from '../experiment/load-config.js';
import { stableHash } from '../experiment/stable-hash.js';
import { versions } from '../experiment/versions.js';
import { buildSimulator, type SimulatorRecipe } from './build-simulator.js';
import { DATASET_FORMAT, DATASET_VERSION, shardName, toCsv, type DatasetManifest, type ShardInfo } from './dataset-format.js';
import { writeShard } from './shard-writer.js';
import { readManifest } from './manifest-schema.js';
import { readShardParams, shardProblem } from './shard-verify.js';

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
 * Resumable: finished shards are re-verified (size and sha256 of every file, .npy header) and
 * kept; a damaged or truncated one is regenerated (a warning names it and why), so the finished
 * dataset is identical to an uninterrupted run, whatever the number of workers. `complete` is
 * set only when every shard verifies.
 * One writer per folder: it holds the folder's lock (`lensforge.lock`) and first removes temp
 * files left by killed writers.
 */
export async function simulateDataset(loaded: LoadedExperiment, opts: SimulateOptions): Promise<DatasetManifest> {
  const dir = resolve(opts.out);
  // shard-range tasks of an executor write one folder together: each holds the lock of its range
  // only, and leaves stale temp files to the single finalising step
  const range = opts.shardRange;
  const lock = range
    ? acquireDirLock(join(dir, '.lensforge-exec', 'locks', `shards-${range.from}-${range.to}`), { what: `shards ${range.from}-${range.to - 1} of dataset folder ${dir}`, logger: opts.logger })
    : acquireDirLock(dir, { what: 'dataset folder', logger: opts.logger });
  try {
    if (!range) removeStaleTemps(dir, [dir, join(dir, 'fits')], opts.logger);
    return await simulateLocked(loaded, opts, dir);
  } finally {
    lock.release();
  }
}

async function simulateLocked(loaded: LoadedExperiment, opts: SimulateOptions, dir: string): Promise<DatasetManifest> {
  const sc: SimulateConfig = loaded.config.simulate ?? ({ count: 1000, shardSize: 1000, views: 1, split: 'train', fits: false, workers: 'auto', plotSamples: 16 });
  const spec = { use: loaded.components.data.component.name, ...loaded.components.data.options };
  const recipe: SimulatorRecipe = { plugins: loaded.config.plugins, baseDir: loaded.baseDir, spec, seed: loaded.config.seed };
  const configHash = stableHash({ spec, seed: recipe.seed, count: sc.count, shardSize: sc.shardSize, views: sc.views, split: sc.split, fits: sc.fits });
  const sim = await buildSimulator(recipe, opts.registry);
  const manifestPath = join(dir, 'manifest.json');
  let manifest: DatasetManifest;
  if (existsSync(manifestPath)) {
    const prev = readManifest(manifestPath);
    if (prev.configHash !== configHash) {
      throw new LensforgeError(`simulate --out: ${dir} already holds a different dataset (its manifest's configuration differs); choose another --out`);
    }
    manifest = prev;
    if (manifest.complete && opts.shardRange) return manifest;
    if (!opts.shardRange) {
      // fields the configuration determines: a manifest edited or damaged there is corrected (the shards are checked against it next)
      const expected: Partial<DatasetManifest> = {
        seed: recipe.seed, split: sc.split, count: sc.count, shardSize: sc.shardSize, views: sc.views, fits: sc.fits,
        imageShape: [...sim.imageShape] as [number, number, number], labelNames: [...sim.labelNames],
      };
      for (const [k, v] of Object.entries(expected) as Array<[keyof DatasetManifest, unknown]>) {
        if (JSON.stringify(manifest[k]) !== JSON.stringify(v)) {
          opts.logger.warn(`${manifestPath}: ${k}: expected ${JSON.stringify(v)} (from the configuration and simulator), got ${JSON.stringify(manifest[k])}; corrected`);
          (manifest as unknown as Record<string, unknown>)[k] = v;
          manifest.complete = false;
        }
      }
      const intact = manifest.shards.filter((s) => {
        const why = shardProblem(dir, manifest, s);
        if (why) opts.logger.warn(`shard ${s.index} (${s.images}) fails verification and is regenerated: ${why}`);
        return !why;
      });
      const finals = manifest.complete && intact.length === manifest.shards.length ? finalFilesProblem(dir, manifest) : undefined;
      if (manifest.complete && intact.length === manifest.shards.length && !finals) {
        opts.logger.info(`dataset in ${dir} is already complete (${manifest.count} samples, every shard verified)`);
        return manifest;
      }
      if (finals) opts.logger.warn(`${finals}; the parameter tables and preview are rebuilt from the verified shards`);
      manifest.shards = intact;
      manifest.complete = false;
      delete manifest.files;
      manifest.updatedAt = new Date().toISOString();
      writeJsonAtomic(manifestPath, manifest);
      if (!opts.prepareOnly) opts.logger.info(`resuming dataset in ${dir}: ${manifest.shards.length} shard(s) already written and verified`);
    }
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
  // a shard-range task only reads the manifest (several write one folder): its shards count as
  // done when they verify; the others keep what the resume check above verified
  const done = new Set((opts.shardRange ? manifest.shards.filter((s) => !shardProblem(dir, manifest, s)) : manifest.shards).map((s) => s.index));
  const nShards = Math.ceil(sc.count / sc.shardSize);
  if (opts.shardRange || opts.adoptWritten) adoptWrittenShards(dir, manifest, nShards, done, !opts.shardRange, opts.logger);
  let pending: Array<{ shard: number; start: number; count: number }> = [];
  for (let i = 0; i < nShards; i++) if (!done.has(i)) pending.push({ shard: i, start: i * sc.shardSize, count: Math.min(sc.shardSize, sc.count - i * sc.shardSize) });
  if (opts.shardRange) pending = pending.filter((p) => p.shard >= opts.shardRange!.from && p.shard < opts.shardRange!.to);
  if (opts.maxShards !== undefined) pending = pending.slice(0, opts.maxShards);
  const nWorkers = Math.max(1, Math.min(pending.length, opts.workers ?? (sc.workers === 'auto' ? availableParallelism() : sc.workers)));
  const task = (opts.progress ?? new SilentProgress()).start('simulate', pending.reduce((a, p) => a + p.count, 0));
  const t0 = Date.now();
  const finish = (info: ShardInfo) => {
    if (opts.shardRange) { writeJsonAtomic(shardRecordPath(dir, info.index), info); task.tick(info.count); return; }
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
    const rows = manifest.shards.flatMap((s) => readShardParams(dir, manifest, s));
    const files: Record<string, FileDigest> = {};
    const put = (name: string, data: string | Uint8Array) => { writeFileAtomic(join(dir, name), data); files[name] = digestOf(data); };
    put('params.json', JSON.stringify(rows, null, 2) + '\n');
    put('params.csv', toCsv(manifest.labelNames, rows));
    if (sc.plotSamples > 0) put('samples.png', previewPng(dir, manifest, sc.plotSamples));
    manifest.files = files;
    manifest.complete = true;
    manifest.updatedAt = new Date().toISOString();
    writeJsonAtomic(manifestPath, manifest);
  }
  return manifest;
}

/** Where a shard-range task records a shard it wrote (its manifest entry, digests included). */
function shardRecordPath(dir: string, index: number): string {
  return join(dir, '.lensforge-exec', 'shards', `${shardName(index)}.json`);
}

/**
 * Shards written by shard-range tasks are on disk but not in the manifest: each task records the
 * entry `writeShard` returned (sizes and sha256 of its files) beside the executor state once the
 * shard is written. A shard counts as written when that record exists and the files verify
 * against it; with `record`, the entries are added to the manifest.
 */
/**
 * Whether shard `index` of a dataset folder is written and intact: in the manifest, or recorded
 * by a shard-range task, with its files verifying against the recorded sizes and sha256.
 */
export function shardWritten(dir: string, manifest: DatasetManifest, index: number): boolean {
  const listed = manifest.shards.find((s) => s.index === index);
  if (listed) return !shardProblem(dir, manifest, listed);
  const p = shardRecordPath(dir, index);
  if (!existsSync(p)) return false;
  try {
    const info = JSON.parse(readFileSync(p, 'utf8')) as ShardInfo;
    return info.index === index && !shardProblem(dir, manifest, info);
  } catch { return false; }
}

function adoptWrittenShards(dir: string, manifest: DatasetManifest, nShards: number, done: Set<number>, record: boolean, logger: Logger): void {
  for (let i = 0; i < nShards; i++) {
    if (done.has(i)) continue;
    const p = shardRecordPath(dir, i);
    if (!existsSync(p)) continue;
    let info: ShardInfo;
    try { info = JSON.parse(readFileSync(p, 'utf8')) as ShardInfo; } catch (e) { logger.warn(`${p}: unreadable shard record (${(e as Error).message}); the shard is written again`); continue; }
    const why = info.index === i ? shardProblem(dir, manifest, info) : `records shard ${info.index}, expected ${i}`;
    if (why) { logger.warn(`shard ${i} written by a shard-range task fails verification and is written again: ${why}`); continue; }
    done.add(i);
    if (record) manifest.shards.push(info);
  }
  manifest.shards.sort((a, b) => a.index - b.index);
}

/** Why the tables and preview of a complete dataset fail verification (first problem), or undefined. */
function finalFilesProblem(dir: string, m: DatasetManifest): string | undefined {
  if (!m.files) return `${join(dir, 'manifest.json')}: files: expected the sizes and sha256 of params.json, params.csv and samples.png, got nothing`;
  for (const [name, want] of Object.entries(m.files)) {
    const path = join(dir, name);
    if (!existsSync(path)) return `${path}: missing (expected ${want.bytes} bytes with sha256 ${want.sha256})`;
    const why = digestMismatch(path, readFileSync(path), want);
    if (why) return why;
  }
  return undefined;
}

function previewPng(dir: string, m: DatasetManifest, n: number): Uint8Array {
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
  return imageGridPng(tiles, h, w, { cols, scale: h < 96 ? 2 : 1, asinh: 0.1, originLower: true });
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
