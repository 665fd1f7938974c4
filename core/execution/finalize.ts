import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LensforgeError } from '../errors.js';
import type { BenchConfig } from '../experiment/config-schema.js';

/** A bench cell as the finalize step sees it. */
export interface BenchCell { variant: string; seed: number; trial?: string; runDir: string; configHash: string }

/** Write the bench tables from the cells' summary.json files. */
export interface BenchFinalize {
  format: 'lensforge-finalize';
  kind: 'bench-results';
  outDir: string;
  bench: BenchConfig;
  variants: string[];
  cells: BenchCell[];
}

/** Record the shards written by range tasks in the manifest and finish the dataset. */
export interface SimulateFinalize {
  format: 'lensforge-finalize';
  kind: 'simulate-manifest';
  outDir: string;
  config: Record<string, unknown>;
  baseDir: string;
  source?: string;
  plugins?: string[];
}

export type FinalizeFile = BenchFinalize | SimulateFinalize;

export function readFinalizeFile(path: string): FinalizeFile {
  if (!existsSync(path)) throw new LensforgeError(`finalize file not found: ${path}`);
  const f = JSON.parse(readFileSync(path, 'utf8')) as FinalizeFile;
  if (f.format !== 'lensforge-finalize' || (f.kind !== 'bench-results' && f.kind !== 'simulate-manifest')) {
    throw new LensforgeError(`${path}: expected a lensforge finalize file (kind "bench-results" or "simulate-manifest"), got format ${JSON.stringify(f.format)} kind ${JSON.stringify((f as { kind?: unknown }).kind)}`);
  }
  return f;
}

export function finalizeFilePath(execDirPath: string): string { return join(execDirPath, 'finalize.json'); }
