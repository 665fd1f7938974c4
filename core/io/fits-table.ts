/**
 * Read a FITS binary table (XTENSION = 'BINTABLE', FITS 4.0 §7.3) into string cells, for label
 * catalogues. Scalar columns of TFORM L, B, I, J, K, E, D and character columns (rA) are read;
 * vector columns, variable-length arrays (P/Q) and complex types are refused naming the column.
 * TSCALn/TZEROn are applied to integer columns (§7.3.2).
 */
import { LensforgeError } from '../errors.js';
import { openByteSource } from './byte-source.js';
import { hduLabel, intKey, selectHdu, walkHdus } from './fits-header.js';

export interface FitsTable { file: string; where: string; columns: string[]; rows: string[][] }

const SIZES: Record<string, number> = { L: 1, B: 1, I: 2, J: 4, K: 8, E: 4, D: 8, A: 1 };

export function readFitsTable(file: string, which?: number | string): FitsTable {
  const src = openByteSource(file);
  try {
    const hdus = walkHdus(src);
    const hdu = which === undefined ? hdus.find((h) => h.type === 'BINTABLE') : selectHdu(src, hdus, which);
    if (!hdu) throw new LensforgeError(`${file}: no BINTABLE extension holds a table`);
    const where = hduLabel(src, hdu);
    if (hdu.type !== 'BINTABLE') throw new LensforgeError(`${where}: XTENSION '${hdu.type}' is not a binary table`);
    const h = hdu.header;
    const rowBytes = intKey(h, 'NAXIS1', where), nRows = intKey(h, 'NAXIS2', where), nCols = intKey(h, 'TFIELDS', where);
    const cols: Array<{ name: string; type: string; count: number; offset: number; scale: number; zero: number }> = [];
    let off = 0;
    for (let i = 1; i <= nCols; i++) {
      const form = String(h.get(`TFORM${i}`) ?? '').trim();
      const m = /^(\d*)([LXBIJKAEDCMPQ])/.exec(form);
      const name = String(h.get(`TTYPE${i}`) ?? `COL${i}`).trim();
      if (!m) throw new LensforgeError(`${where}: TFORM${i} = '${form}' (column "${name}") is not a valid binary-table format`);
      const count = m[1] === '' ? 1 : Number(m[1]);
      const type = m[2];
      if (!(type in SIZES) || (type !== 'A' && count !== 1)) {
        cols.push({ name, type: '?', count, offset: off, scale: 1, zero: 0 });
        off += type === 'X' ? Math.ceil(count / 8) : count * ({ C: 8, M: 16, P: 8, Q: 16 }[type] ?? SIZES[type] ?? 0);
        continue;
      }
      cols.push({ name, type, count, offset: off, scale: Number(h.get(`TSCAL${i}`) ?? 1), zero: Number(h.get(`TZERO${i}`) ?? 0) });
      off += count * SIZES[type];
    }
    if (off !== rowBytes) throw new LensforgeError(`${where}: the TFORMn columns take ${off} bytes per row but NAXIS1 = ${rowBytes}`);
    const data = src.read(hdu.dataStart, rowBytes * nRows);
    if (data.length < rowBytes * nRows) throw new LensforgeError(`${where}: the table data are truncated`);
    const rows: string[][] = [];
    for (let r = 0; r < nRows; r++) {
      const base = r * rowBytes;
      rows.push(cols.map((c) => {
        const p = base + c.offset;
        const lin = (v: number) => String(c.scale * v + c.zero);
        switch (c.type) {
          case 'A': return data.toString('latin1', p, p + c.count).replace(/\0.*$/s, '').trim();
          case 'L': return data[p] === 0x54 ? '1' : data[p] === 0x46 ? '0' : '';
          case 'B': return lin(data[p]);
          case 'I': return lin(data.readInt16BE(p));
          case 'J': return lin(data.readInt32BE(p));
          case 'K': return lin(Number(data.readBigInt64BE(p)));
          case 'E': return String(c.scale * data.readFloatBE(p) + c.zero);
          case 'D': return String(c.scale * data.readDoubleBE(p) + c.zero);
          default: return `\u0000unsupported:${c.name}`;
        }
      }));
    }
    return { file, where, columns: cols.map((c) => c.name), rows };
  } finally { src.close(); }
}
