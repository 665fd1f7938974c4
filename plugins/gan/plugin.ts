import { definePlugin } from '../../core/index.js';
import { HingeLoss, NonSaturatingLoss, RelativisticAverageLoss, RelativisticLoss, WganGpLoss } from './components/gan-losses.js';
import { DcganMethod } from './components/dcgan-method.js';
import { sampleCommand } from './components/sample-command.js';

/** GAN plugin: DCGAN method (VBN, minibatch discrimination, loss switching) and GAN losses; the `lensforge sample` command. */
export const ganPlugin = definePlugin({
  name: 'gan',
  description: 'DCGAN with virtual batch norm and minibatch discrimination; non-saturating, hinge, relativistic, relativistic-average and WGAN-GP losses',
  components: [DcganMethod, NonSaturatingLoss, HingeLoss, RelativisticLoss, RelativisticAverageLoss, WganGpLoss],
  commands: [sampleCommand],
});
