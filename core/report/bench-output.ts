import { existsSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { LensforgeError } from '../errors.js';
import { displayPath } from '../io/io-error.js';
import { readJsonFile } from '../io/json-file.js';
import { checkResultsCsv } from './results-csv.js';

/** One run of a bench output: its per-seed values and the stamp `lensforge bench` wrote for it. */
export interface ReportRun {
  variant: string;
  seed: number;
  metrics: Record<string, number>;
  timings: Record<string, number>;
  configHash: string;
  backend: string;
  commit?: string;
}

/** A bench output folder as `lensforge report` reads it (summary.json, checked against results.csv). */
export interface BenchOutput {
  /** The folder's name: the key of the README's `<!-- results:NAME -->` marker. */
  name: string;
  dir: string;
  summaryPath: string;
  variants: string[];
  seeds: number[];
  metrics: string[];
  timings: string[];
  runs: ReportRun[];
}

const WHAT = 'the summary.json that `lensforge bench` writes (variants, seeds, metrics, runs)';

const isNumRecord = (v: unknown): v is Record<string, number> =>
  !!v && typeof v === 'object' && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'number' || x === null);

/**
 * Read a bench output folder: `summary.json` (every run with its metrics, timings and stamp:
 * config hash, backend, commit) and `results.csv`, whose values must agree with the summary's.
 * @throws LensforgeError naming the folder or file, what it holds and what was expected
 */
export function readBenchOutput(dir: string): BenchOutput {
  const shownDir = displayPath(dir);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new LensforgeError(`bench folder ${shownDir}: not found; expected a folder written by \`lensforge bench\` (with summary.json and results.csv)`);
  }
  const summaryPath = join(dir, 'summary.json');
  const shown = displayPath(summaryPath);
  if (!existsSync(summaryPath)) {
    throw new LensforgeError(`bench folder ${shownDir}: ${shown} not found; expected ${WHAT}. Was the bench run to the end (it writes summary.json after each cell)?`);
  }
  const s = readJsonFile<Record<string, unknown>>(summaryPath, 'bench summary');
  const fail = (field: string, got: unknown, expected: string): never => {
    throw new LensforgeError(`${shown}: "${field}" is ${got === undefined ? 'missing' : JSON.stringify(got)?.slice(0, 80)}; expected ${expected}`);
  };
  if (!s || typeof s !== 'object' || Array.isArray(s)) fail('(root)', s, WHAT);
  const strings = (k: string, optional = false): string[] => {
    const v = s[k];
    if (v === undefined && optional) return [];
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) return fail(k, v, 'a list of names');
    return v as string[];
  };
  const variants = strings('variants');
  const metrics = strings('metrics');
  const timings = strings('timings', true);
  if (!Array.isArray(s.seeds) || !s.seeds.every((x) => Number.isInteger(x))) fail('seeds', s.seeds, 'a list of integer seeds');
  if (!Array.isArray(s.runs)) fail('runs', s.runs, 'the list of runs (variant, seed, metrics, configHash, backend, commit)');
  const runs = (s.runs as unknown[]).map((r, i): ReportRun => {
    const run = r as Record<string, unknown>;
    const at = `runs[${i}]`;
    if (!run || typeof run !== 'object') return fail(at, r, 'a run { variant, seed, metrics, ... }');
    if (typeof run.variant !== 'string' || !variants.includes(run.variant)) fail(`${at}.variant`, run.variant, `one of the variants (${variants.join(', ')})`);
    if (!Number.isInteger(run.seed)) fail(`${at}.seed`, run.seed, 'an integer seed');
    if (!isNumRecord(run.metrics)) fail(`${at}.metrics`, run.metrics, 'an object of metric name -> number');
    if (run.timings !== undefined && !isNumRecord(run.timings)) fail(`${at}.timings`, run.timings, 'an object of timing name -> number');
    const lacking = ['configHash', 'backend'].filter((k) => typeof run[k] !== 'string' || !run[k]);
    if (lacking.length) {
      throw new LensforgeError(`${shown}: ${at} (variant "${String(run.variant)}", seed ${String(run.seed)}) has no ${lacking.join(' and ')}; ` +
        'expected every run stamped with its config hash, backend and commit, as `lensforge bench` writes them. An older summary: ' +
        `run \`lensforge bench CONFIG --out ${shownDir}\` again on the finished folder to rewrite it (finished cells are reused, nothing is retrained)`);
    }
    return {
      variant: run.variant as string, seed: run.seed as number,
      metrics: run.metrics as Record<string, number>, timings: (run.timings as Record<string, number> | undefined) ?? {},
      configHash: run.configHash as string, backend: run.backend as string,
      ...(typeof run.commit === 'string' && run.commit ? { commit: run.commit } : {}),
    };
  });
  if (!runs.length) fail('runs', s.runs, 'at least one finished run');
  checkResultsCsv(join(dir, 'results.csv'), runs, shown);
  return { name: basename(resolve(dir)), dir, summaryPath, variants, seeds: s.seeds as number[], metrics, timings, runs };
}
