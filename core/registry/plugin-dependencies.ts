import { RegistryError } from '../errors.js';
import type { LensforgePlugin, PluginSource } from './plugin.js';

/** A manifest about to be loaded, with where it came from. */
export interface PluginEntry {
  plugin: LensforgePlugin;
  source?: PluginSource;
}

/** `dependsOn` must be a list of plugin names other than the plugin's own. */
export function checkDependsOn(plugin: LensforgePlugin): string[] {
  const deps = plugin.dependsOn;
  if (deps === undefined) return [];
  if (!Array.isArray(deps) || deps.some((d) => typeof d !== 'string' || !d)) {
    throw new RegistryError(`plugin "${plugin.name}": dependsOn: expected a list of plugin names (e.g. ["encoders", "gan"]), got ${JSON.stringify(deps)}`);
  }
  if (deps.includes(plugin.name)) {
    throw new RegistryError(`plugin "${plugin.name}": dependsOn lists the plugin itself (dependency cycle ${plugin.name} -> ${plugin.name}); remove "${plugin.name}" from its dependsOn`);
  }
  return deps;
}

function where(source: PluginSource | undefined): string {
  const s = source?.specifier ?? source?.file;
  return s ? ` (from ${s})` : '';
}

/**
 * Refuse a batch of manifests (one `plugins:` list, or one `--plugin` set) whose dependencies
 * form a cycle, naming the cycle: `a -> b -> a`. Dependencies on plugins outside the batch are
 * checked when each is loaded (`missingDependencyError`).
 */
export function checkDependencyCycles(entries: readonly PluginEntry[]): void {
  const byName = new Map(entries.map((e) => [e.plugin.name, e]));
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (name: string): void => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') {
      const cycle = [...stack.slice(stack.indexOf(name)), name];
      const files = [...new Set(cycle.slice(0, -1))].map((n) => `"${n}"${where(byName.get(n)?.source)}`);
      throw new RegistryError(`plugin dependency cycle: ${cycle.join(' -> ')}; plugins ${files.join(', ')} each wait for the next to be loaded first, ` +
        'so none can load: remove one of these dependsOn entries (a plugin may only depend on plugins that do not depend on it)');
    }
    state.set(name, 'visiting');
    stack.push(name);
    for (const d of checkDependsOn(byName.get(name)!.plugin)) if (byName.has(d)) visit(d);
    stack.pop();
    state.set(name, 'done');
  };
  for (const e of entries) visit(e.plugin.name);
}

/**
 * The error for `plugin` needing `dependency`, which is not loaded. `later` is the source of the
 * dependency when it comes later in the same batch (then the fix is to reorder).
 */
export function missingDependencyError(plugin: LensforgePlugin, source: PluginSource | undefined, dependency: string, later?: { source?: PluginSource }): RegistryError {
  const head = `plugin "${plugin.name}"${where(source)} depends on plugin "${dependency}", which`;
  if (later) {
    return new RegistryError(`${head} is loaded after it${where(later.source)}; load "${dependency}" first: ` +
      `list it before "${plugin.name}" (its plugins: entry or --plugin earlier, or earlier in the module's exported plugins: [...])`);
  }
  return new RegistryError(`${head} is not loaded; load "${dependency}" first: add the module that exports it to the experiment's plugins: list ` +
    `(or pass --plugin) before the one that exports "${plugin.name}", or remove "${dependency}" from "${plugin.name}"'s dependsOn if it does not need it`);
}
