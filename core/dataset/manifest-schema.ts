import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { FileDigestSchema } from '../io/file-digest.js';
import { InvalidFileError, parseJsonText, validateJson } from '../io/validated-json.js';
import { DATASET_FORMAT, DATASET_VERSION, type DatasetManifest } from './dataset-format.js';

const int = (min: number, what: string) => z.number({ error: `expected ${what}` }).int({ error: `expected ${what}` }).min(min, { error: `expected ${what}` });
const FILE = 'expected a file name inside the dataset folder (letters, digits, _ . -, optionally under fits/; no "..")';
/** A file of a dataset: a plain name, or one under `fits/`; never absolute, never `..`. */
export const DATASET_FILE = /^(?!.*\.\.)(fits\/)?[A-Za-z0-9_-][A-Za-z0-9_.-]*$/;
const FileName = z.string({ error: FILE }).regex(DATASET_FILE, { error: FILE });

export const ShardInfoSchema = z.strictObject({
  index: int(0, 'a shard index (non-negative integer)'),
  start: int(0, 'a sample index (non-negative integer)'),
  count: int(1, 'a sample count (positive integer)'),
  images: FileName,
  params: FileName,
  files: z.record(FileName, FileDigestSchema),
});

/** `manifest.json` of a dataset folder, version 2 (see dataset-format.ts). */
export const DatasetManifestSchema = z.strictObject({
  format: z.literal(DATASET_FORMAT),
  version: z.literal(DATASET_VERSION),
  simulator: z.record(z.string(), z.unknown()),
  seed: z.number(),
  split: z.string(),
  count: int(1, 'a sample count (positive integer)'),
  shardSize: int(1, 'a shard size (positive integer)'),
  views: int(1, 'a number of views (positive integer)'),
  imageShape: z.tuple([int(1, 'a height in pixels'), int(1, 'a width in pixels'), int(1, 'a number of channels')], { error: 'expected [height, width, channels]' }),
  labelNames: z.array(z.string()),
  fits: z.boolean(),
  versions: z.record(z.string(), z.unknown()),
  configHash: z.string(),
  shards: z.array(ShardInfoSchema),
  complete: z.boolean(),
  files: z.record(FileName, FileDigestSchema).optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

/**
 * Validate a parsed manifest: format and version first (a version-1 manifest has no checksums
 * and is refused on its own line), then every field, then what the fields imply about each
 * other (shard layout, a digest for each shard's images and params).
 */
export function validateManifest(file: string, raw: unknown): DatasetManifest {
  const head = (raw ?? {}) as { format?: unknown; version?: unknown };
  if (typeof raw !== 'object' || raw === null || head.format !== DATASET_FORMAT) {
    throw new InvalidFileError(`${file}: format: expected "${DATASET_FORMAT}" (a manifest written by \`lensforge simulate\`), got ${JSON.stringify(head.format)}`);
  }
  if (head.version === 1) {
    throw new InvalidFileError(`${file}: version: expected ${DATASET_VERSION}, got 1; version-1 datasets carry no sizes or checksums and cannot be verified: regenerate it with \`lensforge simulate CONFIG --out DIR\` into a new folder`);
  }
  const m = validateJson(file, raw, DatasetManifestSchema) as DatasetManifest;
  const seen = new Set<number>();
  m.shards.forEach((s, i) => {
    const at = `${file}: shards.${i}`;
    if (seen.has(s.index)) throw new InvalidFileError(`${at}.index: shard ${s.index} is listed twice`);
    seen.add(s.index);
    const start = s.index * m.shardSize;
    if (s.start !== start) throw new InvalidFileError(`${at}.start: expected ${start} (index ${s.index} x shardSize ${m.shardSize}), got ${s.start}`);
    const count = Math.min(m.shardSize, m.count - start);
    if (s.count !== count) throw new InvalidFileError(`${at}.count: expected ${count} (shardSize ${m.shardSize}, count ${m.count}), got ${s.count}`);
    for (const f of [s.images, s.params]) if (!s.files[f]) throw new InvalidFileError(`${at}.files: expected the size and sha256 of ${f}, got none`);
  });
  return m;
}

/** Read and validate `manifest.json`, naming the file in every error. */
export function readManifest(file: string): DatasetManifest {
  if (!existsSync(file)) throw new InvalidFileError(`${file}: missing`);
  return validateManifest(file, parseJsonText(file, readFileSync(file, 'utf8')));
}
