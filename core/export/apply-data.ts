import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { LensforgeError } from '../errors.js';
import { TOKENS } from '../di/tokens.js';
import { provide } from '../di/token.js';
import type { Simulator } from '../contracts/simulator.js';
import { readConfigFile } from '../experiment/load-config.js';
import { ComponentFactory } from '../registry/component-factory.js';
import type { Registry } from '../registry/registry.js';
import { loadPluginsInto } from '../registry/plugin-loader.js';
import { Rng } from '../tensor/rng.js';
import { ImageFilesSimulator, prepareImageReaders } from '../dataset/image-files-simulator.js';
import type { TrainedRun } from './load-trained-run.js';

/** The images `embed` / `predict` run a network on, one by one (read lazily). */
export interface ApplyData {
  /** What DATA was (the config file or the path). */
  source: string;
  component: string;
  count: number;
  imageShape: readonly [number, number, number];
  labelNames: readonly string[];
  id(k: number): string;
  /** Image k, preprocessed (H*W*C float32). */
  image(k: number): Float32Array;
  labels(k: number): Record<string, number>;
  close(): void;
}

export interface ApplyDataOptions {
  /** Only this split (default: every image of io/images data; split "train" of a simulator). */
  split?: string;
  /** DATA is a path: a labels CSV joined by object id (file name without extension). */
  labels?: string;
  /** DATA is a path: centre-crop / zero-pad every image to the run's size. */
  crop?: boolean;
  /** At most this many images. */
  limit?: number;
}

const CONFIG_RE = /\.(ya?ml|json)$/i;

/**
 * DATA of `embed` / `predict`: a dataset config (YAML / JSON with a `data:` section, like an
 * experiment; its `plugins:` are loaded) or a plain path to a FITS / .npy / HDF5 file or folder,
 * read by `io/images` with the run's preprocessing (its NaN policy, normalisation and size when
 * the run read io/images). Images of another size or channel count than the run's are refused.
 */
export async function openApplyData(data: string, run: TrainedRun, registry: Registry, o: ApplyDataOptions = {}): Promise<ApplyData> {
  const abs = resolve(data);
  if (!existsSync(abs)) throw new LensforgeError(`DATA ${data}: no such file or folder; expected a dataset config (.yaml/.json with data:) or a FITS / .npy / HDF5 file or folder`);
  let spec: Record<string, unknown>;
  let baseDir: string;
  let seed = 0;
  let where: string;
  if (CONFIG_RE.test(abs)) {
    const raw = readConfigFile(abs);
    baseDir = dirname(abs);
    if (raw.data === undefined) throw new LensforgeError(`${data}: no data: section; expected a dataset config like an experiment's (data: { use: io/images, path: ... })`);
    if (Array.isArray(raw.plugins)) await loadPluginsInto(registry, raw.plugins as string[], baseDir);
    spec = raw.data as Record<string, unknown>;
    if (typeof raw.seed === 'number') seed = raw.seed;
    where = `${data}: data`;
  } else {
    baseDir = process.cwd();
    const norm = run.networks[0]?.normalisation;
    spec = { use: 'io/images', path: abs, split: { by: 'none' }, ...(norm?.component === 'io/images' ? norm.options : {}) };
    if (o.crop) spec.size = [run.imageShape[0], run.imageShape[1]];
    if (o.labels) spec.labels = { file: resolve(o.labels), by: 'id' };
    where = `DATA ${data}`;
  }
  const resolved = registry.resolve('simulator', spec, 'data', CONFIG_RE.test(abs) ? data : undefined);
  await prepareImageReaders(spec, baseDir);
  const factory = new ComponentFactory(registry, Rng.fromSeed(seed));
  provide(factory.container, TOKENS.BaseDir, baseDir);
  const sim = factory.build<Simulator>(resolved);
  const [h, w, c] = sim.imageShape;
  const [rh, rw, rc] = run.imageShape;
  if (h !== rh || w !== rw || c !== rc) {
    const first = sim instanceof ImageFilesSimulator ? ` (first image: ${sim.set.entries[0]?.file})` : '';
    throw new LensforgeError(`${where}: images of ${h}x${w}x${c}${first}, but the run ${run.dir} was trained on ${rh}x${rw}x${rc} (height x width x channels); ` +
      (c !== rc ? `give images with ${rc} channel(s)` : CONFIG_RE.test(abs) ? `set data.size: [${rh}, ${rw}] to centre-crop / zero-pad them` : `pass --crop to centre-crop / zero-pad them to ${rh}x${rw}, or give images of that size`));
  }
  const cap = (n: number) => Math.min(n, o.limit ?? Infinity);
  if (sim instanceof ImageFilesSimulator) {
    const set = sim.set;
    const idx = o.split ? [...(set.splits.get(set.resolveSplit(o.split)) ?? [])] : set.entries.map((_, k) => k);
    const n = cap(idx.length);
    return {
      source: data, component: resolved.component.name, count: n, imageShape: sim.imageShape, labelNames: sim.labelNames,
      id: (k) => set.entries[idx[k]].id, image: (k) => set.processed(idx[k]), labels: (k) => set.labelsOf(idx[k]),
      close: () => set.close(),
    };
  }
  const split = o.split ?? 'train';
  const n = cap(sim.size);
  if (!Number.isFinite(n)) throw new LensforgeError(`${where}: ${resolved.component.name} is an unbounded generator; pass --limit N for how many images to take`);
  let last: { k: number; s: ReturnType<Simulator['sample']> } | undefined;
  const get = (k: number) => { if (last?.k !== k) last = { k, s: sim.sample(k, split) }; return last.s; };
  return {
    source: data, component: resolved.component.name, count: n, imageShape: sim.imageShape, labelNames: sim.labelNames,
    id: (k) => `${split}:${k}`, image: (k) => get(k).image, labels: (k) => get(k).labels, close: () => {},
  };
}
