import { definePlugin } from '../../core/index.js';
import { LensPairAugmenter } from './components/lens-pair-augmenter.js';
import { renderCommand } from './components/render-command.js';
import { StrongLensSimulator } from './components/strong-lens-simulator.js';

/**
 * The lensing plugin (LenSiam, Chang et al. 2023): the `lensing/strong-lens` simulator, the
 * `lensing/lens-pair` augmentation and the `lensforge render` command.
 */
export const lensingPlugin = definePlugin({
  name: 'lensing',
  description: 'strong-lens simulator (EPL/SIE + shear, Sersic, procedural and stamp sources, PSF, noise), LenSiam lens augmentation, `render` command',
  components: [StrongLensSimulator, LensPairAugmenter],
  commands: [renderCommand],
});
