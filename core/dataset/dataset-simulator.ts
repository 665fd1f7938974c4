import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';
import { inject } from '../di/typed-inject.js';
import { component } from '../registry/component.js';
import { TOKENS } from '../di/tokens.js';
import type { Sample } from '../contracts/sample.js';
import type { Simulator } from '../contracts/simulator.js';
import type { DatasetManifest } from './dataset-format.js';
import { readManifest } from './manifest-schema.js';
import { readShard } from './shard-verify.js';
import type { ComponentFactory } from '../registry/component-factory.js';
import { baseDirOf } from './base-dir.js';

export const DatasetOptions = z.strictObject({
  /** Folder written by `lensforge simulate` (relative to the config file). */
  path: z.string().min(1),
  /** Use only the first `limit` samples. */
  limit: z.number().int().min(1).optional(),
  /** Other splits a method asks for (eval, downstream-train, downstream-test, ...) -> dataset folders (relative to the config file). */
  splits: z.record(z.string().min(1), z.string().min(1)).optional(),
});
type Options = z.output<typeof DatasetOptions>;

/**
 * A dataset on disk (written by `lensforge simulate`) used as a simulator: streams samples shard
 * by shard, all stored views included, labels from the parameter table. The manifest is
 * schema-validated; each shard is verified when first read (size and sha256 of its files, its
 * .npy header against the manifest's dtype and shape, one params row per sample).
 */
@component({ kind: 'simulator', name: 'io/dataset', description: 'reads a dataset folder written by `lensforge simulate`', options: DatasetOptions })
export class DatasetSimulator implements Simulator {
  readonly imageShape: readonly [number, number, number];
  readonly labelNames: readonly string[];
  readonly size: number;
  readonly manifest: DatasetManifest;
  private readonly dir: string;
  private readonly others = new Map<string, DatasetSimulator>();
  private readonly opts: Options;
  private readonly baseDir: string;
  private cache = new Map<number, { images: Float32Array; labels: Array<{ index: number; labels: Record<string, number> }> }>();

  constructor(@inject(TOKENS.Options) opts: Options, @inject(TOKENS.Factory) factory?: ComponentFactory) {
    this.opts = opts;
    this.baseDir = baseDirOf(factory);
    this.dir = isAbsolute(opts.path) ? opts.path : resolve(this.baseDir, opts.path);
    const mp = join(this.dir, 'manifest.json');
    if (!existsSync(mp)) throw new Error(`data.path: no dataset at ${this.dir} (manifest.json missing); write one with \`lensforge simulate CONFIG --out DIR\``);
    this.manifest = readManifest(mp);
    if (!this.manifest.complete) throw new Error(`data.path: the dataset in ${this.dir} is incomplete (${this.manifest.shards.length} shard(s)); finish it with \`lensforge simulate ... --out ${this.dir}\``);
    this.imageShape = this.manifest.imageShape;
    this.labelNames = this.manifest.labelNames;
    this.size = Math.min(opts.limit ?? Infinity, this.manifest.count);
  }

  sample(index: number, split = this.manifest.split): Sample {
    if (split !== this.manifest.split) {
      const other = this.opts.splits?.[split];
      if (other === undefined) {
        throw new Error(`dataset ${this.dir} holds split "${this.manifest.split}" only, not "${split}"; set data.splits.${split}: DIR, a dataset written by \`lensforge simulate CONFIG --out DIR --set simulate.split=${split}\` (or read your files with io/images, which divides them into train/eval/test)`);
      }
      let d = this.others.get(split);
      if (!d) {
        d = new DatasetSimulator({ path: resolve(this.baseDir, other), limit: this.opts.limit });
        this.others.set(split, d);
      }
      return d.sample(index, d.manifest.split);
    }
    if (!Number.isInteger(index) || index < 0 || index >= this.size) throw new Error(`dataset index: expected an integer in [0, ${this.size}), got ${index}`);
    const si = Math.floor(index / this.manifest.shardSize);
    const shard = this.loadShard(si);
    const k = index - si * this.manifest.shardSize;
    const [h, w, c] = this.imageShape;
    const per = h * w * c;
    const views: Float32Array[] = [];
    for (let v = 0; v < this.manifest.views; v++) views.push(shard.images.slice((k * this.manifest.views + v) * per, (k * this.manifest.views + v + 1) * per));
    return { image: views[0], views, labels: shard.labels[k].labels };
  }

  private loadShard(i: number) {
    let s = this.cache.get(i);
    if (!s) {
      const info = this.manifest.shards.find((x) => x.index === i);
      if (!info) throw new Error(`dataset ${this.dir}: shard ${i} is missing from the manifest`);
      s = readShard(this.dir, this.manifest, info);
      if (this.cache.size >= 2) this.cache.delete(this.cache.keys().next().value as number);
      this.cache.set(i, s);
    }
    return s;
  }
}
