import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';
import { inject } from 'tsyringe';
import { component } from '../registry/component.js';
import { TOKENS } from '../di/tokens.js';
import type { Sample } from '../contracts/sample.js';
import type { Simulator } from '../contracts/simulator.js';
import { readNpy } from '../io/npy.js';
import { readJsonFile } from '../io/json-file.js';
import { readParamsFile } from './params-file.js';
import { DATASET_FORMAT, type DatasetManifest } from './dataset-format.js';

export const DatasetOptions = z.strictObject({
  /** Folder written by `lensforge simulate`. */
  path: z.string().min(1),
  /** Use only the first `limit` samples. */
  limit: z.number().int().min(1).optional(),
});
type Options = z.output<typeof DatasetOptions>;

/**
 * A dataset on disk (written by `lensforge simulate`) used as a simulator: streams samples shard
 * by shard, all stored views included, labels from the parameter table.
 */
@component({ kind: 'simulator', name: 'io/dataset', description: 'reads a dataset folder written by `lensforge simulate`', options: DatasetOptions })
export class DatasetSimulator implements Simulator {
  readonly imageShape: readonly [number, number, number];
  readonly labelNames: readonly string[];
  readonly size: number;
  readonly manifest: DatasetManifest;
  private readonly dir: string;
  private cache = new Map<number, { images: Float32Array; labels: Array<{ index: number; labels: Record<string, number> }> }>();

  constructor(@inject(TOKENS.Options) opts: Options) {
    this.dir = isAbsolute(opts.path) ? opts.path : resolve(opts.path);
    const mp = join(this.dir, 'manifest.json');
    if (!existsSync(mp)) throw new Error(`data.path: no dataset at ${this.dir} (manifest.json missing); write one with \`lensforge simulate CONFIG --out DIR\``);
    this.manifest = readJsonFile<DatasetManifest>(mp, 'dataset manifest');
    if (this.manifest.format !== DATASET_FORMAT) throw new Error(`data.path: ${mp} is not a lensforge dataset manifest`);
    if (!this.manifest.complete) throw new Error(`data.path: the dataset in ${this.dir} is incomplete (${this.manifest.shards.length} shard(s)); finish it with \`lensforge simulate ... --out ${this.dir}\``);
    this.imageShape = this.manifest.imageShape;
    this.labelNames = this.manifest.labelNames;
    this.size = Math.min(opts.limit ?? Infinity, this.manifest.count);
  }

  sample(index: number, split = this.manifest.split): Sample {
    if (split !== this.manifest.split) {
      throw new Error(`dataset ${this.dir} holds split "${this.manifest.split}" only, not "${split}"; point evaluation data at another dataset`);
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
      const images = readNpy(join(this.dir, info.images)).data as Float32Array;
      const labels = readParamsFile(join(this.dir, info.params), info.count, this.manifest.labelNames);
      s = { images, labels };
      if (this.cache.size >= 2) this.cache.delete(this.cache.keys().next().value as number);
      this.cache.set(i, s);
    }
    return s;
  }
}
