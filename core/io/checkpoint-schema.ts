import { z } from 'zod';
import { FileDigestSchema } from './file-digest.js';

/**
 * Checkpoint tags name folders inside the checkpoint directory: letters, digits, `_`, `.` and
 * `-`, not starting with `.` (temp and backup folders do) and never containing `..`, so a tag
 * can only ever resolve to a direct child of the directory.
 */
export const CHECKPOINT_TAG = /^(?!.*\.\.)[A-Za-z0-9_-][A-Za-z0-9_.-]*$/;
export const TAG_EXPECTED = 'expected a checkpoint tag (letters, digits, _ . -; not starting with "."; no "..")';

export function isCheckpointTag(tag: unknown): tag is string {
  return typeof tag === 'string' && CHECKPOINT_TAG.test(tag);
}

/** `latest.json`: the tag of the newest checkpoint. */
export const LatestSchema = z.object({
  tag: z.string({ error: TAG_EXPECTED }).regex(CHECKPOINT_TAG, { error: TAG_EXPECTED }),
  savedAt: z.string().optional(),
});

/** Current format of `tensors.json`. */
export const CHECKPOINT_FORMAT = 2;

const count = (what: string) => z.number({ error: `expected ${what} (non-negative integer)` })
  .int({ error: `expected ${what} (non-negative integer)` }).min(0, { error: `expected ${what} (non-negative integer)` });

export const TensorIndexEntrySchema = z.strictObject({
  name: z.string().min(1),
  shape: z.array(count('a dimension')),
  /** Offset and length in float32 values within tensors.bin. */
  offset: count('an offset in values'),
  length: count('a length in values'),
});

/**
 * `tensors.json`, format 2: the index of `tensors.bin` (float32, little-endian, tensors back to
 * back) with the size and sha256 of `tensors.bin` and of `state.json`, and the sha256 of the
 * index's own tensor list (`JSON.stringify(tensors)`), so an edited or damaged entry (two offsets
 * swapped) is caught although every entry is valid on its own.
 *   { "format": 2, "bin": { "bytes", "sha256" }, "state": { "bytes", "sha256" }, "tensors": [{ name, shape, offset, length }], "tensorsSha256" }
 * Format 1 (a bare array of entries, no digests) cannot be verified and is refused.
 */
export const TensorIndexSchema = z.strictObject({
  format: z.literal(CHECKPOINT_FORMAT, { error: `expected format ${CHECKPOINT_FORMAT}` }),
  bin: FileDigestSchema,
  state: FileDigestSchema,
  tensors: z.array(TensorIndexEntrySchema),
  tensorsSha256: z.string().regex(/^[0-9a-f]{64}$/, { error: 'expected the sha256 (64 hex digits) of the tensor list' }),
});
export type TensorIndex = z.output<typeof TensorIndexSchema>;

/** `state.json` as the store sees it: any JSON object (its owner validates its fields). */
export const CheckpointStateSchema = z.record(z.string(), z.unknown(), { error: 'expected a JSON object' });
