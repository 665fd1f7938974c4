import { readFileSync } from 'node:fs';
import { LensforgeError } from '../errors.js';
import { displayPath, withIo } from './io-error.js';
import { lineColumn, scanJson } from './json-scan.js';

/** A JSON file that does not parse: names the file, the line and column, and a hint. */
export class JsonFileError extends LensforgeError {
  constructor(message: string, readonly file: string, readonly line?: number, readonly column?: number, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export interface ParseJsonOptions {
  /** Refuse duplicate keys (JSON.parse keeps the last silently). Scans the text; use for configs. */
  uniqueKeys?: boolean;
  /** Base folder for the file name shown (e.g. the run directory). */
  base?: string;
}

function hintFor(message: string, atEnd: boolean): string {
  if (/duplicate key/.test(message)) return 'remove one of them (JSON keeps only the last, silently)';
  if (atEnd) return 'the file ends early; it was probably truncated (an interrupted write or a full disk)';
  if (/after a property value|after an array element/.test(message)) return 'a comma or closing bracket is missing, or there is a trailing comma';
  if (/property name/.test(message)) return 'JSON needs double-quoted keys and no trailing commas';
  return 'fix the file, or restore it from a backup if it was damaged';
}

/**
 * Parse JSON `text` read from `file`; a syntax error says `<what> <file>: not valid JSON at line
 * L, column C: <problem> (<hint>)`. `what` describes the file (`config`, `checkpoint state`).
 */
export function parseJsonText<T = unknown>(text: string, file: string, what = 'file', opts: ParseJsonOptions = {}): T {
  const shown = displayPath(file, opts.base);
  if (text.trim() === '') throw new JsonFileError(`${what} ${shown}: the file is empty; expected JSON${text.length ? ' (it holds only whitespace)' : ''}`, file);
  let value: unknown;
  let cause: unknown;
  try { value = JSON.parse(text); } catch (e) { cause = e; }
  if (cause !== undefined || opts.uniqueKeys) {
    const p = scanJson(text, { uniqueKeys: opts.uniqueKeys });
    if (p) {
      const { line, column } = lineColumn(text, p.offset);
      const atEnd = !!p.truncated;
      throw new JsonFileError(`${what} ${shown}: not valid JSON at line ${line}, column ${column}: ${p.message} (${hintFor(p.message, atEnd)})`, file, line, column, { cause });
    }
    if (cause !== undefined) throw new JsonFileError(`${what} ${shown}: not valid JSON: ${(cause as Error).message}`, file, undefined, undefined, { cause });
  }
  return value as T;
}

/**
 * Read and parse a JSON file. I/O errors name the file and errno (`reading X: no such file or
 * directory (ENOENT)`), syntax errors the line and column with a hint. `what` is how the file is
 * called in messages (`summary`, `checkpoint state`, `dataset manifest`).
 */
export function readJsonFile<T = unknown>(path: string, what = 'file', opts: ParseJsonOptions = {}): T {
  const text = withIo(`reading ${what}`, path, () => readFileSync(path, 'utf8'), opts.base);
  return parseJsonText<T>(text, path, what, opts);
}
