import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { LensforgeError } from '../errors.js';

/**
 * Random-access bytes of one file: read from disk on demand (plain files, so a slice of a large
 * cube never loads the whole file), or from memory after decompression (`.gz`).
 */
export interface ByteSource {
  /** The file, for messages. */
  readonly name: string;
  readonly size: number;
  /** `length` bytes from `offset` (fewer at the end of the file). */
  read(offset: number, length: number): Buffer;
  close(): void;
}

/** Open `path`; `.gz` files are gunzipped (node:zlib) into memory, refusing more than `maxBytes`. */
export function openByteSource(path: string, maxBytes = 2 ** 31): ByteSource {
  if (/\.gz$/i.test(path)) {
    let buf: Buffer;
    try {
      buf = gunzipSync(readFileSync(path), { maxOutputLength: Math.min(maxBytes, 2 ** 32) });
    } catch (e) {
      const msg = (e as Error).message;
      throw new LensforgeError(/maxOutputLength|Cannot create a Buffer|RangeError/i.test(msg) || (e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE'
        ? `${path}: decompresses to more than ${maxBytes} bytes (the size limit); raise data.maxFileMB if this file is meant to be read`
        : `${path}: not a readable gzip file: ${msg}`, { cause: e });
    }
    return memorySource(path, buf);
  }
  const fd = openSync(path, 'r');
  const size = fstatSync(fd).size;
  let open = true;
  return {
    name: path, size,
    read(offset: number, length: number): Buffer {
      const n = Math.max(0, Math.min(length, size - offset));
      const out = Buffer.alloc(n);
      let got = 0;
      while (got < n) {
        const r = readSync(fd, out, got, n - got, offset + got);
        if (r <= 0) break;
        got += r;
      }
      return got === n ? out : out.subarray(0, got);
    },
    close() { if (open) { closeSync(fd); open = false; } },
  };
}

export function memorySource(name: string, buf: Buffer): ByteSource {
  return {
    name, size: buf.length,
    read: (offset, length) => buf.subarray(Math.min(offset, buf.length), Math.min(offset + length, buf.length)),
    close() { /* nothing held */ },
  };
}
