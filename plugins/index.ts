/**
 * The built-in plugins of lensforge, loaded explicitly by the CLI through package.json's
 * `lensforge.builtinPlugins` (never as an import side effect of the core).
 */
import type { LensforgePlugin } from '../core/index.js';
import { encodersPlugin } from './encoders/plugin.js';
import { simsiamPlugin } from './simsiam/plugin.js';

export const plugins: LensforgePlugin[] = [encodersPlugin, simsiamPlugin];
