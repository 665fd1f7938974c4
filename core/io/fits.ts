import { readFileSync } from 'node:fs';
import { writeFileAtomic } from './atomic-write.js';
import { withIo } from './io-error.js';
import { allocationProblem } from '../registry/allocation-limit.js';

export type FitsValue = string | number | boolean;

/**
 * Encode a float32 primary-HDU FITS file (BITPIX -32). `shape` is in NumPy order ([N, H, W]);
 * NAXIS1 is the fastest axis. `header` keys are upper-cased and must be <= 8 characters.
 */
export function encodeFits(data: Float32Array, shape: readonly number[], header: Record<string, FitsValue> = {}): Uint8Array {
  const n = shape.reduce((a, b) => a * b, 1);
  if (n !== data.length) throw new Error(`fits: shape [${shape.join(', ')}] holds ${n} values but the array has ${data.length}`);
  const card = (k: string, v: FitsValue, c = ''): string => {
    const val = typeof v === 'string' ? `'${v.replace(/'/g, "''").padEnd(8)}'`.padEnd(20)
      : typeof v === 'boolean' ? (v ? 'T' : 'F').padStart(20)
      : (Number.isInteger(v) ? String(v) : v.toPrecision(12).replace(/\.?0+(e|$)/, '$1').toUpperCase()).padStart(20);
    return (k.padEnd(8) + '= ' + val + (c ? ' / ' + c : '')).slice(0, 80).padEnd(80);
  };
  const cards = [card('SIMPLE', true, 'conforms to FITS standard'), card('BITPIX', -32, 'float32'), card('NAXIS', shape.length)];
  [...shape].reverse().forEach((len, i) => cards.push(card(`NAXIS${i + 1}`, len)));
  for (const [k0, v] of Object.entries(header)) {
    const k = k0.toUpperCase();
    if (!/^[A-Z0-9_-]{1,8}$/.test(k)) throw new Error(`fits header key "${k0}": expected 1-8 characters of A-Z 0-9 _ -`);
    if (typeof v === 'number' && !Number.isFinite(v)) throw new Error(`fits header ${k}: expected a finite number, got ${v}`);
    cards.push(card(k, v));
  }
  cards.push('END'.padEnd(80));
  const hdr = cards.join('').padEnd(Math.ceil((cards.length * 80) / 2880) * 2880, ' ');
  const out = Buffer.alloc(hdr.length + Math.ceil((data.length * 4) / 2880) * 2880);
  out.write(hdr, 0, 'ascii');
  for (let i = 0; i < data.length; i++) out.writeFloatBE(data[i], hdr.length + 4 * i);
  return out;
}

export function writeFits(path: string, data: Float32Array, shape: readonly number[], header?: Record<string, FitsValue>): void {
  writeFileAtomic(path, encodeFits(data, shape, header));
}

/** Read the primary HDU of a FITS file (BITPIX -32, -64, 16, 32; BSCALE/BZERO applied). */
export function readFits(path: string): { data: Float32Array; shape: number[]; header: Record<string, FitsValue> } {
  const b = withIo('reading FITS file', path, () => readFileSync(path));
  const header: Record<string, FitsValue> = {};
  let off = 0;
  let ended = false;
  while (!ended) {
    if (off + 2880 > b.length) throw new Error(`${path}: FITS header has no END card`);
    for (let c = 0; c < 36; c++) {
      const cardStr = b.toString('ascii', off + c * 80, off + c * 80 + 80);
      const key = cardStr.slice(0, 8).trim();
      if (key === 'END') { ended = true; break; }
      if (cardStr[8] === '=') {
        let raw = cardStr.slice(10);
        if (raw.trim().startsWith("'")) {
          const m = /'((?:[^']|'')*)'/.exec(raw);
          header[key] = m ? m[1].replace(/''/g, "'").trimEnd() : '';
        } else {
          raw = raw.split('/')[0].trim();
          header[key] = raw === 'T' ? true : raw === 'F' ? false : Number(raw.replace('D', 'E'));
        }
      }
    }
    off += 2880;
  }
  if (header.SIMPLE !== true) throw new Error(`${path}: not a FITS file (SIMPLE = T missing)`);
  const naxis = Number(header.NAXIS);
  if (!(Number.isInteger(naxis) && naxis >= 0 && naxis <= 999)) throw new Error(`${path}: FITS header NAXIS = ${String(header.NAXIS)}; expected an integer in [0, 999]`);
  const dims: number[] = [];
  for (let i = 1; i <= naxis; i++) {
    const d = Number(header[`NAXIS${i}`]);
    if (!(Number.isSafeInteger(d) && d >= 0)) throw new Error(`${path}: FITS header NAXIS${i} = ${String(header[`NAXIS${i}`])}; expected a non-negative integer`);
    dims.push(d);
  }
  const shape = dims.reverse();
  const n = shape.reduce((a, c) => a * c, 1);
  const bitpix = Number(header.BITPIX);
  // refuse impossible sizes from the header alone, before allocating anything
  const axes = dims.map((d, i) => `NAXIS${dims.length - i} = ${d}`).reverse();
  if (![-64, -32, 8, 16, 32].includes(bitpix)) throw new Error(`${path}: BITPIX ${bitpix} is not supported; expected one of -32, -64, 8, 16, 32`);
  if (off + n * (Math.abs(bitpix) / 8) > b.length) {
    throw new Error(`${path}: FITS data is truncated: the header (${axes.join(', ')}, BITPIX = ${bitpix}) describes ${n * (Math.abs(bitpix) / 8)} bytes of data, the file holds ${b.length - off}`);
  }
  const big = allocationProblem({ bytes: n * 4, what: 'the float32 image', fields: axes });
  if (big) throw new Error(`${path}: ${big}`);
  const bscale = header.BSCALE !== undefined ? Number(header.BSCALE) : 1;
  const bzero = header.BZERO !== undefined ? Number(header.BZERO) : 0;
  const data = new Float32Array(n);
  const bpe = Math.abs(bitpix) / 8;
  if (off + n * bpe > b.length) throw new Error(`${path}: FITS data is truncated`);
  for (let i = 0; i < n; i++) {
    const p = off + i * bpe;
    let v: number;
    switch (bitpix) {
      case -32: v = b.readFloatBE(p); break;
      case -64: v = b.readDoubleBE(p); break;
      case 16: v = b.readInt16BE(p); break;
      case 32: v = b.readInt32BE(p); break;
      case 8: v = b.readUInt8(p); break;
      default: throw new Error(`${path}: BITPIX ${bitpix} is not supported; expected one of -32, -64, 8, 16, 32`);
    }
    data[i] = v * bscale + bzero;
  }
  return { data, shape, header };
}
