import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';

/** The last `n` lines of a log file (at most the last 64 KiB are read); '' when it does not exist. */
export function logTail(path: string, n = 20): string {
  if (!existsSync(path)) return '';
  const size = statSync(path).size;
  const len = Math.min(size, 65536);
  const buf = Buffer.alloc(len);
  const fd = openSync(path, 'r');
  try { readSync(fd, buf, 0, len, size - len); } finally { closeSync(fd); }
  const lines = buf.toString('utf8').replace(/\r/g, '\n').split('\n').filter((l) => l.trim() !== '');
  return lines.slice(-n).join('\n');
}
