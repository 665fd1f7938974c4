/**
 * Decode FITS image HDUs to float32 (FITS Standard 4.0 §5: big-endian two's-complement
 * integers, IEEE-754 floats; §4.4.2.5: physical = BZERO + BSCALE × stored, BLANK marks undefined
 * integer pixels, which become NaN). The header parser and the reasons we do not use fitsjs are in
 * fits-header.ts.
 */
import { LensforgeError } from '../errors.js';
import type { ByteSource } from './byte-source.js';
import { hduLabel, intKey, isTileCompressed, type FitsCardValue, type FitsHdu } from './fits-header.js';

export interface FitsImageInfo {
  /** NumPy order (slowest first), degenerate axes beyond the first two dropped: [H, W] or [N, H, W]. */
  dims: number[];
  bitpix: number;
  /** e.g. 'int16 (BITPIX 16, BSCALE/BZERO)'. */
  dtype: string;
}

const BITPIX_NAMES: Record<number, string> = { 8: 'uint8', 16: 'int16', 32: 'int32', 64: 'int64', [-32]: 'float32', [-64]: 'float64' };

function num(v: FitsCardValue | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  return typeof v === 'bigint' ? Number(v) : typeof v === 'number' ? v : NaN;
}

/**
 * Check that `hdu` is an image this reader decodes and return its dimensions; everything else is
 * refused with a message naming the file and the HDU: tile-compressed images (§10), tables,
 * random groups (§6), unknown BITPIX, more than 3 non-degenerate axes.
 */
export function imageInfo(src: ByteSource, hdu: FitsHdu): FitsImageInfo {
  const where = hduLabel(src, hdu);
  const h = hdu.header;
  if (isTileCompressed(hdu)) {
    throw new LensforgeError(`${where}: a tile-compressed image (ZIMAGE = T, ZCMPTYPE '${String(h.get('ZCMPTYPE') ?? '?')}', FITS 4.0 §10) is not read; decompress it first, e.g. \`funpack FILE\` (cfitsio) or astropy's CompImageHDU → ImageHDU`);
  }
  if (hdu.type !== 'PRIMARY' && hdu.type !== 'IMAGE') {
    throw new LensforgeError(`${where}: XTENSION '${hdu.type}' is not an image (only the primary HDU and IMAGE extensions hold images); choose another HDU with data.hdu`);
  }
  if (h.get('GROUPS') === true) throw new LensforgeError(`${where}: random-groups data (GROUPS = T, FITS 4.0 §6) are not read`);
  const bitpix = intKey(h, 'BITPIX', where);
  if (!(bitpix in BITPIX_NAMES)) throw new LensforgeError(`${where}: BITPIX = ${bitpix}: expected one of 8, 16, 32, 64, -32, -64 (§4.4.1.1)`);
  const naxis = intKey(h, 'NAXIS', where);
  if (naxis === 0) throw new LensforgeError(`${where}: NAXIS = 0: this HDU holds no data; choose an image HDU with data.hdu`);
  const fitsAxes: number[] = [];
  for (let i = 1; i <= naxis; i++) fitsAxes.push(intKey(h, `NAXIS${i}`, where));
  if (naxis < 2) throw new LensforgeError(`${where}: NAXIS = ${naxis}: expected an image (NAXIS 2) or a cube (NAXIS 3)`);
  const kept = [fitsAxes[0], fitsAxes[1], ...fitsAxes.slice(2).filter((n) => n !== 1)];
  if (kept.length > 3) {
    throw new LensforgeError(`${where}: NAXIS = ${naxis} (${fitsAxes.map((n, i) => `NAXIS${i + 1} = ${n}`).join(', ')}): more than 3 axes longer than 1 are not read; write images (NAXIS 2) or cubes (NAXIS 3)`);
  }
  const scaled = h.has('BSCALE') || h.has('BZERO');
  return { dims: kept.reverse(), bitpix, dtype: `${BITPIX_NAMES[bitpix]} (BITPIX ${bitpix}${scaled ? ', BSCALE/BZERO' : ''}${h.has('BLANK') ? ', BLANK' : ''})` };
}

/**
 * Decode planes `[start, start + count)` of an image or cube HDU (all of a 2-D image) as float32.
 * Refuses, before allocating, a read of more than `maxBytes` (NAXISn product × bytes per value),
 * and data that end past the end of the file.
 */
export function readImagePlanes(src: ByteSource, hdu: FitsHdu, start = 0, count?: number, maxBytes = 2 ** 30): { data: Float32Array; info: FitsImageInfo } {
  const info = imageInfo(src, hdu);
  const where = hduLabel(src, hdu);
  const h = hdu.header;
  const planeLen = info.dims[info.dims.length - 1] * info.dims[info.dims.length - 2];
  const nPlanes = info.dims.length === 3 ? info.dims[0] : 1;
  const cnt = count ?? nPlanes - start;
  if (start < 0 || cnt < 0 || start + cnt > nPlanes) throw new LensforgeError(`${where}: planes [${start}, ${start + cnt}) requested of ${nPlanes}`);
  const bpe = Math.abs(info.bitpix) / 8;
  const bytes = planeLen * cnt * bpe;
  if (bytes > maxBytes) {
    const axes = [...info.dims].reverse().map((n, i) => `NAXIS${i + 1} = ${n}`).join(', ');
    throw new LensforgeError(`${where}: ${axes} × ${bpe} bytes = ${bytes} bytes exceeds the limit of ${maxBytes} bytes (data.maxFileMB); refusing to allocate`);
  }
  const off = hdu.dataStart + start * planeLen * bpe;
  if (hdu.dataStart + hdu.dataBytes > src.size) {
    throw new LensforgeError(`${where}: the data are truncated: the header announces ${hdu.dataBytes} bytes from byte ${hdu.dataStart}, the file has ${src.size}`);
  }
  const b = src.read(off, bytes);
  const n = planeLen * cnt;
  const out = new Float32Array(n);
  const bscale = num(h.get('BSCALE'), 1), bzero = num(h.get('BZERO'), 0);
  if (!Number.isFinite(bscale) || !Number.isFinite(bzero)) throw new LensforgeError(`${where}: BSCALE = ${String(h.get('BSCALE'))}, BZERO = ${String(h.get('BZERO'))}: expected numbers`);
  const blankV = h.get('BLANK');
  const hasBlank = blankV !== undefined && info.bitpix > 0;
  const identity = bscale === 1 && bzero === 0;
  switch (info.bitpix) {
    case 8: case 16: case 32: {
      const rd = info.bitpix === 8 ? (p: number) => b[p] : info.bitpix === 16 ? (p: number) => b.readInt16BE(p) : (p: number) => b.readInt32BE(p);
      const blank = hasBlank ? Number(blankV) : NaN;
      for (let i = 0; i < n; i++) {
        const v = rd(i * bpe);
        out[i] = hasBlank && v === blank ? NaN : identity ? v : bzero + bscale * v;
      }
      break;
    }
    case 64: {
      const blank = hasBlank ? BigInt(blankV as number | bigint) : 0n;
      // BZERO = 2^63 marks unsigned 64-bit (§5.2.5, Table 11): add it exactly in bigint before converting
      const unsigned = bscale === 1 && bzero === 9223372036854775808;
      for (let i = 0; i < n; i++) {
        const v = b.readBigInt64BE(i * 8);
        if (hasBlank && v === blank) { out[i] = NaN; continue; }
        out[i] = unsigned ? Number(v + 9223372036854775808n) : identity ? Number(v) : bzero + bscale * Number(v);
      }
      break;
    }
    case -32: for (let i = 0; i < n; i++) out[i] = identity ? b.readFloatBE(i * 4) : bzero + bscale * b.readFloatBE(i * 4); break;
    case -64: for (let i = 0; i < n; i++) out[i] = identity ? b.readDoubleBE(i * 8) : bzero + bscale * b.readDoubleBE(i * 8); break;
  }
  return { data: out, info };
}
