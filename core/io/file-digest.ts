import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { LensforgeError } from '../errors.js';

/** Size and SHA-256 of a file's bytes, as stored in checkpoint indexes and dataset manifests. */
export interface FileDigest { bytes: number; sha256: string }

export const FileDigestSchema = z.strictObject({
  bytes: z.number({ error: 'expected a byte count (non-negative integer)' }).int({ error: 'expected a byte count (non-negative integer)' }).min(0, { error: 'expected a byte count (non-negative integer)' }),
  sha256: z.string({ error: 'expected a sha256 digest (64 hex digits)' }).regex(/^[0-9a-f]{64}$/, { error: 'expected a sha256 digest (64 hex digits)' }),
});

/** Hex SHA-256 of a byte buffer. */
export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The digest of bytes about to be written (or just read). */
export function digestOf(data: Uint8Array | string): FileDigest {
  const bytes = typeof data === 'string' ? Buffer.byteLength(data, 'utf8') : data.byteLength;
  return { bytes, sha256: sha256Hex(data) };
}

/** Error raised when a file's bytes do not match the size or sha256 recorded for it. */
export class IntegrityError extends LensforgeError {}

/**
 * The reason `data` does not match `expected`, or undefined when it does. `file` names the file
 * in the message: `FILE: size mismatch: expected 1234 bytes, got 5000 (sha256 expected …, got …)`
 * or `FILE: sha256 mismatch: expected …, got … (same size, 1234 bytes)`.
 */
export function digestMismatch(file: string, data: Uint8Array, expected: FileDigest): string | undefined {
  const actual = digestOf(data);
  if (actual.bytes !== expected.bytes) {
    return `${file}: size mismatch: expected ${expected.bytes} bytes, got ${actual.bytes} (sha256 expected ${expected.sha256}, got ${actual.sha256}); the file is truncated or damaged`;
  }
  if (actual.sha256 !== expected.sha256) {
    return `${file}: sha256 mismatch: expected ${expected.sha256}, got ${actual.sha256} (same size, ${actual.bytes} bytes); the file is damaged`;
  }
  return undefined;
}

/** Throw an IntegrityError when `data` does not match `expected`. */
export function verifyDigest(file: string, data: Uint8Array, expected: FileDigest): void {
  const why = digestMismatch(file, data, expected);
  if (why) throw new IntegrityError(why);
}

/** Read a file once and verify it against its recorded digest; a missing file is an IntegrityError naming it. */
export function readVerified(path: string, expected: FileDigest): Buffer {
  if (!existsSync(path)) throw new IntegrityError(`${path}: missing (expected ${expected.bytes} bytes with sha256 ${expected.sha256})`);
  const data = readFileSync(path);
  verifyDigest(path, data, expected);
  return data;
}
