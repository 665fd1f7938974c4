import { TOKENS } from '../di/tokens.js';
import type { ComponentFactory } from '../registry/component-factory.js';

/**
 * The folder relative data paths start from: the experiment file's folder (TOKENS.BaseDir,
 * registered by the runner and by buildSimulator), else the working directory.
 */
export function baseDirOf(factory: ComponentFactory | undefined): string {
  const c = factory?.container;
  return c && c.isRegistered(TOKENS.BaseDir, true) ? c.resolve<string>(TOKENS.BaseDir) : process.cwd();
}
