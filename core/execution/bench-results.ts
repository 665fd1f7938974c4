import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../di/logger.js';
import { writeResults, type BenchRow } from '../experiment/bench.js';
import type { Summary } from '../experiment/runner.js';
import type { BenchFinalize } from './finalize.js';

/**
 * Collect every cell's summary.json (with the cell's config hash) and write results.csv,
 * results.md and summary.json with the bench's own writer, in the plan's order, so the tables
 * are the ones a sequential run writes. Cells without a result are left out and named.
 */
export function collectBenchResults(f: BenchFinalize, logger: Logger): { rows: BenchRow[]; missing: string[]; table: string; metrics: string[]; timings: string[] } {
  const rows: BenchRow[] = [];
  const missing: string[] = [];
  for (const c of f.cells) {
    const p = join(c.runDir, 'summary.json');
    const s = existsSync(p) ? (JSON.parse(readFileSync(p, 'utf8')) as Summary) : undefined;
    if (!s || s.configHash !== c.configHash) { missing.push(`${c.variant} seed ${c.seed}${c.trial ? ` trial ${c.trial}` : ''}`); continue; }
    rows.push({ variant: c.variant, seed: c.seed, trial: c.trial, metrics: s.metrics, timings: s.timings ?? {}, runDir: c.runDir, cached: false });
  }
  const { rows: shown, table, metrics, timings } = writeResults(f.outDir, rows, f.bench, f.variants);
  if (missing.length) logger.warn(`bench ${f.outDir}: ${missing.length} cell(s) without a result: ${missing.join('; ')}`);
  return { rows: shown, missing, table, metrics, timings };
}
