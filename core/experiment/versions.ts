import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { lensforgeRoot } from '../registry/plugin-loader.js';

export interface Versions { lensforge: string; node: string; tfjs: string; gitCommit?: string }

let cached: Versions | undefined;

/** Versions recorded in every run (and printed by `lensforge doctor`). */
export function versions(): Versions {
  if (cached) return cached;
  const root = lensforgeRoot();
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  let tfjs = 'unknown';
  try {
    const req = createRequire(join(root, 'package.json'));
    tfjs = (JSON.parse(readFileSync(req.resolve('@tensorflow/tfjs-core/package.json'), 'utf8')) as { version: string }).version;
  } catch { /* not installed */ }
  let gitCommit: string | undefined;
  try {
    gitCommit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim() || undefined;
  } catch { /* not a git checkout */ }
  cached = { lensforge: pkg.version, node: process.version, tfjs, gitCommit };
  return cached;
}
