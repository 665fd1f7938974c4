/**
 * On-disk dataset layout written by `lensforge simulate`:
 *   manifest.json            format, config, seed, versions, counts, shard list, complete flag
 *   images-00000.npy         float32 [n, views, H, W] (or [n, views, H, W, C] when C > 1)
 *   params-00000.json/.csv   one row of labels per sample (index first)
 *   params.csv, params.json  the whole table once complete
 *   fits/                    optional: one FITS file per view with the labels as header keywords
 *   samples.png              optional preview grid
 *
 * Version 2: every shard entry carries `files`, the size and sha256 of each file the shard wrote
 * (images, params .json/.csv, FITS files), and a complete manifest carries `files` for
 * params.json, params.csv and samples.png. Readers verify them; version 1 manifests, which have
 * none, are refused (regenerate the dataset).
 */
import type { FileDigest } from '../io/file-digest.js';

export const DATASET_FORMAT = 'lensforge-dataset';
export const DATASET_VERSION = 2;

export interface ShardInfo {
  index: number; start: number; count: number; images: string; params: string;
  /** Size and sha256 of every file of the shard, by path relative to the dataset folder. */
  files: Record<string, FileDigest>;
}

export interface DatasetManifest {
  format: typeof DATASET_FORMAT;
  version: number;
  simulator: Record<string, unknown>;
  seed: number;
  split: string;
  count: number;
  shardSize: number;
  views: number;
  imageShape: [number, number, number];
  labelNames: string[];
  fits: boolean;
  versions: Record<string, unknown>;
  configHash: string;
  shards: ShardInfo[];
  complete: boolean;
  /** Size and sha256 of params.json, params.csv and samples.png (written when complete). */
  files?: Record<string, FileDigest>;
  createdAt: string;
  updatedAt: string;
}

export function shardName(i: number): string { return String(i).padStart(5, '0'); }

/** npy shape of a shard. */
export function shardShape(n: number, views: number, imageShape: readonly [number, number, number]): number[] {
  const [h, w, c] = imageShape;
  return c === 1 ? [n, views, h, w] : [n, views, h, w, c];
}

export function toCsv(labelNames: readonly string[], rows: Array<{ index: number; labels: Record<string, number> }>): string {
  return [['index', ...labelNames].join(','), ...rows.map((r) => [r.index, ...labelNames.map((n) => r.labels[n])].join(','))].join('\n') + '\n';
}
