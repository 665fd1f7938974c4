import { definePlugin } from '../../core/index.js';
import { OcclusionAnalysis } from './components/occlusion-analysis.js';
import { MseStdLoss } from './components/mse-std-loss.js';
import { RichnessMethod } from './components/richness-method.js';
import { MaeMetric } from './components/mae-metric.js';
import { SigmaMetric } from './components/sigma-metric.js';
import { labelFractionCommand } from './components/label-fraction-command.js';
import { ClusterSimulator } from './components/cluster-simulator.js';

/**
 * The band-pretext plugin (Liang et al. 2021, optical-wavelength-guided self-supervision for
 * galaxy-cluster richness): the ugriz cluster simulator, the Eq. 1 loss, the MAE and Sigma
 * metrics, the richness method with band / channel-order pre-training, the occlusion analysis,
 * and the `band-pretext-table` command that turns a label-fraction bench into Table 1 and Fig. S2.
 */
export const bandPretextPlugin = definePlugin({
  name: 'band-pretext',
  // the ResNet feature extractor and heads are built from encoders' network blocks
  dependsOn: ['encoders'],
  version: '0.1.0',
  description: 'multi-band cluster simulator, band and channel-order pretext tasks, richness regression (Liang et al. 2021)',
  components: [ClusterSimulator, MseStdLoss, MaeMetric, SigmaMetric, RichnessMethod, OcclusionAnalysis],
  commands: [labelFractionCommand],
});
