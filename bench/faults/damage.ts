/** Ways to damage a file, deterministic given the rng. */
import { readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import type { SeededRng } from './seeded-rng.js';

/** XOR 0xFF into n distinct bytes in [from, size). */
export function flipBytes(path: string, rng: SeededRng, n: number, from = 0): number[] {
  const buf = readFileSync(path);
  const offs = new Set<number>();
  while (offs.size < Math.min(n, buf.length - from)) offs.add(rng.int(from, buf.length - 1));
  for (const o of offs) buf[o] ^= 0xff;
  writeFileSync(path, buf);
  return [...offs].sort((a, b) => a - b);
}

/** Overwrite n float32 values (4-byte aligned) with NaN. */
export function nanFloats(path: string, rng: SeededRng, n: number): number[] {
  const buf = readFileSync(path);
  const offs: number[] = [];
  for (let i = 0; i < n; i++) { const o = 4 * rng.int(0, Math.floor(buf.length / 4) - 1); buf.writeFloatLE(NaN, o); offs.push(o); }
  writeFileSync(path, buf);
  return offs;
}

export function truncateTo(path: string, bytes: number): void { truncateSync(path, bytes); }
export function truncateHalf(path: string): void { truncateSync(path, Math.floor(readFileSync(path).length / 2)); }
export function remove(path: string): void { rmSync(path, { recursive: true, force: true }); }

export function editJson(path: string, edit: (v: any) => unknown): void { // eslint-disable-line @typescript-eslint/no-explicit-any
  const v = JSON.parse(readFileSync(path, 'utf8'));
  const r = edit(v);
  writeFileSync(path, JSON.stringify(r === undefined ? v : r, null, 2) + '\n');
}

export function replaceText(path: string, from: string, to: string): boolean {
  const s = readFileSync(path, 'latin1');
  if (!s.includes(from)) return false;
  writeFileSync(path, s.replace(from, to), 'latin1');
  return true;
}

export function appendText(path: string, s: string): void { writeFileSync(path, readFileSync(path, 'utf8') + s); }

/** Offset of the data after a .npy header. */
export function npyDataOffset(path: string): number {
  const b = readFileSync(path);
  const major = b[6];
  const hlen = major === 1 ? b.readUInt16LE(8) : b.readUInt32LE(8);
  return (major === 1 ? 10 : 12) + hlen;
}
