import { LensforgeError } from '../errors.js';
import { displayPath } from '../io/io-error.js';
import { readJsonFile } from '../io/json-file.js';

/** One row of a shard's parameter table. */
export interface ParamsRow { index: number; labels: Record<string, number> }

/**
 * Read a shard's `params-NNNNN.json` and check its shape: a list of `count` rows
 * `{ index, labels: { <name>: number } }` with every label the manifest names. A short or
 * malformed table is an error naming the file, the row and what was expected.
 */
export function readParamsFile(path: string, count: number, labelNames: readonly string[]): ParamsRow[] {
  const rows = readJsonFile<unknown>(path, 'parameter table');
  const where = displayPath(path);
  const hint = 're-create the dataset with `lensforge simulate` (or restore the file)';
  if (!Array.isArray(rows)) throw new LensforgeError(`parameter table ${where}: expected a list of ${count} rows { index, labels }, got ${rows === null ? 'null' : typeof rows}; ${hint}`);
  if (rows.length !== count) throw new LensforgeError(`parameter table ${where}: expected ${count} rows (the shard's count in manifest.json), got ${rows.length}; ${hint}`);
  rows.forEach((r, i) => {
    const row = r as Partial<ParamsRow> | null;
    if (!row || typeof row !== 'object' || typeof row.index !== 'number' || !row.labels || typeof row.labels !== 'object') {
      throw new LensforgeError(`parameter table ${where}: row ${i}: expected { index: number, labels: {...} }, got ${JSON.stringify(r)?.slice(0, 80)}; ${hint}`);
    }
    for (const n of labelNames) {
      if (typeof row.labels[n] !== 'number') throw new LensforgeError(`parameter table ${where}: row ${i}: label "${n}" is missing or not a number (got ${JSON.stringify(row.labels[n])}); ${hint}`);
    }
  });
  return rows as ParamsRow[];
}
