import { existsSync, readFileSync } from 'node:fs';
import type { z } from 'zod';
import { LensforgeError } from '../errors.js';
import { zodMessage } from '../registry/registry.js';

/** A JSON file that is missing, unparsable or does not match its schema. */
export class InvalidFileError extends LensforgeError {}

/**
 * Check a parsed JSON value against `schema`; every issue is reported with the file and the
 * field path: `FILE: epoch: expected a non-negative integer, got "four"` (issues joined by `; `).
 */
export function validateJson<S extends z.ZodType>(file: string, value: unknown, schema: S): z.output<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issues = r.error.issues.map((iss) => `${iss.path.length ? iss.path.map(String).join('.') : '(root)'}: ${zodMessage(iss, value)}`);
  throw new InvalidFileError(`${file}: ${issues.join('; ')}`);
}

/** Parse JSON text read from `file`; a syntax error names the file. */
export function parseJsonText(file: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new InvalidFileError(`${file}: not valid JSON: ${(e as Error).message}`, { cause: e });
  }
}

/** Read `file` once, parse it as JSON and validate it against `schema`. */
export function readValidatedJson<S extends z.ZodType>(file: string, schema: S): z.output<S> {
  if (!existsSync(file)) throw new InvalidFileError(`${file}: missing`);
  return validateJson(file, parseJsonText(file, readFileSync(file, 'utf8')), schema);
}
