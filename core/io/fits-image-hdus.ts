/**
 * Multi-HDU float32 FITS images: a primary image plus named IMAGE extensions (FITS 4.0 §7.1),
 * e.g. an estimate with its STD, SAMPLES cube and MASK, each with its own header cards (a WCS).
 * Written atomically (temp file + rename); read back through the FITS reader of fits-read.ts.
 */
import { writeFileAtomic } from './atomic-write.js';
import { openByteSource } from './byte-source.js';
import { walkHdus, type FitsCardValue } from './fits-header.js';
import { readImagePlanes } from './fits-read.js';
import type { FitsValue } from './fits.js';

/** One image HDU: float32 data in NumPy order ([H, W] or [N, H, W]), EXTNAME and extra cards. */
export interface FitsImageHdu {
  /** EXTNAME (required for extensions; optional for the primary HDU). */
  name?: string;
  data: Float32Array;
  shape: readonly number[];
  header?: Record<string, FitsValue>;
}

function card(k: string, v: FitsValue): string {
  let val: string;
  if (typeof v === 'string') val = `'${v.replace(/'/g, "''").padEnd(8)}'`.padEnd(20);
  else if (typeof v === 'boolean') val = (v ? 'T' : 'F').padStart(20);
  else if (Number.isInteger(v) && Math.abs(v) < 1e15) val = String(v).padStart(20);
  else val = v.toExponential(14).toUpperCase().padStart(20);
  const c = k.padEnd(8) + '= ' + val;
  if (c.length > 80) throw new Error(`fits header ${k}: the value "${String(v)}" does not fit in one 80-character card`);
  return c.padEnd(80);
}

function hduBytes(h: FitsImageHdu, primary: boolean, extend: boolean): Buffer {
  const n = h.shape.reduce((a, b) => a * b, 1);
  const where = primary ? 'primary HDU' : `HDU '${h.name ?? ''}'`;
  if (n !== h.data.length) throw new Error(`fits ${where}: shape [${h.shape.join(', ')}] holds ${n} values but the array has ${h.data.length}`);
  const cards = [primary ? card('SIMPLE', true) : card('XTENSION', 'IMAGE'), card('BITPIX', -32), card('NAXIS', h.shape.length)];
  [...h.shape].reverse().forEach((len, i) => cards.push(card(`NAXIS${i + 1}`, len)));
  if (primary && extend) cards.push(card('EXTEND', true));
  if (!primary) cards.push(card('PCOUNT', 0), card('GCOUNT', 1));
  if (h.name !== undefined) cards.push(card('EXTNAME', h.name));
  const reserved = new Set(['SIMPLE', 'XTENSION', 'BITPIX', 'NAXIS', 'EXTEND', 'PCOUNT', 'GCOUNT', 'EXTNAME', 'END']);
  for (const [k0, v] of Object.entries(h.header ?? {})) {
    const k = k0.toUpperCase();
    if (!/^[A-Z0-9_-]{1,8}$/.test(k)) throw new Error(`fits ${where}: header key "${k0}": expected 1-8 characters of A-Z 0-9 _ -`);
    if (reserved.has(k) || /^NAXIS\d+$/.test(k)) throw new Error(`fits ${where}: header key ${k} is written from the data and the HDU list; do not pass it`);
    if (typeof v === 'number' && !Number.isFinite(v)) throw new Error(`fits ${where}: header ${k}: expected a finite number, got ${v}`);
    cards.push(card(k, v));
  }
  cards.push('END'.padEnd(80));
  const hdr = cards.join('').padEnd(Math.ceil((cards.length * 80) / 2880) * 2880, ' ');
  const out = Buffer.alloc(hdr.length + Math.ceil((n * 4) / 2880) * 2880);
  out.write(hdr, 0, 'ascii');
  for (let i = 0; i < n; i++) out.writeFloatBE(h.data[i], hdr.length + 4 * i);
  return out;
}

/** Encode `hdus[0]` as the primary image and the rest as IMAGE extensions (each must have a name). */
export function encodeFitsImageHdus(hdus: readonly FitsImageHdu[]): Buffer {
  if (hdus.length === 0) throw new Error('fits: expected at least one HDU, got none');
  hdus.slice(1).forEach((h, i) => { if (!h.name) throw new Error(`fits: extension ${i + 1} needs a name (EXTNAME)`); });
  return Buffer.concat(hdus.map((h, i) => hduBytes(h, i === 0, hdus.length > 1)));
}

/** Write {@link encodeFitsImageHdus} to `path` atomically. */
export function writeFitsImageHdus(path: string, hdus: readonly FitsImageHdu[]): void {
  writeFileAtomic(path, encodeFitsImageHdus(hdus));
}

/** Every image HDU of a FITS file (primary first; HDUs without data skipped): name, shape (NumPy order), data, header. */
export function readFitsImageHdus(path: string): Array<{ index: number; name?: string; shape: number[]; data: Float32Array; header: Map<string, FitsCardValue> }> {
  const src = openByteSource(path);
  try {
    return walkHdus(src).filter((h) => (h.type === 'PRIMARY' || h.type === 'IMAGE') && h.dataBytes > 0).map((h) => {
      const { data, info } = readImagePlanes(src, h);
      return { index: h.index, name: h.extname, shape: info.dims, data, header: h.header };
    });
  } finally { src.close(); }
}
