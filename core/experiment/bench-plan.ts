import { ConfigError, type ConfigIssue } from '../errors.js';
import type { Registry } from '../registry/registry.js';
import { zodConfigIssues } from '../registry/registry.js';
import { BenchSchema, type BenchConfig } from './config-schema.js';
import { validateExperiment, type LoadedExperiment } from './load-config.js';
import { setPath } from './overrides.js';

export interface BenchVariant { name: string; set: Record<string, unknown> }

/** One run of a bench: a variant, a seed and its validated experiment. */
export interface BenchPlanItem { variant: BenchVariant; seed: number; loaded: LoadedExperiment }

export interface BenchPlan { bench: BenchConfig; variants: BenchVariant[]; items: BenchPlanItem[] }

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
  const issues: ConfigIssue[] = [];
  const items: BenchPlanItem[] = [];
  for (const variant of variants) {
    for (const seed of bench.seeds) {
      const where = `[variant "${variant.name}", seed ${seed}]`;
      const cfg = structuredClone(raw);
      delete cfg.bench;
      try {
        for (const [p, v] of Object.entries(variant.set)) setPath(cfg, p, structuredClone(v), `bench set`);
        cfg.seed = seed;
        items.push({ variant, seed, loaded: validateExperiment(cfg, registry, source, baseDir) });
      } catch (e) {
        if (e instanceof ConfigError) issues.push(...e.issues.map((i) => ({ ...i, path: `${where} ${i.path}` })));
        else if (e instanceof Error && /bad key path/.test(e.message)) issues.push({ path: `${where} bench set`, message: e.message, source });
        else throw e;
      }
    }
  }
  if (issues.length) throw new ConfigError(dedupe(issues), source);
  return { bench, variants, items };
}

function dedupe(issues: ConfigIssue[]): ConfigIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => { const k = i.path + i.message; if (seen.has(k)) return false; seen.add(k); return true; });
}
