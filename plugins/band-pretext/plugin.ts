import { definePlugin } from '../../core/index.js';
import { OcclusionAnalysis } from './analysis/occlusion-analysis.js';
import { MseStdLoss } from './losses/mse-std-loss.js';
import { RichnessMethod } from './method/richness-method.js';
import { MaeMetric } from './metrics/mae-metric.js';
import { SigmaMetric } from './metrics/sigma-metric.js';
import { labelFractionCommand } from './report/label-fraction-command.js';
import { ClusterSimulator } from './sim/cluster-simulator.js';

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
