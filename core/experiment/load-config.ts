import { readFileSync, existsSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import YAML from 'yaml';
import { ConfigError, LensforgeError, type ConfigIssue } from '../errors.js';
import type { Registry, ResolvedSpec } from '../registry/registry.js';
import { zodMessage } from '../registry/registry.js';
import { loadPluginsInto } from '../registry/plugin-loader.js';
import { applyOverrides } from './overrides.js';
import { ExperimentSchema, type ExperimentConfig } from './config-schema.js';

export interface ResolvedComponents {
  data: ResolvedSpec;
  augment?: ResolvedSpec;
  encoder?: ResolvedSpec;
  method: ResolvedSpec;
  loss?: ResolvedSpec;
  evaluate: ResolvedSpec[];
}

export interface LoadedExperiment {
  config: ExperimentConfig;
  components: ResolvedComponents;
  /** The file it came from (undefined for in-memory configs). */
  source?: string;
  baseDir: string;
  /** The raw object after overrides (before defaults), for re-use by bench variants. */
  raw: Record<string, unknown>;
}

/** Read a YAML or JSON experiment file into a plain object; parse errors carry line and column. */
export function readConfigFile(path: string): Record<string, unknown> {
  const file = resolve(path);
  if (!existsSync(file)) throw new LensforgeError(`config file not found: ${file}`);
  const text = readFileSync(file, 'utf8');
  let value: unknown;
  try {
    value = extname(file).toLowerCase() === '.json' ? JSON.parse(text) : YAML.parse(text, { prettyErrors: true });
  } catch (e) {
    throw new LensforgeError(`${path}: not valid ${extname(file) === '.json' ? 'JSON' : 'YAML'}: ${(e as Error).message}`, { cause: e });
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new ConfigError([{ path: '', message: `expected a mapping of sections (seed, data, model, ...), got ${Array.isArray(value) ? 'a list' : typeof value}` }], path);
  return value as Record<string, unknown>;
}

/**
 * Validate a whole experiment — the file's structure and every component's name and options —
 * and report every problem at once (ConfigError) before anything is built.
 */
export function validateExperiment(raw: Record<string, unknown>, registry: Registry, source?: string, baseDir = process.cwd()): LoadedExperiment {
  const issues: ConfigIssue[] = [];
  const parsed = ExperimentSchema.safeParse(raw);
  if (!parsed.success) {
    for (const iss of parsed.error.issues) issues.push({ path: iss.path.map(String).join('.'), message: zodMessage(iss, raw), source });
  }
  const cfg = parsed.success ? parsed.data : (raw as unknown as ExperimentConfig);
  const must = (v: unknown, path: string, what: string) => {
    if (v === undefined || v === null) { issues.push({ path, source, message: `required: name the ${what} with { use: "<plugin>/<name>" }` }); return false; }
    return true;
  };
  const v = (kind: string, value: unknown, path: string) => registry.validate(kind, value, path, issues, source);
  const data = must(cfg.data, 'data', 'simulator') ? v('simulator', cfg.data, 'data') : undefined;
  const augment = cfg.augment !== undefined && cfg.augment !== null && cfg.augment !== 'none' ? v('augmenter', cfg.augment, 'augment') : undefined;
  const model = (cfg.model ?? {}) as { encoder?: unknown; method?: unknown };
  const encoder = model.encoder !== undefined && model.encoder !== null ? v('encoder', model.encoder, 'model.encoder') : undefined;
  const method = must(model.method, 'model.method', 'method') ? v('method', model.method, 'model.method') : undefined;
  const loss = cfg.loss !== undefined && cfg.loss !== null ? v('loss', cfg.loss, 'loss') : undefined;
  const evaluate = (Array.isArray(cfg.evaluate) ? cfg.evaluate : []).map((m, i) => v('metric', m, `evaluate[${i}]`));
  if (issues.length) throw new ConfigError(issues, source);
  return {
    config: cfg,
    components: { data: data!, augment, encoder, method: method!, loss, evaluate: evaluate as ResolvedSpec[] },
    source, baseDir, raw,
  };
}

/** Read, load the config's plugins, apply `--set` overrides and validate. */
export async function loadExperiment(path: string, registry: Registry, sets: readonly string[] = []): Promise<LoadedExperiment> {
  const raw = readConfigFile(path);
  applyOverrides(raw, sets);
  const baseDir = dirname(resolve(path));
  const plugins = raw.plugins;
  if (plugins !== undefined && (!Array.isArray(plugins) || plugins.some((p) => typeof p !== 'string'))) {
    throw new ConfigError([{ path: 'plugins', message: `expected a list of paths or package names, got ${JSON.stringify(plugins)}`, source: path }], path);
  }
  await loadPluginsInto(registry, (plugins as string[] | undefined) ?? [], baseDir);
  return validateExperiment(raw, registry, path, baseDir);
}
