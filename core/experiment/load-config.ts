import { readFileSync, statSync, type Stats } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import YAML from 'yaml';
import { ConfigError, LensforgeError, type ConfigIssue } from '../errors.js';
import type { Registry, ResolvedSpec } from '../registry/registry.js';
import { zodConfigIssues } from '../registry/registry.js';
import { displayPath, ioError, withIo } from '../io/io-error.js';
import { parseJsonText } from '../io/json-file.js';
import { findForbiddenKeys } from './forbidden-keys.js';
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

/** What a non-regular file is, in words, for refusing it as a config. */
function fileKind(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a named pipe (FIFO)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * Read a YAML or JSON experiment file into a plain object. The path is checked first (a
 * directory, FIFO or device is refused at once, never opened, so a pipe cannot hang); JSON is
 * parsed strictly (duplicate keys refused, errors with line and column), YAML with line and
 * column; an empty file says so; `__proto__`, `constructor` and `prototype` keys are refused.
 */
export function readConfigFile(path: string): Record<string, unknown> {
  const file = resolve(path);
  let st: Stats;
  try { st = statSync(file); } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new LensforgeError(`config file not found: ${file}`, { cause: e });
    throw ioError('reading config', file, e);
  }
  if (!st.isFile()) throw new LensforgeError(`config ${displayPath(file)}: is ${fileKind(st)}, not a file; expected a YAML or JSON experiment file`);
  const text = withIo('reading config', file, () => readFileSync(file, 'utf8'));
  const isJson = extname(file).toLowerCase() === '.json';
  if (text.trim() === '') throw new ConfigError([{ path: '', message: `the file is empty${text.length ? ' (only whitespace)' : ''}; expected a mapping of sections (seed, data, model, ...)` }], path);
  let value: unknown;
  if (isJson) {
    value = parseJsonText(text, file, 'config', { uniqueKeys: true });
  } else {
    try {
      value = YAML.parse(text, { prettyErrors: true, uniqueKeys: true });
    } catch (e) {
      throw new LensforgeError(`${path}: not valid YAML: ${(e as Error).message}`, { cause: e });
    }
  }
  if (value === null || value === undefined) throw new ConfigError([{ path: '', message: 'the file holds no settings (only comments); expected a mapping of sections (seed, data, model, ...)' }], path);
  if (typeof value !== 'object' || Array.isArray(value)) throw new ConfigError([{ path: '', message: `expected a mapping of sections (seed, data, model, ...), got ${Array.isArray(value) ? 'a list' : `${typeof value} ${JSON.stringify(value)}`}` }], path);
  const bad = findForbiddenKeys(value, '', [], path);
  if (bad.length) throw new ConfigError(bad, path);
  return value as Record<string, unknown>;
}

/**
 * Validate a whole experiment — the file's structure and every component's name and options —
 * and report every problem at once (ConfigError) before anything is built.
 */
export function validateExperiment(raw: Record<string, unknown>, registry: Registry, source?: string, baseDir = process.cwd()): LoadedExperiment {
  const issues: ConfigIssue[] = findForbiddenKeys(raw, '', [], source);
  if (issues.length) throw new ConfigError(issues, source);
  const parsed = ExperimentSchema.safeParse(raw);
  if (!parsed.success) {
    issues.push(...zodConfigIssues(parsed.error, raw, ExperimentSchema, '', source));
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
  // the optimizers and schedules named in `train` are components too
  const train = (cfg.train ?? {}) as { optimizer?: unknown; optimizers?: Record<string, unknown>; schedule?: unknown; schedules?: Record<string, unknown> };
  if (parsed.success) {
    if (train.optimizer !== undefined) v('optimizer', train.optimizer, 'train.optimizer');
    for (const [k, o] of Object.entries(train.optimizers ?? {})) v('optimizer', o, `train.optimizers.${k}`);
    if (train.schedule !== undefined) v('schedule', train.schedule, 'train.schedule');
    for (const [k, o] of Object.entries(train.schedules ?? {})) v('schedule', o, `train.schedules.${k}`);
  }
  // the training batch stacks `batchSize` samples of the data: refuse sizes that cannot be allocated
  const batchSize = (cfg.train as { batchSize?: unknown } | undefined)?.batchSize;
  if (data && typeof batchSize === 'number') registry.checkAllocation(data, { batchSize }, issues, source);
  if (issues.length) throw new ConfigError(issues, source);
  return {
    config: cfg,
    components: { data: data!, augment, encoder, method: method!, loss, evaluate: evaluate as ResolvedSpec[] },
    source, baseDir, raw,
  };
}

/** Read a config file, apply `--set` overrides and load the plugins it names (not yet validated). */
export async function readExperiment(path: string, registry: Registry, sets: readonly string[] = []): Promise<{ raw: Record<string, unknown>; baseDir: string }> {
  const raw = readConfigFile(path);
  applyOverrides(raw, sets);
  const baseDir = dirname(resolve(path));
  const plugins = raw.plugins;
  if (plugins !== undefined && (!Array.isArray(plugins) || plugins.some((p) => typeof p !== 'string'))) {
    throw new ConfigError([{ path: 'plugins', message: `expected a list of paths or package names, got ${JSON.stringify(plugins)}`, source: path }], path);
  }
  await loadPluginsInto(registry, (plugins as string[] | undefined) ?? [], baseDir);
  return { raw, baseDir };
}

/** Read, load the config's plugins, apply `--set` overrides and validate. */
export async function loadExperiment(path: string, registry: Registry, sets: readonly string[] = []): Promise<LoadedExperiment> {
  const { raw, baseDir } = await readExperiment(path, registry, sets);
  return validateExperiment(raw, registry, path, baseDir);
}
