import { ConfigError } from '../errors.js';
import { normalizeSpec, type ComponentSpec } from '../registry/component-spec.js';
import { ComponentFactory } from '../registry/component-factory.js';
import type { Registry } from '../registry/registry.js';
import { Rng } from '../tensor/rng.js';
import type { Executor } from './executor.js';

/** `--executor in-process` (or no executor at all): the sequential path in the calling process. */
export const IN_PROCESS = 'in-process';

/**
 * The registered executor name for `name`: the full name (`core/local`, `slurm/slurm`), or a short
 * one (`local`, `slurm`) matching exactly one registered name's last part.
 */
export function executorName(registry: Registry, name: string, path: string): string {
  if (registry.has('executor', name)) return name;
  const matches = registry.list('executor').map((c) => c.name).filter((n) => n.slice(n.lastIndexOf('/') + 1) === name);
  if (matches.length === 1) return matches[0];
  if (matches.length > 1) throw new ConfigError([{ path, message: `executor "${name}" is ambiguous: ${matches.join(', ')}; give the full name` }]);
  return name; // the registry reports the unknown name with the registered ones and suggestions
}

/**
 * Build the executor chosen by `--executor NAME` (wins) or the config's `executor: { use, ...options }`.
 * Returns undefined for the in-process path (neither given, or `in-process`).
 */
export function selectExecutor(registry: Registry, cliName: string | undefined, configSpec: unknown, source?: string): { executor: Executor; name: string } | undefined {
  let spec: ComponentSpec | undefined;
  let path = 'executor';
  if (cliName !== undefined) {
    const fromConfig = normalizeSpec(configSpec);
    const bare = configSpec && typeof configSpec === 'object' && !Array.isArray(configSpec) && !fromConfig ? (configSpec as Record<string, unknown>) : undefined;
    spec = { ...(fromConfig ?? bare ?? {}), use: cliName };
    // options in the config belong to the executor they were written for (options without `use` go to the --executor one)
    if (fromConfig && executorName(registry, fromConfig.use, 'executor.use') !== executorName(registry, cliName, '--executor')) spec = { use: cliName };
    path = '--executor';
  } else if (configSpec !== undefined && configSpec !== null) {
    spec = normalizeSpec(configSpec);
    if (!spec) throw new ConfigError([{ path: 'executor', source, message: `expected an executor name or { use: "<name>", ...options }, got ${JSON.stringify(configSpec)}` }], source);
  }
  if (!spec || spec.use === IN_PROCESS) return undefined;
  const name = executorName(registry, spec.use, path);
  const resolved = registry.resolve('executor', { ...spec, use: name }, 'executor', source);
  const factory = new ComponentFactory(registry, Rng.fromSeed(0));
  return { executor: factory.build<Executor>(resolved), name };
}
