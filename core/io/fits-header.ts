/**
 * FITS header cards and the HDU walker (FITS Standard 4.0, https://fits.gsfc.nasa.gov/fits_standard.html).
 *
 * Why our own parser and not `fitsjs` (npm, astrojs/fitsjs 0.6.6, published 2024-12): fitsjs is
 * written for the browser — it reads through `Blob`/`FileReader` and callbacks, so in Node it
 * needs the whole file in memory as a browser `Blob` and cannot read a slice of a large cube
 * from disk; it has no gzip support (`.fits.gz` is what surveys ship); it exposes no typed header
 * API we could validate against; and its reading of BLANK and 64-bit integers is not something we
 * could test against our own requirements without patching it. What we need — header cards,
 * the HDU walk, and big-endian image decoding for six BITPIX values with BSCALE/BZERO/BLANK — is
 * about 250 lines with no dependency and is tested here on files the tests write. Tile-compressed
 * images (which fitsjs does read, Rice only) are refused with a message naming the fix (funpack).
 */
import { LensforgeError } from '../errors.js';
import type { ByteSource } from './byte-source.js';

export type FitsCardValue = string | number | boolean | bigint;

/** One header-data unit: its keywords and where its data lie in the file. */
export interface FitsHdu {
  /** 0 = primary HDU, 1.. = extensions, in file order. */
  index: number;
  /** Keywords in order of appearance (the first occurrence wins; COMMENT/HISTORY are skipped). */
  header: Map<string, FitsCardValue>;
  /** 'PRIMARY' or the XTENSION value ('IMAGE', 'BINTABLE', 'TABLE', ...). */
  type: string;
  extname?: string;
  dataStart: number;
  /** Bytes of the data array (without the padding to 2880), eq. 1-2 of §4.4.1. */
  dataBytes: number;
}

/** A FITS logical record is 2880 bytes = 36 cards of 80 characters (§3.1, §3.3.1). */
export const FITS_BLOCK = 2880;

/**
 * Parse one card's value (§4.2): character strings in single quotes with '' for a quote, logical
 * T/F, integers (kept exact as bigint beyond 2^53), reals with E or D exponents. Returns
 * undefined for a card without a value indicator ('= ' in columns 9-10, §4.1.2.2).
 */
export function parseCardValue(card: string): FitsCardValue | undefined {
  if (card.slice(8, 10) !== '= ') return undefined;
  const raw = card.slice(10);
  const t = raw.trimStart();
  if (t.startsWith("'")) {
    let s = '';
    for (let i = 1; i < t.length; i++) {
      if (t[i] === "'") {
        if (t[i + 1] === "'") { s += "'"; i++; continue; }
        return s.trimEnd();
      }
      s += t[i];
    }
    return s.trimEnd();
  }
  const v = t.split('/')[0].trim();
  if (v === 'T') return true;
  if (v === 'F') return false;
  if (v === '') return '';
  if (/^[+-]?\d+$/.test(v)) {
    const n = Number(v);
    return Number.isSafeInteger(n) ? n : BigInt(v);
  }
  const x = Number(v.replace(/[dD]/, 'E'));
  return Number.isNaN(x) ? v : x;
}

/** Read the header starting at `offset`; returns the keywords and the offset of the data. */
export function readHeader(src: ByteSource, offset: number, hduIndex: number): { header: Map<string, FitsCardValue>; dataStart: number } {
  const header = new Map<string, FitsCardValue>();
  let off = offset;
  for (;;) {
    if (off + FITS_BLOCK > src.size) throw new LensforgeError(`${src.name}: HDU ${hduIndex}: the header has no END card (the file ends at byte ${src.size})`);
    const block = src.read(off, FITS_BLOCK).toString('latin1');
    off += FITS_BLOCK;
    for (let c = 0; c < 36; c++) {
      const card = block.slice(c * 80, c * 80 + 80);
      const key = card.slice(0, 8).trimEnd();
      if (key === 'END') return { header, dataStart: off };
      if (key === '' || key === 'COMMENT' || key === 'HISTORY' || header.has(key)) continue;
      const v = parseCardValue(card);
      if (v !== undefined) header.set(key, v);
    }
    if (off - offset > 1000 * FITS_BLOCK) throw new LensforgeError(`${src.name}: HDU ${hduIndex}: no END card within 36,000 header cards; not a FITS file?`);
  }
}

/** An integer keyword (bigint allowed when exact); throws naming file, HDU and keyword. */
export function intKey(h: Map<string, FitsCardValue>, key: string, where: string, dflt?: number): number {
  const v = h.get(key);
  if (v === undefined) {
    if (dflt !== undefined) return dflt;
    throw new LensforgeError(`${where}: mandatory keyword ${key} is missing (FITS 4.0 §4.4.1)`);
  }
  const n = typeof v === 'bigint' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n)) throw new LensforgeError(`${where}: ${key} = ${String(v)}: expected an integer`);
  return n;
}

/** Data size in bytes of an HDU from its header: |BITPIX|/8 × GCOUNT × (PCOUNT + NAXIS1 × … × NAXISm) (§4.4.1.1 eq. 2; random groups skip NAXIS1, §6). */
export function dataBytesOf(h: Map<string, FitsCardValue>, where: string): number {
  const bitpix = intKey(h, 'BITPIX', where);
  const naxis = intKey(h, 'NAXIS', where);
  if (naxis === 0) return 0;
  const groups = h.get('GROUPS') === true && intKey(h, 'NAXIS1', where) === 0;
  let prod = 1;
  for (let i = groups ? 2 : 1; i <= naxis; i++) prod *= intKey(h, `NAXIS${i}`, where);
  const pcount = intKey(h, 'PCOUNT', where, 0), gcount = intKey(h, 'GCOUNT', where, 1);
  return (Math.abs(bitpix) / 8) * gcount * (pcount + prod);
}

/** Walk every HDU of a FITS file (headers only; the data are skipped by their size). */
export function walkHdus(src: ByteSource): FitsHdu[] {
  const out: FitsHdu[] = [];
  let off = 0;
  while (off + FITS_BLOCK <= src.size) {
    const i = out.length;
    const first = src.read(off, 80).toString('latin1');
    const key = first.slice(0, 8).trimEnd();
    if (i === 0 && key !== 'SIMPLE') throw new LensforgeError(`${src.name}: not a FITS file (the first card is "${first.trimEnd().slice(0, 30)}", expected SIMPLE = T, §4.4.1.1)`);
    if (i > 0 && key !== 'XTENSION') break; // special records or trailing padding after the last HDU (§3.5)
    const { header, dataStart } = readHeader(src, off, i);
    const where = `${src.name}: HDU ${i}`;
    const type = i === 0 ? 'PRIMARY' : String(header.get('XTENSION') ?? '').trim();
    const dataBytes = dataBytesOf(header, where);
    const extname = header.get('EXTNAME');
    out.push({ index: i, header, type, extname: typeof extname === 'string' ? extname.trim() : undefined, dataStart, dataBytes });
    off = dataStart + Math.ceil(dataBytes / FITS_BLOCK) * FITS_BLOCK;
  }
  return out;
}

/** `file: HDU 2 (EXTNAME 'SCI')`, for messages. */
export function hduLabel(src: { name: string }, hdu: FitsHdu): string {
  return `${src.name}: HDU ${hdu.index}${hdu.extname ? ` (EXTNAME '${hdu.extname}')` : hdu.index === 0 ? ' (primary)' : ''}`;
}

/**
 * Choose an HDU by number (0 = primary) or EXTNAME (case-insensitive, §4.4.2.6; EXTVER not used);
 * `undefined` picks the primary HDU if it holds an image, else the first IMAGE extension (the
 * layout of files whose primary HDU is empty).
 */
export function selectHdu(src: ByteSource, hdus: FitsHdu[], which: number | string | undefined): FitsHdu {
  const names = () => hdus.map((h) => `${h.index}${h.extname ? ` '${h.extname}'` : ''} (${h.type}${h.header.get('NAXIS') ? `, NAXIS ${String(h.header.get('NAXIS'))}` : ''})`).join(', ');
  if (which === undefined) {
    const h = hdus.find((x) => (x.type === 'PRIMARY' || x.type === 'IMAGE' || isTileCompressed(x)) && x.dataBytes > 0);
    if (!h) throw new LensforgeError(`${src.name}: no HDU holds an image; HDUs: ${names()}`);
    return h;
  }
  if (typeof which === 'number') {
    const h = hdus[which];
    if (!h) throw new LensforgeError(`${src.name}: no HDU ${which}; the file has ${hdus.length} HDU(s): ${names()}`);
    return h;
  }
  const h = hdus.find((x) => x.extname?.toUpperCase() === which.toUpperCase());
  if (!h) throw new LensforgeError(`${src.name}: no HDU with EXTNAME '${which}'; HDUs: ${names()}`);
  return h;
}

/** A tile-compressed image (§10): a BINTABLE with ZIMAGE = T. */
export function isTileCompressed(h: FitsHdu): boolean {
  return h.type === 'BINTABLE' && (h.header.get('ZIMAGE') === true || h.header.has('ZCMPTYPE'));
}
