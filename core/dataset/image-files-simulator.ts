import { existsSync, readdirSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { inject } from '../di/typed-inject.js';
import { component } from '../registry/component.js';
import { TOKENS } from '../di/tokens.js';
import type { ComponentFactory } from '../registry/component-factory.js';
import type { Sample } from '../contracts/sample.js';
import type { Simulator } from '../contracts/simulator.js';
import { loadH5wasm } from '../io/hdf5-read.js';
import { ImageFileSet } from './image-file-set.js';
import { baseDirOf } from './base-dir.js';
import { ImageFilesOptions, type ImageFilesConfig } from './image-files-options.js';

/**
 * Images from your own files — FITS (images, cubes, extensions, per-band files, .gz), `.npy`
 * stacks or HDF5 datasets — with labels from a CSV and train / eval / test splits, as a simulator:
 * `sample(i, split)` is image i of the split (methods' other split names map through
 * `splitAliases`: validation/val → eval, downstream-train → train, downstream-test → test).
 * Options: see image-files-options.ts (`lensforge list simulator`).
 */
@component({ kind: 'simulator', name: 'io/images', description: 'reads your images: FITS / .npy / HDF5 files, labels from a CSV, train/eval/test splits', options: ImageFilesOptions })
export class ImageFilesSimulator implements Simulator {
  readonly set: ImageFileSet;
  readonly imageShape: readonly [number, number, number];
  readonly labelNames: readonly string[];
  readonly size: number;

  constructor(@inject(TOKENS.Options) opts: ImageFilesConfig, @inject(TOKENS.Factory) factory?: ComponentFactory) {
    this.set = new ImageFileSet(opts, baseDirOf(factory));
    this.imageShape = this.set.imageShape;
    this.labelNames = this.set.labelNames;
    this.size = this.set.size;
  }

  sample(index: number, split = 'train'): Sample { return this.set.sample(index, split); }
}

/**
 * Load what `io/images` specs anywhere in `config` need before components are built (the HDF5
 * library, whose WebAssembly loads asynchronously, ~1 s, so only when HDF5 is read).
 */
export async function prepareImageReaders(config: unknown, baseDir = process.cwd()): Promise<void> {
  const found: boolean[] = [];
  const walk = (v: unknown): void => {
    if (!v || typeof v !== 'object') return;
    if (Array.isArray(v)) { v.forEach(walk); return; }
    const o = v as Record<string, unknown>;
    if (o.use === 'io/images' && usesHdf5(o, baseDir)) found.push(true);
    Object.values(o).forEach(walk);
  };
  walk(config);
  if (found.length) await loadH5wasm();
}

function usesHdf5(o: Record<string, unknown>, baseDir: string): boolean {
  if (o.format === 'hdf5') return true;
  if (o.format !== undefined && o.format !== 'auto') return false;
  const paths = [o.path, ...Object.values(((o.split as { paths?: Record<string, unknown> } | undefined)?.paths) ?? {})].filter((p): p is string => typeof p === 'string');
  return paths.some((p) => {
    if (/\.(h5|hdf5|he5)$/i.test(p)) return true;
    const abs = resolve(baseDir, p);
    try { return existsSync(abs) && statSync(abs).isDirectory() && readdirSync(abs).some((f) => /\.(h5|hdf5|he5)$/i.test(f)); } catch { return false; }
  });
}
