import { ConfigError, type ConfigIssue } from '../errors.js';
import type { Registry } from '../registry/registry.js';
import { planBench, type BenchPlan } from './bench-plan.js';
import { readExperiment, validateExperiment, type LoadedExperiment } from './load-config.js';

/**
 * What `lensforge validate` checks: the experiment as `run` builds it and, when the config has a
 * `bench` section, every variant x seed as `bench` expands them. All problems are reported in
 * one ConfigError; a variant's issue that repeats one of the base config is shown once.
 */
export async function validateConfigFile(path: string, registry: Registry, sets: readonly string[] = []): Promise<{ loaded: LoadedExperiment; bench?: BenchPlan }> {
  let loaded: LoadedExperiment | undefined;
  const issues: ConfigIssue[] = [];
  const { raw, baseDir } = await readExperiment(path, registry, sets);
  try {
    loaded = validateExperiment(raw, registry, path, baseDir);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    issues.push(...e.issues);
  }
  let bench: BenchPlan | undefined;
  if (raw.bench !== undefined) {
    try { bench = planBench(raw, registry, path, baseDir); } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      const base = new Set(issues.map((i) => `${i.path}\u0000${i.message}`));
      for (const i of e.issues) {
        const bare = i.path.replace(/^\[variant "[^"]*", seeds? -?\d+(?:, -?\d+)*\] /, '');
        if (!base.has(`${bare}\u0000${i.message}`)) issues.push(i);
      }
    }
  }
  if (issues.length) throw new ConfigError(issues, path);
  return { loaded: loaded!, bench };
}
