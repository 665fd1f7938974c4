import { definePlugin } from '../../core/index.js';
import { LensPairAugmenter } from './components/lens-pair-augmenter.js';
import { renderCommand } from './components/render-command.js';
import { StrongLensSimulator } from './components/strong-lens-simulator.js';
import { BUILTIN_LIGHT_PROFILES, BUILTIN_MASS_PROFILES } from './components/builtin-profiles.js';
import { LIGHT_PROFILE_KIND, MASS_PROFILE_KIND } from './profiles/profile-component.js';

/**
 * The lensing plugin (LenSiam, Chang et al. 2023): the `lensing/strong-lens` simulator, the
 * `lensing/lens-pair` augmentation, the `lensforge render` command, and the component kinds
 * `mass-profile` / `light-profile` with the built-in lenstronomy profiles (other plugins may add
 * profiles of these kinds; render specs then accept their `type`).
 */
export const lensingPlugin = definePlugin({
  name: 'lensing',
  description: 'strong-lens simulator (EPL/SIE + shear, Sersic, procedural and stamp sources, PSF, noise), LenSiam lens augmentation, `render` command',
  kinds: {
    [MASS_PROFILE_KIND]: 'a lens (mass) profile by lenstronomy type (EPL, SHEAR, ...): type, parameters (zod schema), create(params)',
    [LIGHT_PROFILE_KIND]: 'a light profile by lenstronomy type (SERSIC_ELLIPSE, INTERPOL, ...): type, parameters (zod schema), create(params)',
  },
  components: [StrongLensSimulator, LensPairAugmenter, ...BUILTIN_MASS_PROFILES, ...BUILTIN_LIGHT_PROFILES],
  commands: [renderCommand],
});
