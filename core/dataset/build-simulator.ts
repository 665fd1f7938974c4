import type { Simulator } from '../contracts/simulator.js';
import { ComponentFactory } from '../registry/component-factory.js';
import { loadBuiltinPlugins, loadPluginsInto } from '../registry/plugin-loader.js';
import { Registry } from '../registry/registry.js';
import { Rng } from '../tensor/rng.js';
import { builtinCorePlugin } from './builtin-core-plugin.js';
import { prepareImageReaders } from './image-files-simulator.js';
import { TOKENS } from '../di/tokens.js';
import { provide } from '../di/token.js';
import { executionCorePlugin } from '../execution/execution-plugin.js';
import { trainingCorePlugin } from '../training/training-plugin.js';

export interface SimulatorRecipe {
  /** Config plugins (paths relative to baseDir, or package names). */
  plugins: string[];
  baseDir: string;
  /** The data spec `{use, ...options}` (already validated). */
  spec: Record<string, unknown>;
  seed: number;
}

/** A fresh registry with the core and built-in plugins loaded. */
export async function createRegistry(extra: readonly string[] = [], baseDir = process.cwd()): Promise<Registry> {
  const registry = new Registry();
  registry.loadPlugin(builtinCorePlugin);
  registry.loadPlugin(executionCorePlugin);
  registry.loadPlugin(trainingCorePlugin);
  await loadBuiltinPlugins(registry);
  await loadPluginsInto(registry, extra, baseDir);
  return registry;
}

/** Build the simulator exactly as a run with the same seed builds it (same config path, same streams). */
export async function buildSimulator(recipe: SimulatorRecipe, registry?: Registry): Promise<Simulator> {
  const reg = registry ?? (await createRegistry(recipe.plugins, recipe.baseDir));
  const factory = new ComponentFactory(reg, Rng.fromSeed(recipe.seed));
  provide(factory.container, TOKENS.BaseDir, recipe.baseDir);
  await prepareImageReaders(recipe.spec, recipe.baseDir);
  return factory.create<Simulator>('simulator', recipe.spec, 'data');
}
