/** Public barrel of the cosmology plugin. */
export * from './numerics/index.js';
export { ConvergenceMapSimulator, ConvergenceMapOptions, mapMoments } from './components/convergence-map-simulator.js';
export { PixelKsMetric, PixelKsOptions, pooledPixels } from './components/pixel-ks-metric.js';
export { PowerSpectrumMetric, PowerSpectrumOptions, meanPowerSpectrum } from './components/power-spectrum-metric.js';
export { PcaMetric, PcaOptions } from './components/pca-metric.js';
export { readMapExtra, figureName, type MapEvalExtra } from './metrics/map-eval-extra.js';
export { cosmologyPlugin } from './plugin.js';
