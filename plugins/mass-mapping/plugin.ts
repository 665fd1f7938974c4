import { definePlugin } from '../../core/index.js';
import { ShearForwardModel } from './forward/shear-forward-model.js';
import { RcganRegulariser } from './losses/rcgan-regulariser.js';
import { RcganMassMappingMethod } from './method/rcgan-method.js';
import { MassMapCoverage } from './metrics/coverage-metric.js';
import { MassMapPearson } from './metrics/pearson-metric.js';
import { MassMapPsnr } from './metrics/psnr-metric.js';
import { MassMapRmse } from './metrics/rmse-metric.js';
import { MassMapSsim } from './metrics/ssim-metric.js';
import { mapCommand } from './map/map-command.js';

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
