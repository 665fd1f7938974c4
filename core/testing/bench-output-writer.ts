import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeResults, type BenchRow } from '../experiment/bench.js';
import type { BenchConfig } from '../experiment/config-schema.js';
import { stableHash } from '../experiment/stable-hash.js';

export interface TestRun { variant: string; seed: number; metrics: Record<string, number>; timings?: Record<string, number>; backend?: string; commit?: string }

/**
 * A bench output folder for tests, written by the bench's own writer (`writeResults`: results.csv,
 * results.md, summary.json): each run gets a cell directory with the summary.json and
 * config.resolved.json a finished run has (config hash, backend, commit), so the stamps are read
 * from them exactly as after `lensforge bench`.
 */
export function writeBenchOutput(dir: string, runs: TestRun[], metrics?: string[]): void {
  const rows: BenchRow[] = runs.map((r) => {
    const runDir = join(dir, r.variant, `seed-${r.seed}`);
    mkdirSync(runDir, { recursive: true });
    const configHash = stableHash({ variant: r.variant, seed: r.seed });
    writeFileSync(join(runDir, 'summary.json'), JSON.stringify({ name: 'test', tag: r.variant, seed: r.seed, configHash, backend: r.backend ?? 'wasm', metrics: r.metrics, timings: r.timings ?? {}, wallSeconds: 1, finishedAt: '2026-12-02T00:00:00.000Z' }));
    writeFileSync(join(runDir, 'config.resolved.json'), JSON.stringify({ name: 'test', seed: r.seed, configHash, versions: { lensforge: '0.1.0', ...(r.commit ? { gitCommit: r.commit } : {}) }, backendSelected: r.backend ?? 'wasm' }));
    return { variant: r.variant, seed: r.seed, metrics: r.metrics, timings: r.timings ?? {}, runDir, cached: false };
  });
  const variants = [...new Set(runs.map((r) => r.variant))];
  const seeds = [...new Set(runs.map((r) => r.seed))];
  writeResults(dir, rows, { seeds, metrics } as unknown as BenchConfig, variants);
}
