/**
 * Reference values produced by the field's codes (lenstronomy, lenspack, numpy), kept in the
 * repository under `core/testing/fixtures/` (provenance and conventions in its README) so a clone
 * on its own passes its tests. Tests read them through this one function, never from outside
 * the repository.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: the first folder above this file that holds package.json. */
function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`reference fixtures: no package.json above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
  return dir;
}

/** Absolute path of `core/testing/fixtures/<name>`. */
export function referenceFixturePath(name: string): string {
  return join(repoRoot(), 'core', 'testing', 'fixtures', name);
}

/** Parse `core/testing/fixtures/<name>` (JSON). */
export function loadReferenceFixture<T = unknown>(name: string): T {
  const p = referenceFixturePath(name);
  if (!existsSync(p)) throw new Error(`reference fixture ${name} not found at ${p}`);
  return JSON.parse(readFileSync(p, 'utf8')) as T;
}
