import { readFileSync } from 'node:fs';
import { writeFileAtomic } from './atomic-write.js';
import { withIo } from './io-error.js';

export type NpyArray = Float32Array | Float64Array | Int32Array | Uint8Array;

const DESCR: Array<[new (n: number) => NpyArray, string, number]> = [
  [Float32Array, '<f4', 4], [Float64Array, '<f8', 8], [Int32Array, '<i4', 4], [Uint8Array, '|u1', 1],
];

/** Encode a C-ordered array as a NumPy .npy (format 1.0) byte buffer. */
export function encodeNpy(data: NpyArray, shape: readonly number[]): Uint8Array {
  const n = shape.reduce((a, b) => a * b, 1);
  if (n !== data.length) throw new Error(`npy: shape [${shape.join(', ')}] holds ${n} values but the array has ${data.length}`);
  const entry = DESCR.find(([ctor]) => data instanceof ctor);
  if (!entry) throw new Error('npy: expected a Float32Array, Float64Array, Int32Array or Uint8Array');
  let header = `{'descr': '${entry[1]}', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  const total = Math.ceil((10 + header.length + 1) / 64) * 64;
  header = header.padEnd(total - 11, ' ') + '\n';
  const out = Buffer.alloc(total + data.byteLength);
  out.write('\x93NUMPY', 0, 'latin1');
  out[6] = 1; out[7] = 0;
  out.writeUInt16LE(header.length, 8);
  out.write(header, 10, 'latin1');
  Buffer.from(data.buffer, data.byteOffset, data.byteLength).copy(out, total);
  return out;
}

export function writeNpy(path: string, data: NpyArray, shape: readonly number[]): void {
  writeFileAtomic(path, encodeNpy(data, shape));
}

/** The header of a .npy file: dtype string (`<f4`), C or Fortran order, shape, and where the data starts. */
export interface NpyHeader { descr: string; fortranOrder: boolean; shape: number[]; dataOffset: number }

/** Parse the header of a .npy buffer (versions 1-3) without touching its data. */
export function readNpyHeader(buf: Uint8Array, source = 'npy'): NpyHeader {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  if (b.length < 10 || b.toString('latin1', 0, 6) !== '\x93NUMPY') throw new Error(`${source}: not a .npy file (bad magic string)`);
  const major = b[6];
  const hlen = major === 1 ? b.readUInt16LE(8) : b.readUInt32LE(8);
  const hstart = major === 1 ? 10 : 12;
  const header = b.toString('latin1', hstart, hstart + hlen);
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeStr = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || !fortran || shapeStr === undefined) throw new Error(`${source}: malformed .npy header: ${header.trim()}`);
  const shape = shapeStr.split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  return { descr, fortranOrder: fortran === 'True', shape, dataOffset: hstart + hlen };
}

/** Decode a .npy buffer (versions 1-3; little-endian f4, f8, i4, i8 (as f64), u1; C order). */
export function decodeNpy(buf: Uint8Array, source = 'npy'): { data: NpyArray; shape: number[] } {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  const { descr, fortranOrder, shape, dataOffset } = readNpyHeader(buf, source);
  if (fortranOrder) throw new Error(`${source}: fortran_order arrays are not supported; save with np.ascontiguousarray`);
  const n = shape.reduce((a, c) => a * c, 1);
  const bytes = b.subarray(dataOffset);
  const copy = (bpe: number) => { const ab = new ArrayBuffer(n * bpe); new Uint8Array(ab).set(bytes.subarray(0, n * bpe)); return ab; };
  if (bytes.length < n * ({ '<f4': 4, '<f8': 8, '<i4': 4, '<i8': 8, '|u1': 1 } as Record<string, number>)[descr] || 0) {
    throw new Error(`${source}: truncated .npy data (expected ${n} values of ${descr})`);
  }
  switch (descr) {
    case '<f4': return { data: new Float32Array(copy(4)), shape };
    case '<f8': return { data: new Float64Array(copy(8)), shape };
    case '<i4': return { data: new Int32Array(copy(4)), shape };
    case '|u1': case '<u1': return { data: new Uint8Array(copy(1)), shape };
    case '<i8': { const src = new BigInt64Array(copy(8)); return { data: Float64Array.from(src, (v) => Number(v)), shape }; }
    default: throw new Error(`${source}: dtype ${descr} is not supported; expected one of <f4, <f8, <i4, <i8, |u1`);
  }
}

export function readNpy(path: string): { data: NpyArray; shape: number[] } {
  return decodeNpy(withIo('reading .npy file', path, () => readFileSync(path)), path);
}
