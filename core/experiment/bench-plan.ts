import { ConfigError, type ConfigIssue } from '../errors.js';
import type { Registry } from '../registry/registry.js';
import { zodConfigIssues } from '../registry/registry.js';
import { BenchSchema, type BenchConfig } from './config-schema.js';
import { validateExperiment, type LoadedExperiment } from './load-config.js';
import { setPath } from './overrides.js';
import { join } from 'node:path';

export interface BenchVariant { name: string; set: Record<string, unknown> }

/** One combination of a bench's `tune.vary` (a trial run inside every cell). */
export interface BenchTrial { name: string; set: Record<string, unknown> }

/** One run of a bench: a variant, a seed, the tuning trial (with `bench.tune`) and its validated experiment. */
export interface BenchPlanItem { variant: BenchVariant; seed: number; trial?: BenchTrial; loaded: LoadedExperiment }

/**
 * A run's directory: `<out>/<variant>/seed-<s>`, and `<out>/<variant>/seed-<s>.<trial>` for a
 * tuning trial (same depth, so paths relative to a run directory mean the same in both).
 */
export function benchCellDir(outDir: string, variant: string, seed: number, trial?: string): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9_.=-]+/g, '_');
  return join(outDir, safe(variant) || 'base', `seed-${seed}${trial ? `.${safe(trial)}` : ''}`);
}

export interface BenchPlan { bench: BenchConfig; variants: BenchVariant[]; trials: BenchTrial[]; items: BenchPlanItem[] }

function shortName(v: unknown): string {
  if (typeof v === 'string') return v.includes('/') ? v.slice(v.indexOf('/') + 1) : v;
  if (v && typeof v === 'object' && typeof (v as { use?: unknown }).use === 'string') {
    const { use, ...rest } = v as { use: string };
    const extra = Object.keys(rest).length ? `(${Object.entries(rest).map(([k, x]) => `${k}=${typeof x === 'object' ? JSON.stringify(x) : String(x)}`).join(',')})` : '';
    return shortName(use) + extra;
  }
  return v === null ? 'none' : JSON.stringify(v);
}

/** The product of a `{ path: [values] }` map, each combination named `last-key=value, ...`. */
function product(vary: Record<string, unknown[]>, name: (path: string, v: unknown) => string): Array<{ name: string; set: Record<string, unknown> }> {
  let out: Array<{ name: string; set: Record<string, unknown> }> = [{ name: '', set: {} }];
  for (const [path, values] of Object.entries(vary)) {
    out = out.flatMap((base) => values.map((val) => ({
      name: base.name ? `${base.name}, ${name(path, val)}` : name(path, val),
      set: { ...base.set, [path]: val },
    })));
  }
  return out;
}

/** `items` as given when no two share a name; otherwise a ConfigError at `path` naming the first repeated one. */
function uniquelyNamed<T extends { name: string }>(items: T[], path: string, message: (name: string) => string): T[] {
  const seen = new Set<string>();
  for (const it of items) {
    if (seen.has(it.name)) throw new ConfigError([{ path, message: message(it.name) }]);
    seen.add(it.name);
  }
  return items;
}

/** The trials of `bench.tune`: `lr=0.001`, or `lr=0.001, batchSize=32` for several paths. */
export function expandTrials(bench: BenchConfig): BenchTrial[] {
  if (!bench.tune) return [];
  const trials = product(bench.tune.vary, (path, v) => `${path.slice(path.lastIndexOf('.') + 1)}=${shortName(v)}`);
  return uniquelyNamed(trials, 'bench.tune.vary', (n) => `two trials are both named "${n}"; give each value once`);
}

/** The variants of a bench: named ones as given, or the product of a `vary` map. */
export function expandVariants(bench: BenchConfig): BenchVariant[] {
  if (Array.isArray(bench.vary)) return bench.vary.map((v) => ({ name: v.name, set: v.set }));
  return uniquelyNamed(product(bench.vary, (_, v) => shortName(v)), 'bench.vary', (n) => `two alternatives are both named "${n}"; use the list form with explicit names`);
}

/**
 * Expand and validate every run of a bench — each variant's `set` applied to the config, each
 * seed — exactly as `lensforge bench` will run them. Every problem is reported at once, each
 * prefixed with its variant and seed (`[variant "scratch", seed 2] model.method.pretrain: ...`).
 * Used by `runBench` and by `lensforge validate`, so no bench cell fails after others have run.
 * @throws ConfigError with every issue
 */
export function planBench(raw: Record<string, unknown>, registry: Registry, source?: string, baseDir?: string): BenchPlan {
  const parsed = BenchSchema.safeParse(raw.bench);
  if (!parsed.success) {
    throw new ConfigError(raw.bench === undefined
      ? [{ path: 'bench', message: 'required for `lensforge bench`: { vary: {...}, seeds: [...] }', source }]
      : zodConfigIssues(parsed.error, raw.bench, BenchSchema, 'bench', source), source);
  }
  const bench = parsed.data;
  const variants = expandVariants(bench);
  const trials = expandTrials(bench);
  const found: Found[] = [];
  const items: BenchPlanItem[] = [];
  for (const variant of variants) {
    for (const seed of bench.seeds) {
      for (const trial of trials.length ? trials : [undefined]) {
        const cfg = structuredClone(raw);
        delete cfg.bench;
        try {
          for (const [p, v] of Object.entries(variant.set)) setPath(cfg, p, structuredClone(v), `bench set`);
          // the trial's values last: a variant cannot opt out of the search the others get
          for (const [p, v] of Object.entries(trial?.set ?? {})) setPath(cfg, p, structuredClone(v), `bench tune`);
          cfg.seed = seed;
          items.push({ variant, seed, trial, loaded: validateExperiment(cfg, registry, source, baseDir) });
        } catch (e) {
          if (e instanceof ConfigError) found.push(...e.issues.map((issue) => ({ variant: variant.name, trial: trial?.name, seed, issue })));
          else if (e instanceof Error && /bad key path/.test(e.message)) found.push({ variant: variant.name, trial: trial?.name, seed, issue: { path: trial ? 'bench tune' : 'bench set', message: e.message, source } });
          else throw e;
        }
      }
    }
  }
  if (found.length) throw new ConfigError(groupBySeeds(found, trials.length), source);
  return { bench, variants, trials, items };
}

interface Found { variant: string; trial?: string; seed: number; issue: ConfigIssue }

/**
 * One issue per variant and problem, with the seeds (and, when not all of them, the tuning
 * trials) it occurs in: `[variant "x", seeds 1, 2] path`, `[variant "x" trial "lr=-1", seed 1] path`.
 */
function groupBySeeds(found: Found[], trialCount: number): ConfigIssue[] {
  const groups = new Map<string, { variant: string; seeds: number[]; trials: string[]; issue: ConfigIssue }>();
  for (const f of found) {
    const k = `${f.variant}\u0000${f.issue.path}\u0000${f.issue.message}`;
    const g = groups.get(k) ?? { variant: f.variant, seeds: [], trials: [], issue: f.issue };
    groups.set(k, g);
    if (!g.seeds.includes(f.seed)) g.seeds.push(f.seed);
    if (f.trial !== undefined && !g.trials.includes(f.trial)) g.trials.push(f.trial);
  }
  return [...groups.values()].map((g) => {
    const trials = g.trials.length && g.trials.length < trialCount ? ` trial${g.trials.length > 1 ? 's' : ''} ${g.trials.map((t) => `"${t}"`).join(', ')}` : '';
    return { ...g.issue, path: `[variant "${g.variant}"${trials}, seed${g.seeds.length > 1 ? 's' : ''} ${g.seeds.join(', ')}] ${g.issue.path}` };
  });
}
