/** Public entry of the band-pretext plugin: its manifest and the pieces other code may reuse. */
export { bandPretextPlugin } from './plugin.js';
export { BANDS, N_BANDS, type Band, type PerBand } from './sim/bands.js';
export { ClusterSimulator, type ClusterSampleScene } from './components/cluster-simulator.js';
export { ClusterOptions, defaultClusterConfig, type ClusterConfig } from './sim/cluster-options.js';
export { MseStdLoss, mseStdLoss } from './components/mse-std-loss.js';
export { MaeMetric } from './components/mae-metric.js';
export { SigmaMetric } from './components/sigma-metric.js';
export { absErrorStats } from './metrics/abs-error-stats.js';
export { RichnessMethod } from './components/richness-method.js';
export { RichnessOptions, type RichnessConfig } from './method/richness-options.js';
export { OcclusionAnalysis } from './components/occlusion-analysis.js';
export { occlusionMap, type OcclusionResult, type OcclusionSettings } from './analysis/occlusion-map.js';
export { permutationIndex, permutationFromIndex, permuteChannels } from './pretext/permutations.js';
export { partitionByGroup, labelledSubset } from './data/group-split.js';
export { buildBandExtractor, extractPerBand, type BandExtractorOptions } from './nets/band-extractor.js';
export { buildRichnessHead, featuresToHeadInput, type RichnessHeadOptions } from './nets/richness-head.js';
export { buildPretextModel, type PretextModel } from './method/pretext-phase.js';
