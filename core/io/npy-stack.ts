/**
 * Random access to the rows of a `.npy` stack ([N, H, W] or [N, H, W, C]) without loading the
 * file: the header is parsed once, each read takes rows from disk and converts them to float32.
 * dtypes: float32/float64, int16/int32, uint8/uint16, little or big endian ('<', '>', '|', '=');
 * C order only. (core/io/npy.ts reads whole files of the types lensforge writes.)
 */
import { LensforgeError } from '../errors.js';
import type { ByteSource } from './byte-source.js';

export interface NpyStackInfo {
  shape: number[];
  descr: string;
  dataStart: number;
  bytesPerValue: number;
}

const KINDS: Record<string, number> = { f4: 4, f8: 8, i2: 2, i4: 4, u1: 1, u2: 2, i1: 1, u4: 4 };

export function readNpyHeader(src: ByteSource): NpyStackInfo {
  const head = src.read(0, 12);
  if (head.length < 10 || head.toString('latin1', 0, 6) !== '\x93NUMPY') throw new LensforgeError(`${src.name}: not a .npy file (bad magic string)`);
  const major = head[6];
  const hlen = major === 1 ? head.readUInt16LE(8) : head.readUInt32LE(8);
  const hstart = major === 1 ? 10 : 12;
  const header = src.read(hstart, hlen).toString('latin1');
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeStr = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || !fortran || shapeStr === undefined) throw new LensforgeError(`${src.name}: malformed .npy header: ${header.trim()}`);
  if (fortran === 'True') throw new LensforgeError(`${src.name}: fortran_order = True is not read; save a C-ordered array (np.save(path, np.ascontiguousarray(a)))`);
  const kind = descr.slice(1);
  if (!(kind in KINDS) || !'<>|='.includes(descr[0])) {
    throw new LensforgeError(`${src.name}: dtype '${descr}' is not read; expected float32/float64/int16/int32/uint8/uint16 (e.g. '<f4', '>i2')`);
  }
  const shape = shapeStr.split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  const info = { shape, descr, dataStart: hstart + hlen, bytesPerValue: KINDS[kind] };
  const n = shape.reduce((a, b) => a * b, 1);
  if (src.size < info.dataStart + n * info.bytesPerValue) throw new LensforgeError(`${src.name}: truncated .npy data (shape (${shape.join(', ')}) of ${descr} needs ${n * info.bytesPerValue} bytes, the file holds ${src.size - info.dataStart})`);
  return info;
}

/** Rows `[start, start + count)` (along axis 0) as float32. */
export function readNpyRows(src: ByteSource, info: NpyStackInfo, start: number, count: number): Float32Array {
  const rowLen = info.shape.slice(1).reduce((a, b) => a * b, 1);
  const bpe = info.bytesPerValue;
  const n = rowLen * count;
  const b = src.read(info.dataStart + start * rowLen * bpe, n * bpe);
  const out = new Float32Array(n);
  const big = info.descr[0] === '>';
  const kind = info.descr.slice(1);
  const rd: (p: number) => number = {
    f4: (p: number) => (big ? b.readFloatBE(p) : b.readFloatLE(p)),
    f8: (p: number) => (big ? b.readDoubleBE(p) : b.readDoubleLE(p)),
    i2: (p: number) => (big ? b.readInt16BE(p) : b.readInt16LE(p)),
    i4: (p: number) => (big ? b.readInt32BE(p) : b.readInt32LE(p)),
    u2: (p: number) => (big ? b.readUInt16BE(p) : b.readUInt16LE(p)),
    u4: (p: number) => (big ? b.readUInt32BE(p) : b.readUInt32LE(p)),
    u1: (p: number) => b[p],
    i1: (p: number) => b.readInt8(p),
  }[kind]!;
  for (let i = 0; i < n; i++) out[i] = rd(i * bpe);
  return out;
}
