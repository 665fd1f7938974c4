import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { digestMismatch, IntegrityError } from '../io/file-digest.js';
import { decodeNpy, readNpyHeader } from '../io/npy.js';
import { parseJsonText, validateJson } from '../io/validated-json.js';
import { shardShape, type DatasetManifest, type ShardInfo } from './dataset-format.js';

/** One row of a `params-*.json` table. */
export const ParamsRowSchema = z.strictObject({ index: z.number().int().min(0), labels: z.record(z.string(), z.number().nullable()) });
export type ParamsRow = { index: number; labels: Record<string, number> };

const fmtShape = (s: readonly number[]) => `[${s.join(', ')}]`;

/**
 * Check a shard's .npy header against the manifest: dtype `<f4`, C order, and shape
 * [count, views, H, W(, C)]. Returns the problem (`FILE: npy header descr: expected '<f4' ...,
 * got '<i4'`) or undefined.
 */
export function npyHeaderMismatch(file: string, buf: Uint8Array, m: DatasetManifest, info: ShardInfo): string | undefined {
  let h;
  try { h = readNpyHeader(buf, file); } catch (e) { return (e as Error).message; }
  if (h.descr !== '<f4') return `${file}: npy header descr: expected '<f4' (float32 images, as every lensforge dataset stores), got '${h.descr}'`;
  if (h.fortranOrder) return `${file}: npy header fortran_order: expected False (C order), got True`;
  const want = shardShape(info.count, m.views, m.imageShape);
  if (fmtShape(h.shape) !== fmtShape(want)) {
    return `${file}: npy header shape: expected ${fmtShape(want)} (count ${info.count}, views ${m.views}, imageShape ${fmtShape(m.imageShape)} in manifest.json), got ${fmtShape(h.shape)}`;
  }
  return undefined;
}

/** Read one file of a shard, checked against its recorded size and sha256 (and, for the images, the header); returns the bytes or the problem. */
function readShardFile(dir: string, m: DatasetManifest, info: ShardInfo, name: string): { data?: Buffer; problem?: string } {
  const path = join(dir, name);
  const want = info.files[name];
  if (!want) return { problem: `${path}: no size or sha256 recorded for it in manifest.json` };
  if (!existsSync(path)) return { problem: `${path}: missing (expected ${want.bytes} bytes with sha256 ${want.sha256})` };
  const data = readFileSync(path);
  const problem = (name === info.images ? npyHeaderMismatch(path, data, m, info) : undefined) ?? digestMismatch(path, data, want);
  return problem ? { problem } : { data };
}

/** Why shard `info` fails verification (every file it wrote: size, sha256, the images' header), or undefined when it verifies. */
export function shardProblem(dir: string, m: DatasetManifest, info: ShardInfo): string | undefined {
  for (const name of [info.images, info.params, ...Object.keys(info.files).filter((f) => f !== info.images && f !== info.params)]) {
    const { problem } = readShardFile(dir, m, info, name);
    if (problem) return problem;
  }
  return undefined;
}

/** The rows of a shard's params table, verified (size, sha256) and checked (one row per sample, indices in order). */
export function readShardParams(dir: string, m: DatasetManifest, info: ShardInfo): ParamsRow[] {
  const r = readShardFile(dir, m, info, info.params);
  if (r.problem) throw new IntegrityError(r.problem);
  const path = join(dir, info.params);
  const rows = validateJson(path, parseJsonText(path, r.data!.toString('utf8')), z.array(ParamsRowSchema)) as ParamsRow[];
  if (rows.length !== info.count) throw new IntegrityError(`${path}: expected ${info.count} rows (shard ${info.index} in manifest.json), got ${rows.length}`);
  rows.forEach((row, k) => {
    if (row.index !== info.start + k) throw new IntegrityError(`${path}: ${k}.index: expected ${info.start + k}, got ${row.index}`);
  });
  return rows;
}

/** Read a shard's images and labels, each file read once and verified against the manifest. */
export function readShard(dir: string, m: DatasetManifest, info: ShardInfo): { images: Float32Array; labels: ParamsRow[] } {
  const r = readShardFile(dir, m, info, info.images);
  if (r.problem) throw new IntegrityError(r.problem);
  const images = decodeNpy(r.data!, join(dir, info.images)).data as Float32Array;
  return { images, labels: readShardParams(dir, m, info) };
}
