import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError, type ConfigIssue } from '../errors.js';
import { ConsoleLogger, type Logger } from '../di/logger.js';
import type { ProgressReporter } from '../di/progress.js';
import { writeFileAtomic, writeJsonAtomic } from '../io/atomic-write.js';
import type { Registry } from '../registry/registry.js';
import { BenchSchema, type BenchConfig } from './config-schema.js';
import { validateExperiment, type LoadedExperiment } from './load-config.js';
import { setPath } from './overrides.js';
import { configHashOf, runExperiment, type Summary } from './runner.js';
import { zodMessage } from '../registry/registry.js';
import type { ExecutionRequest } from '../execution/execution-request.js';
import { runBenchOnExecutor } from '../execution/bench-on-executor.js';

export interface BenchVariant { name: string; set: Record<string, unknown> }

function shortName(v: unknown): string {
  if (typeof v === 'string') return v.includes('/') ? v.slice(v.indexOf('/') + 1) : v;
  if (v && typeof v === 'object' && typeof (v as { use?: unknown }).use === 'string') {
    const { use, ...rest } = v as { use: string };
    const extra = Object.keys(rest).length ? `(${Object.entries(rest).map(([k, x]) => `${k}=${typeof x === 'object' ? JSON.stringify(x) : String(x)}`).join(',')})` : '';
    return shortName(use) + extra;
  }
  return v === null ? 'none' : JSON.stringify(v);
}

/** The variants of a bench: named ones as given, or the product of a `vary` map. */
export function expandVariants(bench: BenchConfig): BenchVariant[] {
  if (Array.isArray(bench.vary)) return bench.vary.map((v) => ({ name: v.name, set: v.set }));
  let out: BenchVariant[] = [{ name: '', set: {} }];
  for (const [path, values] of Object.entries(bench.vary)) {
    out = out.flatMap((base) => values.map((val) => ({
      name: base.name ? `${base.name}, ${shortName(val)}` : shortName(val),
      set: { ...base.set, [path]: val },
    })));
  }
  const seen = new Set<string>();
  for (const v of out) {
    if (seen.has(v.name)) throw new ConfigError([{ path: 'bench.vary', message: `two alternatives are both named "${v.name}"; use the list form with explicit names` }]);
    seen.add(v.name);
  }
  return out;
}

export interface BenchRow { variant: string; seed: number; metrics: Record<string, number>; runDir: string; cached: boolean }

export interface BenchResult { rows: BenchRow[]; table: string; outDir: string; metrics: string[] }

export function meanStd(xs: number[]): { mean: number; std: number; n: number } {
  const v = xs.filter((x) => Number.isFinite(x));
  const n = v.length;
  if (n === 0) return { mean: NaN, std: NaN, n };
  const mean = v.reduce((a, b) => a + b, 0) / n;
  const std = n > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : 0;
  return { mean, std, n };
}

function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? x.toExponential(3) : x.toFixed(4);
}

/** Markdown table: one row per variant, one column per metric, `mean ± std (n)`. */
export function benchTable(rows: BenchRow[], metrics: string[], variants: string[]): string {
  const head = `| variant | ${metrics.join(' | ')} |`;
  const sep = `|---|${metrics.map(() => '---').join('|')}|`;
  const lines = variants.map((v) => {
    const rs = rows.filter((r) => r.variant === v);
    const cells = metrics.map((m) => {
      const s = meanStd(rs.map((r) => r.metrics[m]));
      return s.n === 0 ? '–' : s.n === 1 ? fmt(s.mean) : `${fmt(s.mean)} ± ${fmt(s.std)}`;
    });
    return `| ${v} | ${cells.join(' | ')} |`;
  });
  const seeds = [...new Set(rows.map((r) => r.seed))];
  return [head, sep, ...lines, '', `mean ± sample std over seeds ${seeds.join(', ')} (n=${seeds.length})`].join('\n');
}

export interface BenchOptions {
  registry: Registry;
  out?: string;
  logger?: Logger;
  progress?: ProgressReporter;
  source?: string;
  baseDir?: string;
  /** Run the cells as tasks on an executor (`--executor`); absent: one after another in this process. */
  execution?: ExecutionRequest;
}

/**
 * Run a grid of named alternatives x seeds. Every variant is validated before any runs; each run
 * gets its own directory (`<out>/<variant>/seed-<s>`); a finished run with the same configuration
 * is reused, an interrupted one resumes. Writes results.csv, results.md and summary.json.
 */
export async function runBench(raw: Record<string, unknown>, opts: BenchOptions): Promise<BenchResult> {
  const logger = opts.logger ?? new ConsoleLogger();
  const parsed = BenchSchema.safeParse(raw.bench);
  if (!parsed.success) {
    throw new ConfigError(raw.bench === undefined
      ? [{ path: 'bench', message: 'required for `lensforge bench`: { vary: {...}, seeds: [...] }', source: opts.source }]
      : parsed.error.issues.map((i) => ({ path: ['bench', ...i.path.map(String)].join('.'), message: zodMessage(i, raw.bench), source: opts.source })), opts.source);
  }
  const bench = parsed.data;
  const variants = expandVariants(bench);
  const name = typeof raw.name === 'string' ? raw.name : 'bench';
  const outDir = resolve(opts.out ?? join('runs', name));

  // validate everything first
  const issues: ConfigIssue[] = [];
  const plan: Array<{ variant: BenchVariant; seed: number; loaded: LoadedExperiment }> = [];
  for (const variant of variants) {
    for (const seed of bench.seeds) {
      const cfg = structuredClone(raw);
      delete cfg.bench;
      for (const [p, v] of Object.entries(variant.set)) setPath(cfg, p, structuredClone(v));
      cfg.seed = seed;
      try {
        plan.push({ variant, seed, loaded: validateExperiment(cfg, opts.registry, opts.source, opts.baseDir) });
      } catch (e) {
        if (e instanceof ConfigError) issues.push(...e.issues.map((i) => ({ ...i, path: `[variant "${variant.name}", seed ${seed}] ${i.path}` })));
        else throw e;
      }
    }
  }
  if (issues.length) throw new ConfigError(dedupe(issues), opts.source);
  if (opts.execution) return runBenchOnExecutor(outDir, bench, variants.map((v) => v.name), plan, opts.execution);

  const rows: BenchRow[] = [];
  for (const [i, item] of plan.entries()) {
    const dirName = item.variant.name.replace(/[^A-Za-z0-9_.=-]+/g, '_') || 'base';
    const runPath = join(outDir, dirName, `seed-${item.seed}`);
    const hash = configHashOf(item.loaded);
    const summaryPath = join(runPath, 'summary.json');
    if (existsSync(summaryPath)) {
      const s = JSON.parse(readFileSync(summaryPath, 'utf8')) as Summary;
      if (s.configHash === hash) {
        logger.info(`[${i + 1}/${plan.length}] ${item.variant.name} seed ${item.seed}: finished earlier, reusing ${summaryPath}`);
        rows.push({ variant: item.variant.name, seed: item.seed, metrics: s.metrics, runDir: runPath, cached: true });
        continue;
      }
    }
    logger.info(`[${i + 1}/${plan.length}] ${item.variant.name} seed ${item.seed}`);
    const hasCkpt = existsSync(join(runPath, 'checkpoints', 'latest.json'));
    const r = await runExperiment(item.loaded, {
      registry: opts.registry, out: runPath, resume: hasCkpt, overwrite: true,
      logger, progress: opts.progress, tag: item.variant.name,
    });
    rows.push({ variant: item.variant.name, seed: item.seed, metrics: r.metrics, runDir: runPath, cached: false });
    writeResults(outDir, rows, bench, variants.map((v) => v.name));
  }
  const { table, metrics } = writeResults(outDir, rows, bench, variants.map((v) => v.name));
  return { rows, table, outDir, metrics };
}

/** Write results.csv, results.md and summary.json of a bench (rows in plan order). */
export function writeResults(outDir: string, rows: BenchRow[], bench: BenchConfig, variants: string[]): { table: string; metrics: string[] } {
  const metrics = bench.metrics ?? [...new Set(rows.flatMap((r) => Object.keys(r.metrics)))];
  const table = benchTable(rows, metrics, variants.filter((v) => rows.some((r) => r.variant === v)));
  const csvCell = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const csv = [['variant', 'seed', ...metrics].join(','), ...rows.map((r) => [csvCell(r.variant), String(r.seed), ...metrics.map((m) => String(r.metrics[m] ?? ''))].join(','))].join('\n') + '\n';
  writeFileAtomic(join(outDir, 'results.csv'), csv);
  writeFileAtomic(join(outDir, 'results.md'), table + '\n');
  const agg = Object.fromEntries(variants.map((v) => [v, Object.fromEntries(metrics.map((m) => [m, meanStd(rows.filter((r) => r.variant === v).map((r) => r.metrics[m]))]))]));
  writeJsonAtomic(join(outDir, 'summary.json'), { variants, seeds: bench.seeds, metrics, aggregate: agg, runs: rows });
  return { table, metrics };
}

function dedupe(issues: ConfigIssue[]): ConfigIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => { const k = i.path + i.message; if (seen.has(k)) return false; seen.add(k); return true; });
}
