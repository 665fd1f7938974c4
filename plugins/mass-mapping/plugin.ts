import { definePlugin } from '../../core/index.js';
import { ShearForwardModel } from './components/shear-forward-model.js';
import { RcganRegulariser } from './components/rcgan-regulariser.js';
import { RcganMassMappingMethod } from './components/rcgan-method.js';
import { MassMapCoverage } from './components/coverage-metric.js';
import { MassMapPearson } from './components/pearson-metric.js';
import { MassMapPsnr } from './components/psnr-metric.js';
import { MassMapRmse } from './components/rmse-metric.js';
import { MassMapSsim } from './components/ssim-metric.js';
import { mapCommand } from './components/map-command.js';

/**
 * Mass-mapping plugin (Whitney et al. 2024): the weak-lensing forward model with shape noise,
 * the Kaiser-Squires baseline, the rcGAN regulariser, the conditional-GAN method and the
 * reconstruction metrics (RMSE, Pearson, PSNR, SSIM, coverage).
 */
export const massMappingPlugin = definePlugin({
  name: 'mass-mapping',
  // nets from encoders (UNet blocks); losses, critic step and the default `gan/wgan-gp` loss from gan
  dependsOn: ['encoders', 'gan'],
  description: 'weak-lensing mass mapping: shear forward model, Kaiser-Squires, rcGAN conditional GAN posterior sampling',
  components: [ShearForwardModel, RcganRegulariser, RcganMassMappingMethod, MassMapRmse, MassMapPearson, MassMapPsnr, MassMapSsim, MassMapCoverage],
  commands: [mapCommand],
});
