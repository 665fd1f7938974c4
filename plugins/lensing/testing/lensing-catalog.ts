/**
 * Test helper: the profile catalog of a registry holding the lensing plugin only, built the way
 * the CLI and the simulator build theirs (`ProfileCatalog.fromRegistry`), for tests that pass a
 * catalog explicitly to the pure functions (`renderSystem`, `MassModel.fromKwargs`, ...).
 */
import { Registry } from '../../../core/index.js';
import { lensingPlugin } from '../plugin.js';
import { ProfileCatalog } from '../profiles/profile-catalog.js';

let cached: ProfileCatalog | undefined;

/** The registry-built catalog of the lensing plugin's profiles (built once). */
export function lensingCatalog(): ProfileCatalog {
  if (!cached) {
    const registry = new Registry();
    registry.loadPlugin(lensingPlugin);
    cached = ProfileCatalog.fromRegistry(registry);
  }
  return cached;
}
