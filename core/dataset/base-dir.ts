import { TOKENS } from '../di/tokens.js';
import { resolveOptional } from '../di/token.js';
import type { ComponentFactory } from '../registry/component-factory.js';

/**
 * The folder relative data paths start from: the experiment file's folder (TOKENS.BaseDir,
 * registered by the runner and by buildSimulator), else the working directory.
 */
export function baseDirOf(factory: ComponentFactory | undefined): string {
  return resolveOptional(factory?.container, TOKENS.BaseDir) ?? process.cwd();
}
