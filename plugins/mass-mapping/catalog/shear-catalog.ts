import { existsSync, statSync } from 'node:fs';
import { columnIndex, LensforgeError, readLabelTable, type CsvTable } from '../../../core/index.js';

/** Catalogue fields and the column that holds each (`--columns ra=RA,dec=DEC,e1=g1,e2=g2,weight=w`). */
export interface ShearColumns { ra: string; dec: string; e1: string; e2: string; weight?: string }

export const DEFAULT_SHEAR_COLUMNS: ShearColumns = { ra: 'ra', dec: 'dec', e1: 'e1', e2: 'e2' };

/** A shear catalogue: positions in degrees, ellipticities, weights (1 without a weight column). */
export interface ShearCatalog {
  file: string;
  count: number;
  ra: Float64Array;
  dec: Float64Array;
  e1: Float64Array;
  e2: Float64Array;
  weight: Float64Array;
  columns: ShearColumns;
}

const FIELDS = ['ra', 'dec', 'e1', 'e2', 'weight'] as const;

/**
 * Parse `ra=RA,dec=DEC,e1=g1,e2=g2,weight=w` (any subset; the rest keep their defaults `ra`,
 * `dec`, `e1`, `e2`, no weight). Unknown fields and malformed pairs are errors naming the option.
 */
export function parseShearColumns(spec: string | undefined): ShearColumns {
  const out: ShearColumns = { ...DEFAULT_SHEAR_COLUMNS };
  if (spec === undefined || spec.trim() === '') return out;
  for (const part of spec.split(',')) {
    const m = /^\s*([A-Za-z0-9]+)\s*=\s*(.+?)\s*$/.exec(part);
    if (!m) throw new LensforgeError(`--columns: "${part}" is not FIELD=COLUMN; expected e.g. --columns ra=RA,dec=DEC,e1=g1,e2=g2,weight=w`);
    const f = m[1] as typeof FIELDS[number];
    if (!FIELDS.includes(f)) throw new LensforgeError(`--columns: unknown field "${m[1]}"; expected one of ${FIELDS.join(', ')}`);
    out[f] = m[2];
  }
  return out;
}

/**
 * Read a shear catalogue from a CSV (header row of column names) or a FITS binary table
 * (`.fits`, `.fit`, `.fts`, optionally `.gz`; the first BINTABLE HDU). Every value of the used
 * columns must be a finite number (weights >= 0, |Dec| <= 90); errors name the file, the column
 * and the line (CSV) or row (FITS, from 1). An empty catalogue is an error.
 */
export function readShearCatalog(file: string, columns: ShearColumns = DEFAULT_SHEAR_COLUMNS): ShearCatalog {
  if (!existsSync(file)) throw new LensforgeError(`catalogue ${file}: no such file; expected a CSV or FITS binary table with columns ${columns.ra}, ${columns.dec}, ${columns.e1}, ${columns.e2}`);
  if (statSync(file).size === 0) throw new LensforgeError(`catalogue ${file}: the file is empty; expected a header row with columns ${columns.ra}, ${columns.dec}, ${columns.e1}, ${columns.e2} and one row per galaxy`);
  const t: CsvTable = readLabelTable(file);
  const col = (field: keyof ShearColumns): number => {
    const name = columns[field] as string;
    if (!t.columns.includes(name)) {
      throw new LensforgeError(`catalogue ${t.file}: column "${name}" (field ${field}) is missing; its columns: ${t.columns.join(', ')}; map fields to columns with --columns ${field}=NAME`);
    }
    return columnIndex(t, name, '--columns');
  };
  const idx = { ra: col('ra'), dec: col('dec'), e1: col('e1'), e2: col('e2'), weight: columns.weight ? col('weight') : -1 };
  const count = t.rows.length;
  if (count === 0) throw new LensforgeError(`catalogue ${t.file}: no galaxies (the table has a header but no rows)`);
  const cat: ShearCatalog = { file, count, columns, ra: new Float64Array(count), dec: new Float64Array(count), e1: new Float64Array(count), e2: new Float64Array(count), weight: new Float64Array(count).fill(1) };
  const word = t.rowWord ?? 'line';
  t.rows.forEach((row, r) => {
    for (const f of FIELDS) {
      const k = idx[f];
      if (k < 0) continue;
      const s = row.values[k];
      const v = s === '' ? NaN : Number(s);
      const name = columns[f] as string;
      if (!Number.isFinite(v)) throw new LensforgeError(`catalogue ${t.file}, ${word} ${row.line}, column "${name}" (${f}): expected a finite number, got "${s}"`);
      if (f === 'dec' && Math.abs(v) > 90) throw new LensforgeError(`catalogue ${t.file}, ${word} ${row.line}, column "${name}" (dec): expected degrees in [-90, 90], got ${s}`);
      if (f === 'weight' && v < 0) throw new LensforgeError(`catalogue ${t.file}, ${word} ${row.line}, column "${name}" (weight): expected a weight >= 0, got ${s}`);
      cat[f][r] = v;
    }
  });
  return cat;
}
