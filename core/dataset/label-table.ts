import { existsSync, readFileSync } from 'node:fs';
import { LensforgeError } from '../errors.js';
import { readFitsTable } from '../io/fits-table.js';

/** A CSV file with a header row: column names and rows of strings with their 1-based line numbers. */
export interface CsvTable {
  file: string;
  /** How a row is named in messages: 'line' (CSV line numbers) or 'row' (FITS table rows, from 1). */
  rowWord?: 'line' | 'row';
  columns: string[];
  rows: Array<{ line: number; values: string[] }>;
}

/** A labels table from a CSV, or from a FITS binary table (`.fits`, `.fit`, `.fts`, optionally .gz; `hdu` as in data.hdu). */
export function readLabelTable(file: string, hdu?: number | string): CsvTable {
  if (!/\.(fits|fit|fts)(\.gz)?$/i.test(file)) return readCsvTable(file);
  if (!existsSync(file)) throw new LensforgeError(`labels file not found: ${file}`);
  const t = readFitsTable(file, hdu);
  return { file: t.where, rowWord: 'row', columns: t.columns, rows: t.rows.map((values, i) => ({ line: i + 1, values })) };
}

/** Parse a CSV (RFC 4180: commas, double-quoted fields with "" escapes; blank lines and `#` comment lines skipped). */
export function readCsvTable(file: string): CsvTable {
  if (!existsSync(file)) throw new LensforgeError(`labels file not found: ${file}`);
  const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  const records: Array<{ line: number; values: string[] }> = [];
  let line = 1, i = 0;
  while (i < text.length) {
    const start = line;
    const values: string[] = [];
    let field = '', quoted = false, any = false;
    for (; i < text.length; i++) {
      const c = text[i];
      if (quoted) {
        if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
        else if (c === '"') quoted = false;
        else { if (c === '\n') line++; field += c; }
      } else if (c === '"') { quoted = true; any = true; }
      else if (c === ',') { values.push(field); field = ''; any = true; }
      else if (c === '\n' || c === '\r') { if (c === '\r' && text[i + 1] === '\n') i++; i++; break; }
      else { field += c; any = true; }
    }
    values.push(field);
    line++;
    if (!any || (values.length === 1 && values[0].trim().startsWith('#'))) continue;
    records.push({ line: start, values: values.map((v) => v.trim()) });
  }
  if (!records.length) throw new LensforgeError(`${file}: the labels CSV is empty (expected a header row of column names)`);
  const [head, ...rows] = records;
  for (const r of rows) {
    if (r.values.length !== head.values.length) throw new LensforgeError(`${file}, line ${r.line}: ${r.values.length} fields, but the header (line ${head.line}) names ${head.values.length} columns`);
  }
  return { file, columns: head.values, rows };
}

/** Column index of `name`, or an error listing the columns. */
export function columnIndex(t: CsvTable, name: string, option: string): number {
  const k = t.columns.indexOf(name);
  if (k < 0) throw new LensforgeError(`${option}: column "${name}" is not in ${t.file}; its columns: ${t.columns.join(', ')}`);
  return k;
}

/** A numeric cell, or an error naming the file, line, column and value. */
export function numericCell(t: CsvTable, row: { line: number; values: string[] }, col: number): number {
  const s = row.values[col];
  const v = s === '' ? NaN : Number(s);
  if (s.startsWith('\u0000unsupported:')) throw new LensforgeError(`${t.file}, column "${t.columns[col]}": a vector, bit, complex or variable-length FITS table column cannot be a label`);
  if (!Number.isFinite(v) && !/^(nan|[+-]?inf(inity)?)$/i.test(s)) {
    throw new LensforgeError(`${t.file}, ${t.rowWord ?? 'line'} ${row.line}, column "${t.columns[col]}": expected a number, got "${s}"; list only numeric label columns in data.labels.columns`);
  }
  return /^nan$/i.test(s) ? NaN : /^-inf/i.test(s) ? -Infinity : /inf/i.test(s) ? Infinity : v;
}
