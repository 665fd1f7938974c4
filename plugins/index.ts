/**
 * The built-in plugins of lensforge, loaded explicitly by the CLI through package.json's
 * `lensforge.builtinPlugins` (never as an import side effect of the core).
 */
import type { LensforgePlugin } from '../core/index.js';
import { bandPretextPlugin } from './band-pretext/plugin.js';
import { cosmologyPlugin } from './cosmology/plugin.js';
import { encodersPlugin } from './encoders/plugin.js';
import { lensingPlugin } from './lensing/plugin.js';
import { ganPlugin } from './gan/plugin.js';
import { massMappingPlugin } from './mass-mapping/plugin.js';
import { simsiamPlugin } from './simsiam/plugin.js';
import { slurmPlugin } from './slurm/plugin.js';

export const plugins: LensforgePlugin[] = [encodersPlugin, simsiamPlugin, ganPlugin, cosmologyPlugin, massMappingPlugin, bandPretextPlugin, lensingPlugin, slurmPlugin];
