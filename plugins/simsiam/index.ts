/** Public entry of the SimSiam plugin. */
export { simsiamPlugin } from './plugin.js';
export { SimSiamMethod, SimSiamOptions } from './components/simsiam-method.js';
export * from './components/embedding-metrics.js';
export * from './components/image-augmenters.js';
export { NegCosineLoss } from './components/neg-cosine-loss.js';
export * from './nets/index.js';
export * from './losses/index.js';
export * from './train/index.js';
export * from './transforms/index.js';
