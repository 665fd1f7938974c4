import { definePlugin } from '../../core/index.js';
import { ConvergenceMapSimulator } from './components/convergence-map-simulator.js';
import { PcaMetric } from './components/pca-metric.js';
import { PixelKsMetric } from './components/pixel-ks-metric.js';
import { PowerSpectrumMetric } from './components/power-spectrum-metric.js';

/** Cosmology plugin: simulated convergence maps and the map-statistics metrics (KS, P(k), PCA). */
export const cosmologyPlugin = definePlugin({
  name: 'cosmology',
  description: 'lognormal convergence-map simulator; pixel-intensity KS, power-spectrum and PCA metrics',
  components: [ConvergenceMapSimulator, PixelKsMetric, PowerSpectrumMetric, PcaMetric],
});
