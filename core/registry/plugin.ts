import type { Constructor } from './component.js';
import type { Registry } from './registry.js';
import { checkDependsOn } from './plugin-dependencies.js';

/**
 * A plugin manifest: its name and the components it contributes. Loading is explicit
 * (`registry.loadPlugin(manifest)`), never an import side effect.
 */
export interface LensforgePlugin {
  name: string;
  version?: string;
  description?: string;
  /**
   * Names of the plugins this one needs loaded first: those it imports code from (through their
   * `index.ts`) or whose components it builds by name (`gan/wgan-gp`). Loading it without them
   * is an error naming both plugins; cycles are refused.
   */
  dependsOn?: string[];
  /** Extra component kinds this plugin introduces, with a one-line description each. */
  kinds?: Record<string, string>;
  components: Constructor[];
  /** Extra CLI sub-commands (e.g. `lensforge render`). */
  commands?: PluginCommand[];
}

/** Where a loaded plugin came from: its manifest file (or package) as imported. */
export interface PluginSource {
  /** The `plugins:` entry or `--plugin` value as written. */
  specifier?: string;
  /** The manifest file imported (absolute path), when known. */
  file?: string;
}

/** A sub-command a plugin adds to the `lensforge` CLI. */
export interface PluginCommand {
  /** Command name and positional arguments in commander syntax, e.g. `render <params>`. */
  name: string;
  description: string;
  options?: Array<{ flags: string; description: string; default?: string | boolean }>;
  /** `context.registry` is the CLI's registry (built-ins plus any `--plugin` modules). */
  action(args: string[], options: Record<string, unknown>, context?: { registry: Registry }): Promise<void>;
}

export function definePlugin(plugin: LensforgePlugin): LensforgePlugin {
  if (!plugin || typeof plugin.name !== 'string' || !plugin.name) {
    throw new Error('definePlugin: expected { name: string, components: [...] }');
  }
  if (!Array.isArray(plugin.components)) {
    throw new Error(`plugin "${plugin.name}": components: expected an array of component classes`);
  }
  checkDependsOn(plugin);
  return plugin;
}
