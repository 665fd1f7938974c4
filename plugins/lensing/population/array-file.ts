/**
 * Reads a numeric array from a .npy or FITS file (core `readNpy` / `readFits`) as float64 with
 * its shape in NumPy order, and reports problems as `PATH: message` lines.
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { readFits, readNpy } from '../../../core/index.js';

/** An array read from disk. */
export interface ArrayFile {
  data: Float64Array;
  /** NumPy order, e.g. [n, H, W]. */
  shape: number[];
  /** Absolute path of the file. */
  file: string;
}

/** File extensions understood by {@link readArrayFile}. */
export const ARRAY_FILE_EXTENSIONS = ['.npy', '.fits', '.fit', '.fts'];

/**
 * Reads `.npy` or FITS (primary HDU) into float64.
 * @param file path, relative to `baseDir`
 * @param path config path for messages (e.g. `sources.bank.paths[0]`)
 * @param baseDir directory relative paths start from (default: the working directory)
 * @throws Error `PATH: ...` when the file is missing, has another extension or cannot be decoded
 */
export function readArrayFile(file: string, path: string, baseDir = process.cwd()): ArrayFile {
  const abs = resolve(baseDir, file);
  const lower = abs.toLowerCase();
  const ext = ARRAY_FILE_EXTENSIONS.find((e) => lower.endsWith(e));
  if (!ext) throw new Error(`${path}: expected a ${ARRAY_FILE_EXTENSIONS.join(', ')} file, got "${file}"`);
  if (!existsSync(abs) || !statSync(abs).isFile()) throw new Error(`${path}: file not found: ${abs}`);
  let raw: { data: ArrayLike<number>; shape: number[] };
  try {
    raw = ext === '.npy' ? readNpy(abs) : readFits(abs);
  } catch (e) {
    throw new Error(`${path}: could not read ${abs}: ${(e as Error).message}`);
  }
  return { data: Float64Array.from(raw.data), shape: raw.shape, file: abs };
}
