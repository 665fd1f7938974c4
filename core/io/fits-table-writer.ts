/**
 * Write a FITS binary table (FITS 4.0 §7.3) of float64 columns (TFORM 'D') after an empty
 * primary HDU, atomically: catalogues for tests and examples, read back by fits-table.ts.
 */
import { writeFileAtomic } from './atomic-write.js';

export interface FitsTableColumn { name: string; values: ArrayLike<number> }

function card(k: string, v: string | number | boolean): string {
  const val = typeof v === 'string' ? `'${v.replace(/'/g, "''").padEnd(8)}'`.padEnd(20) : typeof v === 'boolean' ? (v ? 'T' : 'F').padStart(20) : String(v).padStart(20);
  return (k.padEnd(8) + '= ' + val).padEnd(80);
}

function block(cards: string[]): Buffer {
  const s = [...cards, 'END'.padEnd(80)].join('');
  return Buffer.from(s.padEnd(Math.ceil(s.length / 2880) * 2880, ' '), 'ascii');
}

/** Encode the columns (all the same length) as primary HDU + one BINTABLE extension named `extname`. */
export function encodeFitsTable(columns: readonly FitsTableColumn[], extname = 'CATALOG'): Buffer {
  if (columns.length === 0) throw new Error('fits table: expected at least one column, got none');
  const rows = columns[0].values.length;
  for (const c of columns) {
    if (c.values.length !== rows) throw new Error(`fits table: column "${c.name}" has ${c.values.length} values, column "${columns[0].name}" ${rows}`);
    if (c.name.length > 68 || /'/.test(c.name)) throw new Error(`fits table: column name "${c.name}": expected at most 68 characters without quotes`);
  }
  const primary = block([card('SIMPLE', true), card('BITPIX', 8), card('NAXIS', 0), card('EXTEND', true)]);
  const cards = [card('XTENSION', 'BINTABLE'), card('BITPIX', 8), card('NAXIS', 2), card('NAXIS1', 8 * columns.length), card('NAXIS2', rows),
    card('PCOUNT', 0), card('GCOUNT', 1), card('TFIELDS', columns.length)];
  columns.forEach((c, i) => cards.push(card(`TTYPE${i + 1}`, c.name), card(`TFORM${i + 1}`, 'D')));
  cards.push(card('EXTNAME', extname));
  const data = Buffer.alloc(Math.ceil((8 * columns.length * rows) / 2880) * 2880);
  for (let r = 0; r < rows; r++) columns.forEach((c, i) => data.writeDoubleBE(Number(c.values[r]), 8 * (r * columns.length + i)));
  return Buffer.concat([primary, block(cards), data]);
}

export function writeFitsTable(path: string, columns: readonly FitsTableColumn[], extname?: string): void {
  writeFileAtomic(path, encodeFitsTable(columns, extname));
}
