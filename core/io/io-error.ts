import { isAbsolute, relative, resolve } from 'node:path';
import { LensforgeError } from '../errors.js';

/** errno codes in words (as strerror gives them); others fall back to Node's own text. */
const ERRNO_WORDS: Record<string, string> = {
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a directory',
  ENOTDIR: 'not a directory',
  EEXIST: 'file already exists',
  ENOTEMPTY: 'directory not empty',
  EROFS: 'read-only file system',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files in system',
  EIO: 'input/output error',
  EBUSY: 'resource busy',
  EFBIG: 'file too large',
  ENAMETOOLONG: 'file name too long',
  ELOOP: 'too many levels of symbolic links',
  EXDEV: 'cross-device link',
  ENXIO: 'no such device or address',
};

/** An fs error whose message names the operation, the file and the errno (`code`, `syscall` kept). */
export class FileError extends LensforgeError {
  constructor(message: string, readonly file: string, readonly code?: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * `path` as the user should read it: relative to `base` (a run directory) or to the working
 * directory when that is shorter and stays inside it, otherwise absolute.
 */
export function displayPath(path: string, base?: string): string {
  const abs = resolve(path);
  const options = [abs];
  for (const b of [base, process.cwd()]) {
    if (!b) continue;
    const rel = relative(resolve(b), abs);
    if (rel && !rel.startsWith('..') && !isAbsolute(rel)) options.push(rel);
  }
  return options.reduce((a, b) => (b.length < a.length ? b : a));
}

/** `no space left on device (ENOSPC)` for an fs error, or its message when it has no code. */
export function errnoText(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  const code = typeof err?.code === 'string' ? err.code : undefined;
  if (!code) return err instanceof Error ? err.message : String(e);
  const words = ERRNO_WORDS[code] ?? /^[A-Z0-9_]+: ([^,]+)/.exec(err.message ?? '')?.[1] ?? 'failed';
  return `${words} (${code})`;
}

/**
 * Wrap an fs error: `writing checkpoints/train/epoch-0002/tensors.bin: no space left on device
 * (ENOSPC)`. `operation` is a gerund (`writing`, `reading`, `creating the folder`, `renaming to X`).
 * A LensforgeError is returned unchanged (it already says where).
 */
export function ioError(operation: string, path: string, e: unknown, base?: string): LensforgeError {
  if (e instanceof LensforgeError) return e;
  const code = typeof (e as NodeJS.ErrnoException)?.code === 'string' ? (e as NodeJS.ErrnoException).code : undefined;
  return new FileError(`${operation} ${displayPath(path, base)}: ${errnoText(e)}`, resolve(path), code, { cause: e });
}

/** Run `fn`, turning any fs error into `ioError(operation, path, ...)`. */
export function withIo<T>(operation: string, path: string, fn: () => T, base?: string): T {
  try { return fn(); } catch (e) { throw ioError(operation, path, e, base); }
}
