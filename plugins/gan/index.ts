/**
 * Public barrel of the GAN plugin, for other plugins (e.g. mass-mapping's conditional GAN):
 * losses (functions, components, the gradient-penalty hook) and network building blocks.
 */
export * from './losses/index.js';
export * from './nets/index.js';
export * from './method/index.js';
export { ganPlugin } from './plugin.js';
export { sampleRun, generateRaw, samplingGenerator, type SampleOptions, type SampleResult } from './sample/sample-run.js';
