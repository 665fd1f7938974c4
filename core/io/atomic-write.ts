import fs from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { ioError } from './io-error.js';

let counter = 0;

/**
 * Write `data` to `path` atomically: write a temp file beside it, fsync, then rename over the
 * target. A crash mid-write leaves the previous file intact. An fs error (a full disk, a
 * read-only folder) removes the temp file, keeps the previous file and is reported as
 * `writing <file>: no space left on device (ENOSPC)` (a FileError, the fs error as its cause).
 * fs is used through its default export so tests can simulate a full disk.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const dir = dirname(path);
  try { fs.mkdirSync(dir, { recursive: true }); } catch (e) { throw ioError('creating the folder for', path, e); }
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${counter++}.tmp`);
  let step = 'writing';
  try {
    const fd = fs.openSync(tmp, 'w');
    try {
      const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      let off = 0;
      while (off < buf.byteLength) off += fs.writeSync(fd, buf, off, buf.byteLength - off);
      fs.fsyncSync(fd);
    } finally { fs.closeSync(fd); }
    step = 'replacing';
    fs.renameSync(tmp, path);
  } catch (e) {
    try { fs.rmSync(tmp, { force: true }); } catch { /* the original error matters */ }
    throw ioError(step, path, e);
  }
}

export function writeJsonAtomic(path: string, value: unknown): void {
  writeFileAtomic(path, JSON.stringify(value, null, 2) + '\n');
}
